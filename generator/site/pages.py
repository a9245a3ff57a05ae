"""The plugin's own pages: a generated page rendered from the HTML its description makes
(`ReadyPage`), and its file, whose Markdown is written only when read (`ReadyFile`).

A `ReadyPage` resolves its links as MkDocs resolves a Markdown page's links and sets what MkDocs'
own `Page.render` sets; `tests/test_paper_html.py` holds the two equal."""

from __future__ import annotations

import html
import logging
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.pipeline import PLUGIN_LOGGER
from generator.render.pages import Ready
from generator.site.writer import write_atomic

log = logging.getLogger(PLUGIN_LOGGER)


class ReadyFile(File):
    """A generated file whose content is made when read. A page's Markdown: MkDocs renders
    a `ReadyPage` from its HTML, so most builds never read it (a paper page's is written
    again from the catalogue). A download: made when MkDocs writes it, so the exports of
    a large catalogue are never all in memory at once."""

    source: Callable[[], str | bytes]

    @classmethod
    def made(
        cls, config: MkDocsConfig, path: str, source: Ready | Callable[[], str | bytes]
    ) -> ReadyFile:
        """The file at `path`, whose content `source` makes (or its `Ready` holds)."""
        file = cls.generated(config, path, content="")
        assert isinstance(file, cls)  # `File.generated` makes an instance of `cls`
        file.source = (lambda: source.markdown) if isinstance(source, Ready) else source
        return file

    @property
    def content_string(self) -> str:
        content = self.source()
        return content if isinstance(content, str) else content.decode("utf-8-sig")

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.source = lambda: value

    @property
    def content_bytes(self) -> bytes:
        content = self.source()
        return content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.source = lambda: value

    def copy_file(self, dirty: bool = False) -> None:
        """Write the file, its content made now."""
        write_atomic(Path(self.abs_dest_path), self.content_bytes)


class ReadyPage(Page):
    """A generated page described block by block (`Ready`): it is rendered when written, from
    the HTML its blocks make, its links resolved as MkDocs resolves a Markdown page's links,
    instead of converting its Markdown. Tests hold the HTML equal to Python-Markdown's."""

    # A paper page filled into its kind's chrome (`fast_pages`): the template it asked for,
    # then (`on_page_context` to `on_post_page`) its HTML, which `catalogue-filled.html` prints.
    chrome_template: str | None = None
    catalogue_filled: str | None = None
    # A paper page's key (`kept`). A page is rendered when MkDocs writes it (`render_late`),
    # a paper page made then too (`make`), unless the last build's output stands for it.
    key: str | None = None
    make: Callable[[], Ready] | None = None
    late: Files | None = None

    def __init__(
        self,
        file: File,
        config: MkDocsConfig,
        ready: Ready,
        links: dict | None = None,
        title: str | None = None,  # the nav's, which MkDocs takes over the page's heading
    ) -> None:
        super().__init__(title or ready.title or None, file, config)
        self.ready: Ready | None = ready
        self.links = links if links is not None else {}  # answers shared by ready pages

    def read_source(self, config: MkDocsConfig) -> None:
        assert self.ready is not None  # MkDocs reads a page before rendering it
        self.meta = dict(self.ready.meta)
        self.markdown = ""  # its Markdown is its file's; the page is made when written

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # Rendered when written (`render_late`). Headings, as every generated page has: the
        # kind of a paper page's chrome depends on them.
        self.content, self.toc, self.late = "", get_toc(_HEADING), files
        self.links_to_anchors, self.present_anchor_ids = {}, None

    def render_late(self, config: MkDocsConfig) -> None:
        """Make (a paper page), read and render the page, as MkDocs would have."""
        assert self.late is not None
        if self.make is not None:
            self.ready, self.make = self.make(), None
            if self.ready.title:
                self.title = self.ready.title
            self.meta = dict(self.ready.meta)
        self._render(self.late)
        self.late = None

    def written(self) -> None:
        """Drop what MkDocs keeps of a written page but its title, address and anchors."""
        self.catalogue_filled = self.content = self.markdown = None
        self.toc, self.meta = get_toc([]), {}

    def _render(self, files: Files) -> None:
        ready, self.ready = self.ready, None  # made into the page's HTML now
        assert ready is not None  # a page is rendered once
        body, toc = ready.to_html()
        self._anchors: dict[File, dict[str, str]] = {}
        self.links_to_anchors = self._anchors
        # A link's answer is the same from pages of one source folder and URL folder
        # and depth, unless it points into the page's own URL (see `_url`). MkDocs writes
        # the pages in path order, a folder's together: the answers of one shape are kept
        # until a page of another shape is written.
        url = self.file.url
        self._shape = (
            posixpath.dirname(self.file.src_uri),
            posixpath.dirname(url.rstrip("/")),
            url.endswith("/"),
        )
        if self.links.get(_SHAPE) != self._shape:
            self.links.clear()
            self.links[_SHAPE] = self._shape
        self.content = _HREF.sub(lambda m: m[1] + self._url(m[2], files) + '"', body)
        self.toc = get_toc(toc)
        self.present_anchor_ids = {html.unescape(i) for i in _ID.findall(self.content)}

    def _url(self, href: str, files: Files) -> str:
        """`href` (escaped, relative to this page's Markdown file) as MkDocs writes it."""
        done = self.links.get((self._shape, href))  # pages of one shape link alike
        if done is not None and not done[0].startswith(self.file.url):
            return done[1]
        folder = self._shape[0]
        target = self.links.get((folder, href))
        if target is None:
            target = self.links[folder, href] = _target(folder, href, files)
        found, query, anchor, original = target
        if found is None:
            log.warning(
                "Doc file '%s' contains a link '%s', but the target '%s' is not found "
                "among documentation files.",
                self.file.src_uri,
                original,
                posixpath.normpath(posixpath.join(folder, urlsplit(original).path)),
            )
        if found is None or found is _OFF_SITE:
            return href
        if anchor:  # MkDocs checks the links to anchors after the build
            on = self.file if found is _HERE else found
            self._anchors.setdefault(on, {}).setdefault(anchor, original)
        if found is _HERE:
            return href
        url = self.file.url
        if url in ("", "./") or found.url.startswith(url):  # a target under this page
            relative = found.url_relative_to(self.file)
            return html.escape(urlunsplit(("", "", relative, query, anchor)))
        # From a page at `a/p/`, a target not under `a/p/` is reached as from any `a/q/`.
        key = (*self._shape[1:], found.url)
        relative = self.links.get(key)
        if relative is None:
            relative = self.links[key] = found.url_relative_to(self.file)
        answer = html.escape(urlunsplit(("", "", relative, query, anchor)))
        if not anchor:  # its answer holds for every page of the shape
            self.links[self._shape, href] = (found.url, answer)
        return answer


_OFF_SITE, _HERE = object(), object()  # a link off the site; an anchor on the page itself
_SHAPE = object()  # the key of the shape whose answers `links` holds


def _target(folder: str, href: str, files: Files) -> tuple:
    """What a link of a page in `folder` points at: (file, query, anchor, the link as
    written); `_OFF_SITE`, `_HERE` (a bare anchor) or None (not found) for the file."""
    original = html.unescape(href)
    scheme, netloc, path, query, anchor = urlsplit(original)
    if scheme or netloc or path.startswith("/") or not (path or anchor):
        return _OFF_SITE, query, anchor, original
    if not path:
        return _HERE, query, anchor, original
    found = files.src_uris.get(posixpath.normpath(posixpath.join(folder, path)))
    return found, query, anchor, original


_HEADING: list = [{"level": 1, "id": "", "name": "", "children": []}]
_HREF = re.compile(r'(<a [^>]*?href=")([^"]*)"')
_ID = re.compile(r'\sid="([^"]+)"')
