"""Reading: listings and structured records into papers, merged, enriched and curated."""
