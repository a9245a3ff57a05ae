"""Reader for BibTeX files (`*.bib` in site_src/): each entry becomes a PaperRecord.

bibtexparser (v2) splits the file and resolves @string macros; it reports each block it cannot parse
with its line, so one broken entry costs only that entry. LaTeX in the text fields is turned into
plain text with pylatexenc (`{\\"o}` -> `ö`, `$\\alpha$` -> `α`, protective braces dropped); URLs,
DOIs and eprints are used as written."""

from __future__ import annotations

import logging
import re
from itertools import accumulate

import bibtexparser
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import LatexWalker, get_default_latex_context_db

from generator.model import PaperRecord
from generator.read.arxiv import EXPECTED as EXPECTED_ARXIV
from generator.read.arxiv import parse_arxiv_id
from generator.read.listing import decode
from generator.read.records import parse_date
from generator.read.text import bounded, clean_abstract, clean_title
from generator.report import Report

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS = {name: n for n, full in enumerate(_MONTH_NAMES, start=1) for name in (full, full[:3])}
MONTHS["sept"] = 9
# Where an entry may mention its arXiv id besides `eprint`.
_ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv:\s*|arxiv\.org/(?:abs|pdf)/|10\.48550/arxiv\.)"
    r"([a-z.-]+/\d{7}|\d{4}\.\d{4,5})(v\d+)?",
    re.IGNORECASE,
)
_NOT_A_VENUE = re.compile(r"^(?:arxiv\b|corr$)", re.IGNORECASE)
_DECODER = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)
# Built once: pylatexenc would otherwise rebuild its macro table for every value.
_WALKER_CONTEXT = get_default_latex_context_db()
_LATEX = re.compile(r"[\\{}$~%^_&]|--|``|''")
_BRACE = re.compile(r"(?<!\\)[{}]")
# bibtexparser logs each block it cannot parse; `read_bibtex` reports them itself, with
# file and line, so the library's own log records go nowhere.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False


def latex_to_text(value: str) -> str:
    """A BibTeX field's LaTeX as plain text, on one line."""
    if not _LATEX.search(value):  # most names and many titles: nothing to decode
        return clean_title(value)
    try:
        walker = LatexWalker(value, latex_context=_WALKER_CONTEXT, tolerant_parsing=True)
        text = _DECODER.nodelist_to_text(walker.get_latex_nodes()[0])
    except Exception:  # pylatexenc is tolerant; if it gives up anyway (braces nested
        text = _BRACE.sub("", value)  # thousands deep), the text without its grouping braces
    return clean_title(clean_abstract(text))


def read_bibtex(source: str, data: bytes, report: Report) -> tuple[PaperRecord, ...]:
    """Every entry of a .bib file that has a title, as a record."""
    library = bibtexparser.parse_string(decode(source, data, report))
    entries: list[Entry] = list(library.entries)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        entry = getattr(block, "ignore_error_block", None)  # what a duplicate still gives
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(entry, Entry):
            report.warn(source, line, f"entry key {block.key!r:.40} is used twice; rename one.")
            entries.append(entry)
        elif isinstance(block, DuplicateFieldKeyBlock) and isinstance(entry, Entry):
            keys = ", ".join(sorted(block.duplicate_keys))
            report.warn(source, line, f"field(s) {keys:.60} given twice in this entry; keep one.")
            entries.append(entry)
        else:
            error = block.error
            why = getattr(error, "abort_reason", "") or getattr(error, "message", "") or error
            reason = " ".join(str(why).split()) or "syntax error"
            report.warn(
                source,
                line,
                f"BibTeX entry could not be read ({reason:.120}); it was skipped. "
                "Check its braces, quotes and commas.",
            )
    entries.sort(key=lambda entry: entry.start_line or 0)
    strings: dict[str, str] = {}
    for string in library.strings:  # each in terms of those before it, as BibTeX reads them
        strings[string.key.lower()] = _unwrap(_joined(str(string.value), strings))
    records = (_record(source, entry, report, strings) for entry in entries)
    return tuple(record for record in records if record is not None)


def _record(
    source: str, entry: Entry, report: Report, strings: dict[str, str]
) -> PaperRecord | None:
    line = (entry.start_line or 0) + 1
    fields = {
        field.key.lower(): _unwrap(_joined(str(field.value), strings)) for field in entry.fields
    }
    title = bounded(latex_to_text(fields.get("title", "")), "title", report, source, line)
    if not title:
        report.warn(source, line, f"entry {entry.key!r:.40} has no title; it was skipped.")
        return None
    abstract = latex_to_text(fields.get("abstract", ""))
    return PaperRecord(
        title=title,
        source=source,
        line=line,
        abstract=bounded(abstract, "abstract", report, source, line),
        authors=_authors(source, line, fields.get("author", ""), report),
        arxiv_id=_arxiv_id(source, line, fields, report),
        published=_published(source, line, fields, report),
        venue=_venue(fields),
        links=_links(fields),
    )


def _joined(value: str, strings: dict[str, str]) -> str:
    """A value written as parts joined by `#` (`s29 # " and " # {x}`), joined as BibTeX
    joins them: quoted and braced parts as written, @string names by their values (each
    joined already), numbers as they are; at most _LONGEST characters, however the @strings
    double each other. A value of one part that names no @string is left to bibtexparser."""
    parts = _parts(value)
    if len(parts) < 2 and parts[0].lower() not in strings:
        return value
    out, size = [], 0
    for part in parts:
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        else:  # an @string's value; a number, or a name no @string defines, as written
            out.append(strings.get(part.lower(), part))
        size += len(out[-1])
        if size > _LONGEST:
            break
    return "{" + "".join(out)[:_LONGEST] + "}"


_LONGEST = 100_000  # past every field's limit (`text.LIMITS`), which then cuts and says so


def _parts(value: str) -> list[str]:
    """`value` split at each `#` outside braces and quotes, each part stripped."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in value:
        if char == "#" and depth == 0 and not quoted:
            parts.append("".join(current).strip())
            current = []
            continue
        if char == '"' and depth == 0:
            quoted = not quoted
        depth += (char == "{") - (char == "}")
        current.append(char)
    parts.append("".join(current).strip())
    return parts


def _unwrap(value: str) -> str:
    """A value without its enclosing braces or quotes; entries bibtexparser rejected
    (duplicate keys) come back with them."""
    text = value.strip()
    if len(text) >= 2 and (text[0], text[-1]) in (("{", "}"), ('"', '"')):
        depths = [0, *accumulate((char == "{") - (char == "}") for char in text[1:-1])]
        # `{a} and {b}` is not one enclosed value: only unwrap when the braces balance.
        if text[0] == '"' or (min(depths) >= 0 and depths[-1] == 0):
            return text[1:-1]
    return value


def _authors(source: str, line: int, value: str, report: Report) -> tuple[str, ...]:
    names = []
    try:
        for name in split_multiple_persons_names(value) if value.strip() else ():
            parts = parse_single_name_into_parts(name, strict=False)
            text = latex_to_text(parts.merge_first_name_first)
            if text and text.casefold() != "others":
                names.append(text)
    except Exception as error:  # a malformed name list must not cost the entry
        report.warn(source, line, f"authors could not be read ({error}); they were left out.")
        return ()
    return tuple(dict.fromkeys(names))


def _arxiv_id(source: str, line: int, fields: dict[str, str], report: Report) -> str:
    eprint = fields.get("eprint", "").strip()
    kind = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if eprint and kind in ("arxiv", ""):
        parsed = parse_arxiv_id(eprint)
        if parsed:
            return parsed
        if kind == "arxiv":
            report.warn(source, line, f"bad arXiv eprint {eprint!r:.40}; write {EXPECTED_ARXIV}.")
    for name in ("journal", "note", "url", "doi", "howpublished", "volume"):
        match = _ARXIV_IN_TEXT.search(fields.get(name, ""))
        if match:
            parsed = parse_arxiv_id(match.group(1) + (match.group(2) or ""))
            if parsed:
                return parsed
    return ""


def _published(source: str, line: int, fields: dict[str, str], report: Report) -> str:
    date = fields.get("date", "").strip()
    if date:
        parsed = parse_date(date)
        if parsed is None:
            report.warn(source, line, f"bad date {date!r:.40}; write YYYY-MM-DD, YYYY-MM or YYYY.")
        return parsed or ""
    year = fields.get("year", "").strip()
    if not year:
        return ""
    month_text = fields.get("month", "").strip().lower().rstrip(".")
    ascii_digits = month_text.isascii() and month_text.isdigit()  # not '²' or '２'
    month = MONTHS.get(month_text) or (int(month_text) if ascii_digits else 0)
    text = f"{year}-{month:02d}" if 1 <= month <= 12 else year
    parsed = parse_date(text)
    if parsed is None:
        report.warn(source, line, f"bad year {year!r:.40}; write the year as four digits.")
    return parsed or ""


def _venue(fields: dict[str, str]) -> str:
    for name in ("journal", "booktitle"):
        venue = latex_to_text(fields.get(name, ""))
        if venue and not _NOT_A_VENUE.match(venue):
            return venue
    return ""


def _links(fields: dict[str, str]) -> tuple[str, ...]:
    links = []
    url = fields.get("url", "").strip()
    if url.lower().startswith(("http://", "https://")) and "arxiv.org/" not in url.lower():
        links.append(url)
    doi = fields.get("doi", "").strip().removeprefix("https://doi.org/")
    if doi and not doi.lower().startswith("10.48550/"):  # arXiv's own DOIs: links cover them
        links.append(f"https://doi.org/{doi}")
    return tuple(links)
