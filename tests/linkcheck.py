"""A site served the way GitHub Pages serves a project site, and a crawler for broken links.

`serve_under` maps http://127.0.0.1:PORT/PREFIX/ to a built site folder and answers every
other path, and every missing file, with the site's own 404.html and status 404, as Pages
does. `crawl` follows every internal reference from its start pages (links, stylesheets,
scripts, images, srcset, CSS url(), absolute URLs in <meta> and JSON-LD) and reports each
one that does not resolve, or whose #fragment names no element on the target page.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

# Attributes that reference another resource, by tag.
URL_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "use": ("href", "xlink:href"),
    "form": ("action",),
}
ABSOLUTE = re.compile(r"https?://")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    not_found = b""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):
        if not urlsplit(self.path).path.startswith(self.prefix):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + urlsplit(path).path[len(self.prefix) :])

    def list_directory(self, path):
        self.send_error(404)  # Pages lists no folders: a folder without index.html is a 404
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        if code != 404:
            return super().send_error(code, message, explain)
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.not_found)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(self.not_found)
        return None


@contextmanager
def bound_server() -> Iterator[http.server.ThreadingHTTPServer]:
    """A loopback server on a free port, bound but not yet serving (so the port is known)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SubPathHandler)
    try:
        yield server
    finally:
        server.server_close()


@contextmanager
def serve_under(server: http.server.ThreadingHTTPServer, site: Path, prefix: str) -> Iterator[str]:
    """Serve `site` at `prefix` (like "/some-repo/") on `server`; yields the site's URL."""
    not_found = site / "404.html"
    handler = type(
        "Handler",
        (_SubPathHandler,),
        {"prefix": prefix, "not_found": not_found.read_bytes() if not_found.is_file() else b""},
    )
    server.RequestHandlerClass = functools.partial(handler, directory=str(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        thread.join()


class _Refs(HTMLParser):
    """The references, element ids and canonical link of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []  # (where, url), where is like "img srcset"
        self.ids: set[str] = set()
        self.canonical: str | None = None
        self.icons: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        for name in ("id", "name") if tag == "a" else ("id",):
            if name in values:
                self.ids.add(values[name])
        rels = set(values.get("rel", "").lower().split())
        if tag == "link" and "canonical" in rels:
            self.canonical = values.get("href")
        if tag == "link" and "icon" in rels:
            self.icons.append(values.get("href", ""))
        for name in URL_ATTRS.get(tag, ()):
            value = values.get(name)
            if value is None:
                continue
            if name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.refs.append((f"{tag} {name}", candidate.split()[0]))
            else:
                self.refs.append((f"{tag} {name}", value.strip()))
        if "style" in values:
            self.refs.extend((f"{tag} style", m[1]) for m in CSS_URL.finditer(values["style"]))
        # Absolute URLs in metadata (citation_*, og:url) are built from site_url: check them.
        if tag == "meta" and ABSOLUTE.match(values.get("content", "")):
            self.refs.append(("meta content", values["content"]))


@dataclass(frozen=True)
class Broken:
    page: str
    where: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.where}={self.url!r}: {self.reason}"


@dataclass
class Fetched:
    status: int
    content_type: str
    body: bytes


@dataclass
class CrawlResult:
    pages: dict[str, _Refs] = field(default_factory=dict)  # HTML pages by URL
    fetched: dict[str, Fetched] = field(default_factory=dict)  # every URL requested
    broken: list[Broken] = field(default_factory=list)


def fetch(url: str) -> Fetched:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return Fetched(response.status, response.headers.get_content_type(), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers.get_content_type(), error.read())


def crawl(site_url: str, start: Iterable[str]) -> CrawlResult:
    """Follow every reference under `site_url` from `start`; report the ones that fail.

    Links leaving `site_url` on the same host (a root-absolute `/x/` under a sub-path)
    are followed too, so they show up as broken. Other hosts are never contacted.
    Start pages may be deliberate misses (a URL that should show the 404 page): their
    status is not judged, only their references.
    """
    origin = urlsplit(site_url)
    result = CrawlResult()
    refs_of: dict[str, list[tuple[str, str]]] = {}
    queue = list(dict.fromkeys(start))
    seen = set(queue)

    def internal(url: str) -> bool:
        parts = urlsplit(url)
        return (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc)

    while queue:
        url = queue.pop(0)
        got = result.fetched[url] = fetch(url)
        text = got.body.decode("utf-8", errors="replace")
        if got.content_type == "text/html":
            parser = result.pages[url] = _Refs()
            parser.feed(text)
            refs_of[url] = parser.refs
        elif got.content_type == "text/css":
            refs_of[url] = [("css url", m[2]) for m in CSS_URL.finditer(text)]
        for _, raw in refs_of.get(url, ()):
            target = urldefrag(urljoin(url, raw))[0]
            if internal(target) and target not in seen:
                seen.add(target)
                queue.append(target)

    for url, refs in refs_of.items():
        for where, raw in refs:
            target, fragment = urldefrag(urljoin(url, raw))
            if not internal(target):
                continue
            status = result.fetched[target].status
            if status != 200:
                result.broken.append(Broken(url, where, raw, f"HTTP {status}"))
            elif target in result.pages and fragment and _missing_id(result, target, fragment):
                reason = f"no element with id {unquote(fragment)!r}"
                result.broken.append(Broken(url, where, raw, reason))
    return result


def _missing_id(result: CrawlResult, page: str, fragment: str) -> bool:
    return unquote(fragment) not in result.pages[page].ids


def site_pages(site: Path, site_url: str) -> list[str]:
    """The URL of every HTML file in a built site (directory URLs for index.html)."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative == "404.html":
            continue
        if relative == "index.html":
            relative = ""
        elif relative.endswith("/index.html"):
            relative = relative[: -len("index.html")]
        urls.append(site_url + relative)
    return urls
