"""Paper catalogue generator: scraped listings in, a searchable MkDocs site out."""

__version__ = "0.1.0"
