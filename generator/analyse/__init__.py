"""Analysis: tags, the papers each abstract names, related papers, and their caches."""
