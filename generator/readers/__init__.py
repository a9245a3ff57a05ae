"""Input readers, picked by file suffix. A reader turns one file's bytes into a Listing.

Adding an input format is adding a function to READERS; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.model import Listing
from generator.readers.listing import read_listing
from generator.report import Report

Reader = Callable[[str, bytes, Report], Listing]

READERS: dict[str, Reader] = {
    ".txt": read_listing,
}


def reader_for(name: str) -> Reader | None:
    """The reader for a file name, or None when no reader takes that suffix."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return READERS.get(suffix)
