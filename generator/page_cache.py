"""MkDocs hook: reuse the previous build's HTML for every page whose inputs are unchanged.

MkDocs renders every page on every build (Markdown, then the theme template); at tens of
thousands of papers that is most of the build. A page's HTML depends only on its own
Markdown, the site configuration, theme, nav and library versions, and on its link
targets existing, so it is keyed by a hash of exactly those. Each page built without a
warning carries its key in a trailing HTML comment; on the next pipeline build into
`site.partial/`, a page whose key matches the one in `site/` is copied from there instead
of being rendered. Every page is still written, so the new site is complete (unlike
`mkdocs --dirty`).

Only active when Material's search plugin is off (its index is built from rendered pages,
so skipping one would drop it from search; large catalogues use Pagefind instead, which
indexes the catalogue itself) and only for pipeline builds (`site_dir` ending in
`.partial`). Pages linking to an anchor are always rendered, so MkDocs can check anchors.
"""

from __future__ import annotations

import hashlib
import json
import logging
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import mkdocs.commands.build as mkdocs_build

MARK = b"<!-- page-key "
TAIL = 160  # bytes at the end of a page that hold its key
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class _Build:
    previous: Path
    config_key: str
    counter: _Count
    nav_key: str = ""
    hits: dict[str, Path] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    reused: int = 0
    warnings_before_page: int = 0


_STATE: _Build | None = None
_ORIGINAL: dict[str, object] = {}


def on_config(config, **kwargs):
    global _STATE
    _install()
    if _STATE is not None:
        logging.getLogger("mkdocs").removeHandler(_STATE.counter)
    _STATE = None
    site = Path(config.site_dir)
    previous = site.with_name(site.name.removesuffix(".partial"))
    if site.name.endswith(".partial") and not _has_search(config):
        counter = _Count()
        logging.getLogger("mkdocs").addHandler(counter)
        _STATE = _Build(previous=previous, config_key=_config_key(config), counter=counter)
    return config


def on_nav(nav, config, files, **kwargs):
    if _STATE is not None:
        _STATE.nav_key = _digest([json.dumps(_nav_items(nav.items))])
    return nav


def on_post_page(output: str, page, config, **kwargs) -> str:
    state = _STATE
    key = state.keys.get(page.file.src_uri) if state is not None else None
    if key is None or state.counter.count != state.warnings_before_page:
        return output  # a page that warned is rendered again next time, warning again
    return output.rstrip("\n") + f"\n<!-- page-key {key} -->\n"


def on_post_build(config, **kwargs) -> None:
    global _STATE
    if _STATE is not None:
        logging.getLogger("mkdocs").removeHandler(_STATE.counter)
        logging.getLogger("mkdocs").info(
            f"page cache: {_STATE.reused} page(s) reused from {_STATE.previous.name}/"
        )
    _STATE = None


def _has_search(config) -> bool:
    return any(name == "search" or name.endswith("/search") for name in config.plugins)


def _digest(parts: list[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _config_key(config) -> str:
    """Everything outside a page that its HTML depends on."""
    parts = [Path(config.config_file_path).read_text(encoding="utf-8", errors="replace")]
    parts.append(json.dumps(dict(config.extra), sort_keys=True, default=str))
    parts += [str(config.site_url), str(config.use_directory_urls)]
    for package in PACKAGES:
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=?")
    for folder in filter(None, [config.theme.custom_dir]):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes().hex()]
    for hook in config.hooks if isinstance(config.hooks, list) else []:
        parts.append(Path(config.config_file_path).parent.joinpath(hook).read_text())
    return _digest(parts)


def _nav_items(items) -> list:
    return [
        [getattr(item, "title", None), getattr(item, "url", None), _nav_items(item.children)]
        if getattr(item, "children", None)
        else [getattr(item, "title", None), getattr(item, "url", None)]
        for item in items
    ]


def _install() -> None:
    """Wrap MkDocs' two per-page build steps (once per process)."""
    if _ORIGINAL:
        return
    _ORIGINAL["populate"] = mkdocs_build._populate_page
    _ORIGINAL["build"] = mkdocs_build._build_page
    mkdocs_build._populate_page = _populate_page
    mkdocs_build._build_page = _build_page


def _populate_page(page, config, files, dirty: bool = False) -> None:
    state = _STATE
    if state is None:
        return _ORIGINAL["populate"](page, config, files, dirty)
    source = page.file.content_bytes
    links = _LINK.findall(source.decode("utf-8", errors="replace"))
    key = _digest([state.config_key, state.nav_key, page.file.src_uri, source.hex()])
    if any("#" in link for link in links):
        return _ORIGINAL["populate"](page, config, files, dirty)  # anchors: always checked
    previous = state.previous / page.file.dest_uri
    if _stored_key(previous) == key and _targets_exist(page.file.src_uri, links, files):
        state.hits[page.file.src_uri] = previous
        page.markdown = page.content = ""
        return None
    before = state.counter.count
    _ORIGINAL["populate"](page, config, files, dirty)
    if state.counter.count == before:
        state.keys[page.file.src_uri] = key
    return None


def _build_page(page, config, doc_files, nav, env, dirty: bool = False, excluded: bool = False):
    state = _STATE
    if state is None:
        return _ORIGINAL["build"](page, config, doc_files, nav, env, dirty, excluded)
    previous = state.hits.get(page.file.src_uri)
    if previous is not None:
        target = Path(page.file.abs_dest_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(previous, target)  # a copy, not a link: site/ must stay intact
        state.reused += 1
        return None
    state.warnings_before_page = state.counter.count
    return _ORIGINAL["build"](page, config, doc_files, nav, env, dirty, excluded)


def _stored_key(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(0, size - TAIL))
            tail = handle.read()
    except OSError:
        return None
    start = tail.rfind(MARK)
    if start < 0:
        return None
    return tail[start + len(MARK) :].split(b" ", 1)[0].decode("ascii", errors="replace")


def _targets_exist(source: str, links: list[str], files) -> bool:
    """Every relative Markdown link of the page still points at a file of this build."""
    base = posixpath.dirname(source)
    for link in links:
        if "://" in link or link.startswith(("mailto:", "/", "?")):
            continue
        path = link.split("?", 1)[0]
        if not path.endswith(".md"):
            continue
        if files.get_file_from_path(posixpath.normpath(posixpath.join(base, path))) is None:
            return False
    return True
