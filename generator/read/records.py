"""Readers for structured paper records (`site_src/papers/*.yaml|*.yml|*.json`).

A file holds one record (a mapping) or a list of them. Every field but `title` is optional; see
FIELDS. Each record is validated field by field: a bad field is reported with its line and dropped,
the rest of the record is kept; a record without a title is reported and skipped. Nothing here
raises on bad input."""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections import Counter
from functools import partial

import yaml

from generator.model import PaperRecord
from generator.read.arxiv import EXPECTED as EXPECTED_ARXIV
from generator.read.arxiv import parse_arxiv_id
from generator.read.history import iso_day
from generator.read.listing import decode
from generator.read.text import LIMITS, bounded, clean_title
from generator.report import Report

TEXT_FIELDS = ("title", "abstract", "arxiv_id", "published", "venue")
FIELDS = ("title", "abstract", "authors", "arxiv_id", "published", "venue", "links", "tags")
# libyaml's loader when PyYAML was built with it (it is ~10x faster); same safe schema.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
# What a message calls a value of each type JSON and YAML give.
_KINDS = {type(None): "empty", list: "a list", dict: "a mapping", bool: "true/false", str: "text"}
_KINDS |= dict.fromkeys((int, float), "a number")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


# A record as found: its line, and each field's value with the field's own line.
_Raw = tuple[int, dict[str, tuple[object, int]]]


def parse_date(text: str) -> str | None:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) that exists in the calendar, or None."""
    match = _ISO_DATE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    return match.group(0) if iso_day(year, month, day) else None


# Text fields that must parse: how, what a bad one is called and what to write instead.
_PARSED = {
    "arxiv_id": (parse_arxiv_id, "arXiv id", EXPECTED_ARXIV),
    "published": (parse_date, "date", "the publication date as YYYY-MM-DD, YYYY-MM or YYYY"),
}


def validate(source: str, raw: _Raw, report: Report) -> PaperRecord | None:
    """A PaperRecord from a raw record; bad fields are reported and left out."""
    start, fields = raw
    values: dict[str, object] = {}
    for name, (value, line) in fields.items():
        if name not in FIELDS:
            close = difflib.get_close_matches(name, FIELDS, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            known = f"Known fields: {', '.join(FIELDS)}."
            report.warn(source, line, f"unknown field {name!r:.40}; {hint}it was ignored. {known}")
            continue
        checked = _check(source, name, value, line, report)
        if checked:
            values[name] = checked
    title = values.pop("title", "")
    if not title:
        report.warn(source, start, "record without a title was skipped; add 'title:'.")
        return None
    return PaperRecord(title=str(title), source=source, line=start, **values)  # type: ignore[arg-type]


def _check(source: str, name: str, value: object, line: int, report: Report) -> object:
    """The field's value if valid (text stripped, lists as tuples), else a warning and None."""
    textual = name in TEXT_FIELDS
    if not textual and isinstance(value, list):
        return _entries(source, name, value, line, report)
    if not textual or not isinstance(value, str):
        wanted = "text" if textual else "a list"
        fix = "put the value in quotes" if textual else "write it as [first, second]"
        kind = _KINDS.get(type(value), type(value).__name__)
        report.warn(source, line, f"'{name}' must be {wanted}, not {kind}; {fix}.")
        return None
    text = clean_title(value)
    if name in _PARSED and text:
        parse, what, expected = _PARSED[name]
        parsed = parse(text)
        if parsed is None:
            report.warn(source, line, f"bad {what} {text!r:.40}; write {expected}.")
        return parsed
    if name in LIMITS:
        text = bounded(value.strip() if name == "abstract" else text, name, report, source, line)
    return text


def _entries(source: str, name: str, value: list, line: int, report: Report) -> tuple[str, ...]:
    """A list field's entries, cleaned and without repeats; any but text reported, dropped."""
    items = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            report.warn(source, line, f"'{name}' entry {item!r:.40} is not text; it was dropped.")
        elif name == "links" and not item.strip().lower().startswith(("http://", "https://")):
            report.warn(source, line, f"link {item!r:.60} is not an http(s) URL; it was dropped.")
        else:
            items.append(clean_title(item))
    return tuple(dict.fromkeys(items))


def _records(source: str, raws: list[_Raw], report: Report) -> tuple[PaperRecord, ...]:
    if not raws:
        report.warn(source, 0, "no records found; write a record (title: ...) or a list of them.")
    checked = (validate(source, raw, report) for raw in raws)
    return tuple(record for record in checked if record is not None)


def read_yaml_records(source: str, data: bytes, report: Report) -> tuple[PaperRecord, ...]:
    """Records from a YAML file: one mapping, or a list of mappings."""
    text = decode(source, data, report)
    try:
        raws = _yaml_raws(source, _LOADER(text).get_single_node(), report)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 0
        if isinstance(error, yaml.reader.ReaderError):
            line = text.count("\n", 0, error.position) + 1
        problem = getattr(error, "problem", None) or getattr(error, "reason", None) or "syntax"
        report.warn(
            source,
            line,
            f"not valid YAML ({problem}); no record in this file was read. Fix the syntax.",
        )
        return ()
    return _records(source, raws, report)


def _yaml_raws(source: str, root: yaml.Node | None, report: Report) -> list[_Raw]:
    if root is None:
        return []
    items = root.value if isinstance(root, yaml.SequenceNode) else [root]
    raws = []
    for node in items:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            report.warn(source, line, "a record must be a mapping of fields (title: ...); skipped.")
            continue
        fields: dict[str, tuple[object, int]] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):  # str() of it could expand aliases
                report.warn(source, key_line, "a field name must be plain text; field skipped.")
                continue
            key = str(key_node.value)
            if key in fields:
                report.warn(source, key_line, f"field {key!r:.40} given twice; the last is used.")
            fields[key] = (_yaml_value(value_node), key_line)
        raws.append((line, fields))
    return raws


def _yaml_value(node: yaml.Node) -> object:
    """A field's value without running YAML's constructors.

    Scalars stay text exactly as written (YAML would read `2307.10200` as a float and `2023-07-07`
    as a date), so no digit is lost and no tag can run code; lists hold scalars only, so an alias
    cannot expand into anything large."""
    if isinstance(node, yaml.ScalarNode):
        return None if node.tag == "tag:yaml.org,2002:null" else str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [
            _yaml_value(item) if isinstance(item, yaml.ScalarNode) else {} for item in node.value
        ]
    return {}


def read_json_records(source: str, data: bytes, report: Report) -> tuple[PaperRecord, ...]:
    """Records from a JSON file: one object, or an array of objects."""
    text = decode(source, data, report)
    try:
        value = _JSON.decode(text)
    except json.JSONDecodeError as error:
        report.warn(
            source,
            error.lineno,
            f"not valid JSON ({error.msg}); no record in this file was read. Fix the syntax.",
        )
        return ()
    except RecursionError:
        report.warn(source, 0, "JSON nested too deeply; no record in this file was read.")
        return ()
    raws = []
    # Line numbers by bisection (counting newlines per field would be quadratic); a newline
    # before the text makes them start at 1.
    line_at = partial(bisect.bisect_left, [-1, *(m.start() for m in re.finditer("\n", text))])
    for item, start, end in _json_items(text, value):
        line = line_at(start)
        if not isinstance(item, _Fields):  # what `_JSON` makes of an object
            report.warn(source, line, "a record must be an object of fields; skipped.")
            continue
        fields = {}
        for key, field in item.items():
            name = _SURROGATE.sub("\ufffd", key)
            found = re.compile(re.escape(json.dumps(key)) + r"\s*:").search(text, start, end)
            at = line_at(found.start()) if found else line
            clean = _without_surrogates(field)
            if clean != field:
                report.warn(
                    source,
                    at,
                    f"field {name!r:.40} holds a lone surrogate escape "
                    "(\\ud800-\\udfff), which is no character; it is shown as U+FFFD.",
                )
            fields[name] = (clean, at)
        for key in item.twice:
            name = _SURROGATE.sub("\ufffd", key)
            report.warn(source, line, f"field {name!r:.40} given twice; the last is used.")
        raws.append((line, fields))
    return _records(source, raws, report)


_SURROGATE = re.compile("[\ud800-\udfff]")
_LONGEST_INT = 100  # digits; Python refuses to convert more than 4,300


def _json_int(digits: str) -> int | float:
    """A JSON integer; one too long to convert counts as an endless number, which the
    field's check reports like any number where text is needed."""
    return int(digits) if len(digits) <= _LONGEST_INT else float("inf")


class _Fields(dict):
    """A JSON object's fields, and the names given more than once (the last value kept)."""

    def __init__(self, pairs: list[tuple[str, object]]) -> None:
        super().__init__(pairs)
        self.twice = [name for name, n in Counter(n for n, _ in pairs).items() if n > 1]


# NaN and Infinity, which Python's JSON reads, are numbers where text is needed too.
_JSON = json.JSONDecoder(
    parse_int=_json_int, parse_constant=lambda _: float("inf"), object_pairs_hook=_Fields
)


def _without_surrogates(value: object) -> object:
    """`value` with every lone surrogate in its texts replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_SURROGATE.sub("\ufffd", str(k)): _without_surrogates(v) for k, v in value.items()}
    return value


def _json_items(text: str, value: object) -> list[tuple[object, int, int]]:
    """Each record with the span of text it came from (the text is known to be valid)."""

    def skip(index: int) -> int:
        return _JSON_SPACE.match(text, index).end()  # type: ignore[union-attr]

    if not isinstance(value, list):
        return [(value, skip(0), len(text))]
    items = []
    index = skip(text.index("[") + 1)
    while text[index] != "]":
        item, end = _JSON.raw_decode(text, index)
        items.append((item, index, end))
        index = skip(end)
        if text[index] == ",":
            index = skip(index + 1)
    return items
