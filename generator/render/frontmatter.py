"""YAML front matter for generated pages, written directly: PyYAML's representer took a tenth of
rendering a paper page.

Mappings, lists, text, integers, booleans and None are written in one style: block mappings with
sorted keys, block lists, and every text but a plain word double-quoted with JSON's escapes (all of
them YAML's) plus \\u escapes for what YAML would not read back as written, so input never becomes
structure. Anything else (a float, a lone surrogate) is dumped by PyYAML; tests/test_escape.py
checks PyYAML reads it back."""

from __future__ import annotations

import json
import re

import yaml

# Plain words YAML 1.1 reads as something other than text are quoted like any other text.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# (compared case-insensitively, as YAML 1.1 resolves them)
_NOT_TEXT = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])
# Raw in a quoted scalar these would be folded (NEL, line and paragraph separators) or
# refused (C1 controls, DEL, BOM, non-characters): written as \u escapes instead.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_YAML_BREAKS = "\x85\u2028\u2029"


class _Unsupported(Exception):
    pass


def front_matter(data: dict) -> str:
    """`data` as YAML front matter: values are dumped, never spliced, so input cannot break
    it. What this writer does not write (a lone surrogate, which libyaml's emitter refuses)
    goes through PyYAML's Python emitter."""
    lines: list[str] = []
    try:
        _mapping(data, "", lines)
    except _Unsupported:
        dumped = yaml.safe_dump(data, sort_keys=True, allow_unicode=True)
        if any(char in dumped for char in _YAML_BREAKS):  # a reader would fold them to spaces
            dumped = yaml.safe_dump(data, sort_keys=True, allow_unicode=False)
        return "---\n" + dumped + "---\n"
    return "---\n" + ("".join(lines) or "{}\n") + "---\n"


def _mapping(data: dict, indent: str, lines: list[str]) -> None:
    for key in sorted(data):
        if not isinstance(key, str):
            raise _Unsupported
        value = data[key]
        head = f"{indent}{_text(key)}:"
        if isinstance(value, dict) and value:
            lines.append(head + "\n")
            _mapping(value, indent + "  ", lines)
        elif isinstance(value, list) and value:
            lines.append(head + "\n")
            for item in value:  # an indentless sequence, as PyYAML writes it
                if isinstance(item, dict) and item:  # its first key on the dash's line
                    start = len(lines)
                    _mapping(item, indent + "  ", lines)
                    lines[start] = f"{indent}- " + lines[start][len(indent) + 2 :]
                else:
                    lines.append(f"{indent}- {_flow(item)}\n")
        else:
            lines.append(f"{head} {_flow(value)}\n")


def _flow(value: object) -> str:
    """A scalar, or an empty or nested collection, in flow style on one line."""
    if isinstance(value, str):
        return _text(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        if any(not isinstance(key, str) for key in value):
            raise _Unsupported
        return "{" + ", ".join(f"{_text(k)}: {_flow(value[k])}" for k in sorted(value)) + "}"
    raise _Unsupported


def _text(text: str) -> str:
    if _PLAIN.match(text) and text.lower() not in _NOT_TEXT:
        return text
    if _SURROGATE.search(text):
        raise _Unsupported
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
