"""Makes input text inert in Markdown and HTML. Every string from a listing goes through here.

Python-Markdown honours backslash escapes only for its own set of characters, so those are
backslash-escaped; HTML-significant characters become entities; characters that extensions give
meaning to (`|` tables, `:` emoji shortcodes, `~`, `^`, `=`, `$`) become numeric references. The
result reads as the literal input and never forms structure."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import lru_cache, wraps

CONTROL = {i: " " for i in [*range(32), *range(0x7F, 0xA0)]}  # control characters: spaces
# One translation table: str.translate is several times faster than a loop per character,
# which matters at tens of thousands of pages.
_TABLE = {
    **CONTROL,
    **{ord(c): "\\" + c for c in "\\`*_{}[]()#+-.!"},  # Python-Markdown's escapable set
    **{ord(c): f"&#{ord(c)};" for c in "|:~^=$"},
    **str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}),
}


def one_line(text: str) -> str:
    """The text on one line, white space runs and control characters made single spaces:
    what `md_inline` shows, before its escapes."""
    return " ".join(text.split()).translate(CONTROL)


def short_cached(escape: Callable[[str], str]) -> Callable[[str], str]:
    """`escape` with its results for short texts kept. Titles, tag names and shared terms
    recur on thousands of pages (a paper's title on each page listing or relating it); long
    texts (abstracts) are not kept, so the cache stays small."""
    cached = lru_cache(maxsize=1 << 15)(escape)

    @wraps(escape)
    def escaped(text: str) -> str:
        return cached(text) if len(text) <= 300 else escape(text)

    return escaped


@short_cached
def md_inline(text: str) -> str:
    """Text safe to place anywhere inline in Markdown: link text, list item, paragraph."""
    return " ".join(text.split()).translate(_TABLE)  # no line breaks: no block can form


def attr(text: str) -> str:
    """Text safe inside a double-quoted HTML attribute."""
    return html.escape(" ".join(text.split()), quote=True)


def safe_url(url: str) -> str | None:
    """An http(s) URL escaped for an attribute, or None for any other scheme."""
    stripped = url.strip()
    if not stripped.lower().startswith(("http://", "https://")):
        return None
    return attr(stripped)
