"""`make bench`: synthetic catalogues at several sizes, built and measured stage by stage."""
