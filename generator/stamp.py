"""Paper pages from a stamp: the theme's template rendered once per page shape, then
filled in for every paper of that shape.

The theme template (Material's base.html: header, tabs, navigation, table of contents,
footer, scripts) is most of what MkDocs spends on a paper page whose HTML body is ready,
and all paper pages at one depth, with the same sections and the same kind of front
matter, differ only in a few values: the body, the title, the table of contents' titles
and anchors, the paper's front matter (citation meta tags, JSON-LD) and the page's URL.

So for each shape the first page is rendered normally, and twice more as a twin whose
values are tokens: once bare, which marks where each value goes, once with a probe of
HTML special characters after each token, which shows how the template transformed the
value there (as is, HTML-escaped, striptags then escaped, or as a JSON string). The stamp
is the rendered twin cut at those places. It is trusted only after it reproduced two real
pages of its shape byte for byte (the first, and the second, rendered normally to check);
a shape it cannot learn or reproduce is rendered normally, page by page.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape
from mkdocs.structure.toc import AnchorLink, TableOfContents

TEXT_META = "paper"  # front matter whose string values are per-paper text (render.py)
_TOKEN = re.compile(r"qzx(\d{5})xzq")
PROBE = " <i>&amp;\"'</i>  q"  # every transform below makes something different of it

TRANSFORMS: dict[str, Callable[[str], str]] = {
    "raw": lambda value: value,
    "e": lambda value: str(escape(value)),
    "striptags": lambda value: Markup(value).striptags(),
    "striptags_e": lambda value: str(escape(Markup(value).striptags())),
    "json": lambda value: htmlsafe_json_dumps(value)[1:-1],
}

# A stamp is text with holes: a str is kept as it is, an int is value number n put
# through a transform, given as (n, transform name); URL holes are ("url", attribute).
Segment = str | tuple[int, str] | tuple[str, str]
URL_PARTS = ("canonical_url", "abs_url", "url")  # longest first: abs_url ends with url


def _token(number: int) -> str:
    return f"qzx{number:05d}xzq"


def parts(page) -> tuple[tuple, list[str]] | None:
    """The page's shape (what must be equal for one stamp to serve) and its values, in
    the order the stamp numbers them; None for a page no stamp can serve."""
    if page.previous_page is not None or page.next_page is not None or page.parent is not None:
        return None  # in the nav: the nav marks it, and links its neighbours
    meta = page.meta if isinstance(page.meta, dict) else None
    if meta is None or not isinstance(meta.get(TEXT_META), dict):
        return None
    if not isinstance(page.content, str) or not isinstance(page.title, str):
        return None
    values = [page.content, page.title]
    toc = _toc_shape(page.toc, values)
    text = _meta_shape(meta[TEXT_META], values)
    rest = {key: value for key, value in meta.items() if key != TEXT_META}
    try:
        others = json.dumps(rest, sort_keys=True)
    except (TypeError, ValueError):
        return None
    shape = (
        page.meta.get("template", "main.html"),
        page.url.count("/"),
        page.is_homepage,
        "<h1" in page.content,
        page.edit_url is None,
        page.canonical_url is None,
        toc,
        text,
        others,
    )
    return shape, values


def _toc_shape(items, values: list[str]) -> tuple:
    shape = []
    for item in items:
        values += [item.title, item.id]
        shape.append((item.level, _toc_shape(item.children, values)))
    return tuple(shape)


def _meta_shape(value, values: list[str]):
    if isinstance(value, str):
        values.append(value)
        return "$"
    if isinstance(value, dict):
        return tuple((str(key), _meta_shape(item, values)) for key, item in value.items())
    if isinstance(value, list):
        return ("list", tuple(_meta_shape(item, values) for item in value))
    return ("value", json.dumps(value, sort_keys=True, default=str))


def twin(page, values: list[str]):
    """A copy of the page with `values` in place of its own, in `parts` order."""
    other = copy.copy(page)
    feed = iter(values)
    other.content = next(feed)
    other.title = next(feed)  # overrides the property for this copy
    other.toc = TableOfContents(_toc_twin(page.toc, feed))
    other.meta = {**page.meta, TEXT_META: _meta_twin(page.meta[TEXT_META], feed)}
    return other


def _toc_twin(items, feed) -> list[AnchorLink]:
    made = []
    for item in items:
        link = AnchorLink(next(feed), next(feed), item.level)
        link.children = _toc_twin(item.children, feed)
        made.append(link)
    return made


def _meta_twin(value, feed):
    if isinstance(value, str):
        return next(feed)
    if isinstance(value, dict):
        return {key: _meta_twin(item, feed) for key, item in value.items()}
    if isinstance(value, list):
        return [_meta_twin(item, feed) for item in value]
    return value


def learn(page, count: int, render: Callable[[object], str]) -> tuple[Segment, ...] | None:
    """The stamp of `page`'s shape, from two renderings of its twin; None when the
    template puts a value somewhere no transform explains."""
    # Material prints a title of its own when the body has no <h1>: the body's stand-in
    # keeps one when the body has one.
    heading = "<h1" in page.content

    def dress(number: int, value: str) -> str:
        return f"<h1>{value}</h1>" if number == 0 and heading else value

    bare = render(twin(page, [dress(n, _token(n)) for n in range(count)]))
    probed = render(twin(page, [dress(n, _token(n) + PROBE) for n in range(count)]))
    segments: list[Segment] = []
    done = done_probed = 0
    for match in _TOKEN.finditer(bare):
        number = int(match.group(1))
        found = probed.find(match.group(0), done_probed)
        if number >= count or found < 0:
            return None
        shown = []
        for name, transform in TRANSFORMS.items():
            plain = transform(dress(number, match.group(0)))
            tried = transform(dress(number, match.group(0) + PROBE))
            start, start_probed = (
                match.start() - plain.find(match.group(0)),
                found - tried.find(match.group(0)),
            )
            if bare.startswith(plain, start) and probed.startswith(tried, start_probed):
                shown.append((name, start, start + len(plain), start_probed, tried))
        if len(shown) != 1:
            return None
        name, start, end, start_probed, tried = shown[0]
        if start < done or bare[done:start] != probed[done_probed:start_probed]:
            return None  # the template does more with a value than print it
        segments += [bare[done:start], (number, name)]
        done, done_probed = end, start_probed + len(tried)
    if bare[done:] != probed[done_probed:]:
        return None
    segments.append(bare[done:])
    if any(isinstance(s, str) and "qzx" in s for s in segments):
        return None  # part of a value, cut off from its token
    return tuple(_url_holes(segments, page))


def _url_holes(segments: list[Segment], page) -> list[Segment]:
    """The page's own URL (canonical, absolute, site-relative) in the stamp's text, made
    holes: the twin was rendered at the first page's address."""
    for name in URL_PARTS:
        url = getattr(page, name, None)
        if not url or len(url) < 2:
            continue
        cut: list[Segment] = []
        for segment in segments:
            if isinstance(segment, str) and url in segment:
                pieces = segment.split(url)
                for n, piece in enumerate(pieces):
                    if n:
                        cut.append(("url", name))
                    cut.append(piece)
            else:
                cut.append(segment)
        segments = cut
    return segments


def fill(stamp: tuple[Segment, ...], page, values: list[str]) -> str:
    """The page's HTML from its shape's stamp."""
    out = []
    for segment in stamp:
        if isinstance(segment, str):
            out.append(segment)
        elif segment[0] == "url":
            out.append(getattr(page, segment[1]))
        else:
            out.append(TRANSFORMS[segment[1]](values[segment[0]]))
    return "".join(out)


@dataclass
class _Shape:
    stamp: tuple[Segment, ...] | None
    checked: int = 0  # real pages it reproduced


@dataclass
class Stamps:
    """One build's stamps, by shape; `stamped` counts pages made from one."""

    shapes: dict[tuple, _Shape] = field(default_factory=dict)
    stamped: int = 0

    def html(self, page, render: Callable[[object], str]) -> str:
        """The page's HTML (before `post_page` events): from its shape's stamp once that is
        trusted, else rendered by `render` and used to learn or check the stamp."""
        found = parts(page)
        if found is None:
            return render(page)
        shape, values = found
        known = self.shapes.get(shape)
        if known is not None and known.stamp is not None and known.checked >= 2:
            self.stamped += 1
            return fill(known.stamp, page, values)
        output = render(page)
        if known is None:
            stamp = learn(page, len(values), render)
            known = self.shapes[shape] = _Shape(stamp)
        if known.stamp is not None:
            if fill(known.stamp, page, values) == output:
                known.checked += 1
            else:
                known.stamp = None  # never again for this shape
        return output
