"""What a built HTML page says and does, read with the standard library's HTML parser.

The parser sees the page as a browser would: text is text after entities are decoded,
and a tag or attribute is whatever the HTML really contains. Tests compare that text
with the input and look for anything active the input could have smuggled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


@dataclass
class Page:
    """The parts of a page the hostile-input tests look at."""

    title: str = ""
    h1: list[str] = field(default_factory=list)
    header_topic: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    inline_scripts: list[str] = field(default_factory=list)  # code, not data
    data_scripts: list[str] = field(default_factory=list)  # JSON: ld+json and the like
    script_srcs: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    event_attributes: list[str] = field(default_factory=list)  # "tag onerror=..."
    active_urls: list[str] = field(default_factory=list)  # javascript:, data:, vbscript:
    text: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.captures: list[tuple[str, list[str], str]] = []  # (tag, parts, kind)
        self.body: list[str] = []
        self.script: list[str] | None = None
        self.script_is_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.page.tags.add(tag)
        for name, value in values.items():
            if name.startswith("on"):
                self.page.event_attributes.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action", "formaction", "data", "xlink:href"):
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text")):
                    self.page.active_urls.append(f"{tag} {name}={value}")
        if tag == "script":
            if "src" in values:
                self.page.script_srcs.append(values["src"])
            else:
                self.script = []
                self.script_is_data = "json" in values.get("type", "")
        if tag in _VOID:
            return
        self.stack.append((tag, values))
        kind = self._kind(tag, values)
        if kind:
            self.captures.append((tag, [], kind))

    def _kind(self, tag: str, values: dict[str, str]) -> str:
        if tag in ("title", "h1", "a"):
            return tag
        if tag == "span" and "md-ellipsis" in values.get("class", "").split():
            inside_topic = any(
                "md-header__topic" in attrs.get("class", "") for _, attrs in self.stack[:-1]
            )
            return "topic" if inside_topic else ""
        return ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            kept = self.page.data_scripts if self.script_is_data else self.page.inline_scripts
            kept.append("".join(self.script))
            self.script = None
        while self.stack:
            open_tag, values = self.stack.pop()
            if self.captures and self.captures[-1][0] == open_tag:
                _, parts, kind = self.captures.pop()
                self._store(kind, " ".join("".join(parts).split()), values)
            if open_tag == tag:
                break

    def _store(self, kind: str, text: str, values: dict[str, str]) -> None:
        if kind == "title":
            self.page.title = text
        elif kind == "h1":
            self.page.h1.append(text)
        elif kind == "a":
            self.page.links.append((values.get("href", ""), text))
        elif kind == "topic" and text:
            self.page.header_topic.append(text)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.append(data)
            return
        for _, parts, _ in self.captures:
            parts.append(data)
        self.body.append(data)


def parse(html: str) -> Page:
    """The title, headings, links, scripts and active attributes of an HTML page."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    parser.page.text = " ".join("".join(parser.body).split())
    return parser.page
