"""Measuring tools, not part of the build: `make bench` (synthetic catalogues at several
sizes, built and measured stage by stage) and `make eval` (related links and tags scored
against hand labels, `evaluate`)."""
