"""Paper catalogue generator: scraped listings in, a searchable MkDocs site out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("paper-catalogue")  # one version: pyproject.toml's
except PackageNotFoundError:  # run from a checkout that is not installed
    __version__ = "0+unknown"
