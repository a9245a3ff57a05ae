"""Makes input text inert in Markdown and HTML. Every string from a listing goes through here.

Python-Markdown honours backslash escapes only for its own set of characters, so those
are backslash-escaped; HTML-significant characters become entities; characters that
extensions give meaning to (`|` tables, `:` emoji shortcodes, `~`, `^`, `=`, `$`) become
numeric references. The result reads as the literal input and never forms structure.
"""

from __future__ import annotations

import html

_BACKSLASH = set("\\`*_{}[]()#+-.!")
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}
_NUMERIC = set("|:~^=$")


def md_inline(text: str) -> str:
    """Text safe to place anywhere inline in Markdown: link text, list item, paragraph."""
    text = " ".join(text.split())  # no line breaks: no block structure can form
    out = []
    for char in text:
        if char in _ENTITY:
            out.append(_ENTITY[char])
        elif char in _BACKSLASH:
            out.append("\\" + char)
        elif char in _NUMERIC:
            out.append(f"&#{ord(char)};")
        elif ord(char) < 32 or 0x7F <= ord(char) < 0xA0:
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def attr(text: str) -> str:
    """Text safe inside a double-quoted HTML attribute."""
    return html.escape(" ".join(text.split()), quote=True)


def safe_url(url: str) -> str | None:
    """An http(s) URL escaped for an attribute, or None for any other scheme."""
    stripped = url.strip()
    if not stripped.lower().startswith(("http://", "https://")):
        return None
    return attr(stripped)
