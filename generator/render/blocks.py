"""A generated page's body, described once and written twice: as Markdown and as HTML.

The HTML is what Python-Markdown makes of the Markdown, written directly from the same description,
so the plugin's `ReadyPage` need not convert it (most of MkDocs' time per page);
tests/test_paper_html.py holds the two writers equal. Inline content is a tuple of pieces whose text
is raw input, escaped by each writer for its format. Links to other pages are docs-relative Markdown
paths in both formats, which `ReadyPage` resolves as MkDocs does."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain

from generator.render.escape import md_inline, one_line, safe_url, short_cached


@dataclass(frozen=True)
class Text:
    text: str
    keep_spaces: bool = False  # a space at either end survives (it separates text from a link)


@dataclass(frozen=True)
class Link:
    """A link to another page of the site: `target` is relative to this page's .md file."""

    text: str
    target: str
    css: str = ""


@dataclass(frozen=True)
class External:
    """A link off the site; shown as plain text when the URL is not http(s)."""

    text: str
    url: str


@dataclass(frozen=True)
class Icon:
    name: str  # e.g. "material-github", as in Material's emoji shortcodes


@dataclass(frozen=True)
class Raw:
    """Markup written as is in both formats: fixed markup of ours, never input, or pieces
    already written (and escaped) by `rendered`."""

    markdown: str
    html: str


def fixed(text: str) -> Raw:
    """Text of ours (no input in it) written as is: the same in Markdown and in HTML."""
    return Raw(text, text)


DOT = fixed(" · ")


def joined(separator: object, parts: Iterable) -> tuple:
    """`parts` in order with `separator` between each two."""
    return tuple(chain.from_iterable((separator, part) for part in parts))[1:]


def emphasis(text: str) -> tuple:
    return (Raw("*", "<em>"), Text(text), Raw("*", "</em>"))


def below(*pieces: object) -> tuple:
    """`pieces` as a list item's second line, in small print (static/catalogue.css)."""
    return (fixed(" <small>"), *pieces, fixed("</small>"))


def rendered(pieces: Inline) -> Raw:
    """The pieces written once in both formats: a list item that recurs on many pages."""
    return Raw(inline(pieces), inline(pieces, as_html=True))


Inline = tuple  # of Text | Link | External | Icon | Raw


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    search_exclude: bool = False
    anchor: str = ""  # a fixed id (from [a-z]), so links from other pages always find it


@dataclass(frozen=True)
class Paragraph:
    pieces: Inline
    css: str = ""


@dataclass(frozen=True)
class Items:
    items: tuple[Inline, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Code:
    text: str
    language: str


@dataclass(frozen=True)
class RawBlock:
    """A block of fixed HTML of ours, never input: written as is in both formats."""

    html: str


Block = Heading | Paragraph | Items | Code | RawBlock


# Markdown ---------------------------------------------------------------------------------


def to_markdown(blocks: Sequence[Block]) -> str:
    """The blocks as Markdown, one block per paragraph."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            attrs = [f"#{fixed}"] if (fixed := _fixed(block)) else []
            attrs += ["data-search-exclude"] if block.search_exclude else []
            braces = f" {{ {' '.join(attrs)} }}" if attrs else ""
            out.append(f"{'#' * block.level} {md_inline(block.text)}{braces}\n")
        elif isinstance(block, Paragraph):
            text = inline(block.pieces).strip()
            out.append(text + (f"\n{{: .{block.css} }}" if block.css else "") + "\n")
        elif isinstance(block, Items):
            lines = [
                f"{f'{n}.' if block.ordered else '-'} {inline(item).strip()}"
                for n, item in enumerate(block.items, start=1)
            ]
            out.append("\n".join(lines) + "\n")
        elif isinstance(block, RawBlock):
            out.append(block.html + "\n")
        else:
            longest = max((len(run) for run in re.findall("`+", block.text)), default=0)
            fence = "`" * max(3, longest + 1)
            out.append(f"{fence} {block.language}\n{block.text.rstrip(chr(10))}\n{fence}\n")
    return "\n".join(out)


def inline(pieces: Inline, as_html: bool = False) -> str:
    """Inline pieces as Markdown, or as HTML."""
    escape = _escape if as_html else md_inline
    out = []
    for piece in pieces:
        if isinstance(piece, Text):
            text = escape(piece.text)
            if piece.keep_spaces:
                # HTML keeps no space after text escaped to spaces alone (control characters)
                after = piece.text[-1:].isspace() and (text.strip() if as_html else text)
                before = " " if piece.text[:1].isspace() else ""
                text = before + text + (" " if after else "")
            out.append(text)
        elif isinstance(piece, Link) and as_html:
            css = f'class="{piece.css}" ' if piece.css else ""
            href = html.escape(piece.target, quote=True)
            out.append(f'<a {css}href="{href}">{escape(piece.text)}</a>')
        elif isinstance(piece, Link):
            css = f"{{ .{piece.css} }}" if piece.css else ""
            out.append(f"[{escape(piece.text)}]({piece.target}){css}")
        elif isinstance(piece, External):
            url = safe_url(piece.url)
            label = escape(piece.text)
            out.append(f'<a href="{url}" rel="nofollow">{label}</a>' if url else label)
        elif isinstance(piece, Icon):
            out.append(icon(piece.name))
        else:
            out.append(piece.html if as_html else piece.markdown)
    return "".join(out)


# HTML -------------------------------------------------------------------------------------


@short_cached
def _escape(text: str) -> str:
    # Quotes too: then no text can look like the href="..." the hook resolves.
    return html.escape(one_line(text), quote=True)


def to_html(blocks: Sequence[Block]) -> tuple[str, list[dict]]:
    """The blocks as the HTML Python-Markdown makes of `to_markdown(blocks)`, and the table
    of contents tokens its `toc` extension would give: ids made by its default slugify,
    made unique and nested by `toc` itself."""
    from markdown.extensions import toc

    out: list[str] = []
    tokens: list[dict] = []
    # toc keeps fixed ids and gives the other headings ids around them
    used = {fixed for b in blocks if isinstance(b, Heading) and (fixed := _fixed(b))}
    for block in blocks:
        if isinstance(block, Heading):
            name = one_line(block.text)
            anchor = _fixed(block) or toc.unique(toc.slugify(name, "-"), used)
            exclude = " data-search-exclude" if block.search_exclude else ""
            h = f"h{block.level}"
            out.append(f'<{h}{exclude} id="{anchor}">{_escape(block.text)}</{h}>')
            tokens.append({"level": block.level, "id": anchor, "name": html.escape(name, False)})
        elif isinstance(block, Paragraph):
            css = f' class="{block.css}"' if block.css else ""
            out.append(f"<p{css}>{inline(block.pieces, as_html=True).strip()}</p>")
        elif isinstance(block, Items):
            tag = "ol" if block.ordered else "ul"
            items = "\n".join(
                f"<li>{inline(item, as_html=True).strip()}</li>" for item in block.items
            )
            out.append(f"<{tag}>\n{items}\n</{tag}>")
        elif isinstance(block, RawBlock):
            out.append(block.html)
        else:
            out.append(highlight(block.text.rstrip("\n"), block.language))
    return "\n".join(out), toc.nest_toc_tokens(tokens)


def _fixed(heading: Heading) -> str:
    """The heading's fixed id; none for a blank heading, whose `{ #id }` Markdown shows."""
    return heading.anchor if heading.anchor and md_inline(heading.text).strip() else ""


def title_of(blocks: Sequence[Block]) -> str:
    """The first level-1 heading's text as `to_html`'s table of contents names it
    (escaped, as MkDocs' is), or "" for none or a blank one."""
    first = next((b for b in blocks if isinstance(b, Heading) and b.level == 1), None)
    name = html.escape(one_line(first.text), False) if first else ""
    return name if name.strip() else ""


def icon(name: str) -> str:
    """An emoji shortcode's icon, the same in both formats: an empty <svg> that
    static/catalogue.css masks with Material's icon (whose inline SVG was 1.1 KB a link)."""
    svg = f'<svg class="cat-icon cat-icon--{name.partition("-")[2]}" viewBox="0 0 24 24">'
    return f'<span class="twemoji">{svg}</svg></span>'


@cache
def _formatter(language: str):
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(language), HtmlFormatter(nowrap=True)


def highlight(text: str, language: str) -> str:
    """A code block as pymdownx.highlight writes it (Pygments, language class on the div)."""
    from pygments import highlight as pygments_highlight

    lexer, formatter = _formatter(language)
    code = pygments_highlight(text, lexer, formatter)
    return (
        f'<div class="language-{language} highlight"><pre><span></span><code>'
        f"{code}</code></pre></div>"
    )
