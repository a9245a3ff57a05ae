"""Reader for scraped listing pages (the format of `site_src/listings/*.txt`).

A file is: a few boilerplate header lines, a capture-date line without a year
(`Mar 19`), then paragraphs separated by blank lines that alternate title, abstract,
title, abstract. The reader never raises: odd input becomes a warning with file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slugify import slugify

from generator.model import Listing, Record
from generator.report import Report

HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "byak and the research community",
    }
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
DATE_LINE = re.compile(
    rf"^(?:(?:{_MONTHS})[a-z]*\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})$",
    re.IGNORECASE,
)
# A paragraph that reads as prose: two or more sentences. Titles never look like this.
_SENTENCE_BREAK = re.compile(r"[a-z0-9)\]%][.!?]\s+[A-Z]")
TITLE_MAX = 300


@dataclass(frozen=True)
class _Paragraph:
    line: int
    text: str
    lines: int


def decode(source: str, data: bytes, report: Report) -> str:
    """Bytes to text: UTF-8 (BOM allowed), bad bytes replaced and reported."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = data.decode("utf-8-sig", errors="replace")
        line = data[: error.start].count(b"\n") + 1
        report.warn(
            source,
            line,
            "not valid UTF-8; bad bytes were replaced with U+FFFD. Save the file as UTF-8.",
        )
    if "\x00" in text:
        report.warn(source, 0, "contains NUL bytes; is it a binary file? They were dropped.")
        text = text.replace("\x00", "")
    return text


def read_listing(source: str, data: bytes, report: Report) -> Listing:
    """Parse one scraped listing; `source` is the name used in messages."""
    text = decode(source, data, report)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    date, start = _header(source, lines, report)
    records = _records(source, _paragraphs(lines, start), report)
    if not records:
        report.warn(
            source,
            0,
            "no papers found; a listing is title and abstract paragraphs separated by blank lines.",
        )
    key = source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Listing(
        key=key,
        slug=slugify(key, max_length=60) or "listing",
        source=source,
        date=date,
        records=tuple(records),
    )


def _header(source: str, lines: list[str], report: Report) -> tuple[str, int]:
    """Skip the boilerplate; return the capture date and the index where papers start."""
    index = 0
    while index < len(lines) and (
        not lines[index].strip() or lines[index].strip().casefold() in HEADER_LINES
    ):
        index += 1
    if index < len(lines) and DATE_LINE.match(lines[index].strip()):
        return " ".join(lines[index].split()), index + 1
    report.warn(
        source,
        index + 1 if index < len(lines) else 0,
        "no capture date line (like 'Mar 19') before the first paper; "
        "the listing is shown without a date.",
    )
    return "", index


def _paragraphs(lines: list[str], start: int) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines[start:], start=start + 1):
        if line.strip():
            if not current:
                first = number
            current.append(line.strip())
        elif current:
            paragraphs.append(_Paragraph(first, " ".join(current), len(current)))
            current = []
    if current:
        paragraphs.append(_Paragraph(first, " ".join(current), len(current)))
    return paragraphs


def _looks_like_title(paragraph: _Paragraph) -> bool:
    return (
        paragraph.lines == 1
        and len(paragraph.text) <= TITLE_MAX
        and not _SENTENCE_BREAK.search(paragraph.text)
    )


def _looks_like_prose(paragraph: _Paragraph) -> bool:
    return paragraph.lines > 1 or (
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
        if _looks_like_prose(title) and not _looks_like_title(title):
            report.warn(
                source,
                title.line,
                "abstract without a title; add the title on its "
                "own line above it, or delete the paragraph.",
            )
            index += 1
        elif following is None or (
            _looks_like_title(following)
            and after is not None
            and _looks_like_prose(after)
            and not _looks_like_prose(following)
        ):
            report.warn(
                source,
                title.line,
                f"title without abstract ({_short(title.text)}); "
                "add the abstract after a blank line, or delete the title.",
            )
            index += 1
        else:
            records.append(Record(title.text, following.text, source, title.line))
            index += 2
    return records


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
