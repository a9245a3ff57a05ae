"""Input readers, picked by file suffix.

A listing reader (READERS) turns one file's bytes into a Listing; a record reader (RECORD_READERS)
turns one file's bytes into the PaperRecords it holds. Adding an input format is adding a function
to one of them; nothing else changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from generator.model import Listing, PaperRecord
from generator.read.bibtex import read_bibtex
from generator.read.listing import read_listing
from generator.read.records import read_json_records, read_yaml_records
from generator.report import Report

Reader = Callable[[str, bytes, Report], Listing]

READERS: dict[str, Reader] = {".txt": read_listing}

RecordReader = Callable[[str, bytes, Report], tuple[PaperRecord, ...]]

RECORD_READERS: dict[str, RecordReader] = {
    ".yaml": read_yaml_records,
    ".yml": read_yaml_records,
    ".json": read_json_records,
    ".bib": read_bibtex,
}


def reader_for(name: str) -> Reader | None:
    """The reader for a file name, or None when no reader takes that suffix."""
    return READERS.get(PurePosixPath(name).suffix.lower())


def record_reader_for(name: str) -> RecordReader | None:
    """The record reader for a file name, or None when no record reader takes that suffix."""
    return RECORD_READERS.get(PurePosixPath(name).suffix.lower())
