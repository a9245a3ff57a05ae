"""Downloads: JSON, BibTeX, Atom feeds and the sitemap."""
