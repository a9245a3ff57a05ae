"""Reader for scraped listing pages (the format of `site_src/listings/*.txt`).

A file is: a few boilerplate header lines, a capture-date line without a year (`Mar 19`), then
paragraphs separated by blank lines that alternate title, abstract, title, abstract. The reader
never raises: odd input becomes a warning with file and line."""

from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import dataclass, replace

from slugify import slugify

from generator.model import Listing, Record
from generator.read.history import DATE, date_like, full_day
from generator.read.text import bounded
from generator.report import Report

HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "byak and the research community",
    }
)
# A paragraph that reads as prose: two or more sentences. Titles never look like this.
_SENTENCE_BREAK = re.compile(r"[a-z0-9)\]%][.!?]\s+[A-Z]")
TITLE_MAX = 300
WRAPPED_LINES, WRAPPED_WIDTH = 3, 90  # a title the page wrapped: a few short lines
# A file whose first 64 KB are more than this share of controls and undecodable bytes is
# binary. Text with a few stray bad bytes is still read, so no good paper is lost.
BINARY_SHARE = 0.1
_BINARY_CHARS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v") | {"\ufffd"}
_DROP_BINARY = dict.fromkeys(map(ord, _BINARY_CHARS))


@dataclass(frozen=True)
class _Paragraph:
    line: int
    text: str
    lines: int


def decode(source: str, data: bytes, report: Report) -> str:
    """Bytes to text: UTF-8 (BOM allowed) or UTF-16 with a BOM; else Windows-1252 when not
    one character is UTF-8 (`_UTF8`: a file saved by an old editor, its accents kept);
    else bad bytes replaced. Reported but UTF-8."""
    encoding = _encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, errors="replace").count("\n") + 1
        western = None if encoding == "utf-16" or _UTF8.search(data) else _cp1252(data)
        if western is not None:
            text = western
            report.warn(source, line, "not UTF-8; read as Windows-1252. Save the file as UTF-8.")
        else:
            text = data.decode(encoding, errors="replace")
            name = "UTF-16" if encoding == "utf-16" else "UTF-8"
            message = f"not valid {name}; bad bytes were replaced with U+FFFD."
            report.warn(source, line, message + " Save the file as UTF-8.")
    if "\x00" in text:
        report.warn(
            source,
            text[: text.index("\x00")].count("\n") + 1,
            "contains NUL bytes, which were dropped; save the file as plain UTF-8 text.",
        )
        text = text.replace("\x00", "")
    return text


# A UTF-8 character beyond ASCII; in Windows-1252 text a pair like "Ã©" is rare.
_UTF8 = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _cp1252(data: bytes) -> str | None:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90 and 0x9d are not Windows-1252
        return None


def _encoding(data: bytes) -> str:
    return "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"


def looks_binary(data: bytes, sample: int = 65536) -> bool:
    """Most of the first 64 KB are controls or undecodable: any "papers" in it are noise."""
    head = data[: sample * 2].decode(_encoding(data), errors="replace")[:sample]
    odd = len(head) - len(head.translate(_DROP_BINARY))  # counted in C, not per character
    return bool(head) and odd / len(head) > BINARY_SHARE


def read_listing(source: str, data: bytes, report: Report) -> Listing:
    """Parse one scraped listing; `source` is the name used in messages."""
    key = source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    listing = Listing(key, slugify(key, max_length=60) or "listing", source, date="", records=())
    padded = data
    if _encoding(data) != "utf-16":  # UTF-16 text ends in a NUL byte
        data = data.rstrip(b"\x00")  # NUL padding left by a copy or a download: not text
    if looks_binary(data):
        report.warn(
            source,
            1,
            "looks like a binary file, not a listing; it was skipped. "
            "If it is a listing, save it as UTF-8 text; otherwise remove it.",
        )
        return listing
    if len(data) < len(padded):
        line = data.count(b"\n") + 1
        report.warn(source, line, f"{len(padded) - len(data)} NUL bytes at the end were ignored.")
    text = decode(source, data, report)
    if not text.strip():
        report.warn(source, 1, "is empty; add papers or delete it.")
        return listing
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    header, start = _header(lines)
    problem = _date_problem(header)
    if problem:
        message = f"capture date {header!r} {problem}; the listing is shown without a date."
        report.warn(source, start, message)
    date = "" if problem else header
    records = _records(source, _paragraphs(lines, start), report)
    if not records:
        report.warn(
            source,
            1,
            "no papers found; a listing is title and abstract paragraphs separated by blank lines.",
        )
    elif not header:
        report.warn(
            source,
            start + 1,
            "no capture date line (like 'Mar 19') before the first paper; "
            "the listing is shown without a date.",
        )
    return replace(listing, date=date, records=tuple(records))


def _date_problem(line: str) -> str:
    """What is wrong with a capture date line, or "" (for none too)."""
    if line and not DATE.fullmatch(line):
        return "is not in a form the reader knows (write it like 'Mar 19' or 2024-03-19)"
    if line and not full_day(line, None, 2000):  # a leap year: `Feb 29` may exist
        return "does not exist"
    return ""


def _header(lines: list[str]) -> tuple[str, int]:
    """Skip the boilerplate; return the capture date line ("" if none; maybe a date
    `DATE` does not read, not a title) and where papers start."""
    index = 0
    while index < len(lines) and (
        not lines[index].strip() or lines[index].strip().casefold() in HEADER_LINES
    ):
        index += 1
    line = " ".join(lines[index].split()) if index < len(lines) else ""
    return (line, index + 1) if date_like(line) else ("", index)


def _paragraphs(lines: list[str], start: int) -> list[_Paragraph]:
    """Runs of non-blank lines from `start` on, each with its first line's number."""
    numbered = ((number, line.strip()) for number, line in enumerate(lines[start:], start + 1))
    paragraphs = []
    for filled, run in itertools.groupby(numbered, key=lambda item: bool(item[1])):
        if filled:
            block = list(run)
            text = " ".join(line for _, line in block)
            paragraphs.append(_Paragraph(block[0][0], text, len(block)))
    return paragraphs


def _looks_like_title(paragraph: _Paragraph) -> bool:
    """One line, or a few short ones (a title wrapped by the page), with no sentence in it
    and no full stop at its end (a one-line abstract has one)."""
    text, lines = paragraph.text, paragraph.lines
    wrapped = lines <= WRAPPED_LINES and len(text) <= WRAPPED_LINES * WRAPPED_WIDTH
    return (
        (lines == 1 or wrapped)
        and len(text) <= TITLE_MAX
        and not _SENTENCE_BREAK.search(text)
        and not text.endswith(".")
    )


def _looks_like_prose(paragraph: _Paragraph) -> bool:
    return (paragraph.lines > 1 and not _looks_like_title(paragraph)) or (
        len(paragraph.text) > TITLE_MAX and bool(_SENTENCE_BREAK.search(paragraph.text))
    )


def _records(source: str, paragraphs: list[_Paragraph], report: Report) -> list[Record]:
    """Pair paragraphs as title, abstract; recover when one side is missing."""
    records: list[Record] = []
    index = 0
    while index < len(paragraphs):
        title = paragraphs[index]
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        after = paragraphs[index + 2] if index + 2 < len(paragraphs) else None
        if _looks_like_prose(title):
            report.warn(
                source,
                title.line,
                "abstract without a title; add the title on its "
                "own line above it, or delete the paragraph.",
            )
            index += 1
        elif following is None or (
            _looks_like_title(following) and after is not None and _looks_like_prose(after)
        ):
            short = title.text if len(title.text) <= 60 else title.text[:59] + "…"
            report.warn(
                source,
                title.line,
                f"title without abstract ({short!r}); "
                "add the abstract after a blank line, or delete the title.",
            )
            index += 1
        else:
            cut_title = bounded(title.text, "title", report, source, title.line)
            abstract = bounded(following.text, "abstract", report, source, title.line)
            records.append(Record(cut_title, abstract, source, title.line))
            index += 2
    return records
