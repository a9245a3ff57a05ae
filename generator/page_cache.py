"""MkDocs hook: reuse unchanged pages' HTML, and split the pages among worker processes.

MkDocs renders every page on every build (Markdown, then the theme template), one page at
a time; at tens of thousands of papers that is most of the build. Two things help:

Reuse. A page's HTML depends only on its own Markdown, the site configuration, theme, nav
and library versions, and on its link targets existing, so it is keyed by a hash of exactly
those. Each page built without a warning carries its key in a trailing HTML comment; a page
whose key matches the one in the previous site is not rendered: it is hard-linked from
there, or, when the pipeline updates the previous site in place (`in_place`, see
`writer.apply`), left there and listed (`kept_pages`). Either way every page is
accounted for, so the new site is complete (unlike `mkdocs --dirty`). Pages linking to an
anchor are always rendered, so MkDocs can check anchors.

Ready HTML. A generated paper page comes with its HTML body (`generator.paper_page`, in
the bodies database, headed by the SHA-256 of its Markdown); for exactly that Markdown, and
with the Markdown settings the body was written for, the hook uses it instead of
converting the Markdown, resolving its links to other pages as MkDocs does.

Compact pages. Every page is written without the theme's indentation and blank lines.

Stamps. A paper page's theme template is filled in from its kind's stamp
(`generator.stamp`) when no plugin would notice the template being skipped.

Memory. MkDocs reads every page before writing any; the hook drops what rendering no
longer needs and, in a process rendering more than SHELVE_ABOVE pages, keeps each page's
HTML compressed in between (about a third of a worker's memory).

Shards. The pipeline may run MkDocs in several processes at once (`generator.shards`); each
renders only its own share of the pages (the same deterministic split in every process)
and leaves the rest to the others; only the first copies the static files.

Active only for pipeline builds, which say so in the environment variable `PLAN_ENV` (the
previous site, the bodies database, this process's shard and the shard count). Reuse is off
while Material's search plugin is on (small catalogues): its index is built from rendered
pages, so skipping a page would drop it from search; ready HTML still serves, since the
page is rendered all the same (stamps stay off there: the plugin reads page contexts).
Large catalogues use Pagefind instead, which indexes the catalogue itself.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import logging
import os
import posixpath
import re
import shutil
import sqlite3
import zlib
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import mkdocs.commands.build as mkdocs_build
import mkdocs.structure.pages as mkdocs_pages
from markdown.extensions.toc import nest_toc_tokens
from mkdocs import utils
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import YAML_RE

try:  # the hook is loaded by MkDocs from its path, and imported as generator.page_cache
    from generator.stamp import Stamps
except ModuleNotFoundError:  # a plain `mkdocs build` outside the project's environment
    Stamps = None

MARK = b"<!-- page-key "
TAIL = 160  # bytes at the end of a page that hold its key
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")
SHELVE_ABOVE = 8000  # pages a process renders before it keeps their HTML compressed
PLAN_ENV = "PAPER_CATALOGUE_PAGES"  # JSON: previous site, shard, shards, bodies database
BODY_MARK = "<!-- markdown-sha256 "  # generator.paper_page.MARK
META_MARK = "<!-- page-meta "  # generator.paper_page.META
DOCS_MANIFEST = ".written"  # generator.writer.MANIFEST: size, mtime and hash of docs/ files
KEYS = "page-keys"  # beside the bodies database: each process's pages' keys and files
KEPT = "pages-kept"  # beside it: each process's pages left in the previous site (in place)
JINJA = "jinja"  # beside the bodies database: compiled templates
# The Markdown settings generator.paper_page writes HTML for; with others, pages convert.
FAST_EXTENSIONS = {
    *("toc", "tables", "fenced_code"),  # MkDocs' own
    *("attr_list", "pymdownx.highlight", "pymdownx.superfences", "pymdownx.emoji"),
}


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
    shard: int = 0
    shards: int = 1
    bodies: Path | None = None  # the bodies database
    reader: sqlite3.Connection | None = None  # open on it (`_stored_body`)
    fast_markdown: bool = False
    reuse: bool = True  # pages unchanged since the previous site are taken from it
    in_place: bool = False  # ...and left where they are: the previous site is updated
    kept: list[str] = field(default_factory=list)  # those pages (dest paths), when in place
    shelve_above: int = SHELVE_ABOVE  # extra.catalogue_build.shelve_above
    mine: set[str] = field(default_factory=set)  # src_uri of the pages this process renders
    nav_key: str = ""
    hits: dict[str, Path] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    reused: int = 0
    unread: int = 0  # reused pages recognised without reading them (`_known_unchanged`)
    ready: int = 0  # pages rendered from their ready HTML
    warnings_before_page: int = 0
    stamps: object = None  # generator.stamp.Stamps, when the plugins allow stamping
    shelved: dict[str, bytes] = field(default_factory=dict)  # page HTML until it is built
    links: dict = field(default_factory=dict)  # resolved links, by folder (`_render_body`)
    keys_dir: Path | None = None
    manifest: dict = field(default_factory=dict)  # docs/'s (generator.writer)
    known: dict[str, list] = field(default_factory=dict)  # the last build's `written`
    known_uris: list[str] | None = None  # the last build's Markdown pages
    links_hold: bool = False  # every page of the last build is still there
    uris: list[str] = field(default_factory=list)  # this build's Markdown pages
    written: dict[str, list] = field(default_factory=dict)  # key, inode, mtime, size by uri


_STATE: _Build | None = None
_ORIGINAL: dict[str, object] = {}


def on_config(config, **kwargs):
    global _STATE
    _install()
    if _STATE is not None:
        logging.getLogger("mkdocs").removeHandler(_STATE.counter)
    _STATE = None
    plan = _plan()
    # Every page object asks for the build's date (reading the clock, formatting it):
    # in a pipeline build, the date is read once per build.
    mkdocs_pages.get_build_date = _ORIGINAL["date"] if plan is None else _date_once()
    if plan is not None:
        counter = _Count()
        logging.getLogger("mkdocs").addHandler(counter)
        _STATE = _Build(
            previous=Path(plan["previous"]),
            config_key=_config_key(config),
            counter=counter,
            shard=plan["shard"],
            shards=plan["shards"],
            bodies=Path(plan["bodies"]) if plan["bodies"] else None,
            in_place=plan["in_place"],
            fast_markdown=_fast_markdown(config),
            # Material's search indexes the pages it renders: none may be skipped.
            reuse=not _has_search(config),
            shelve_above=_setting(config, "shelve_above", SHELVE_ABOVE),
        )
        if _STATE.reuse and _STATE.bodies is not None:
            _STATE.keys_dir = _STATE.bodies.parent / KEYS
            _load_known(_STATE, Path(config.docs_dir))
    return config


def _load_known(state: _Build, docs: Path) -> None:
    """The docs/ manifest, and what the last build's processes recorded of the pages they
    wrote: so an unchanged page is recognised without reading its Markdown or the page."""
    try:
        manifest = json.loads((docs / DOCS_MANIFEST).read_bytes())
    except (OSError, ValueError):
        manifest = {}
    state.manifest = manifest if isinstance(manifest, dict) else {}
    for path in sorted(state.keys_dir.glob("*.json")) if state.keys_dir.is_dir() else ():
        try:
            found = json.loads(path.read_bytes())
        except (OSError, ValueError):
            continue
        if not isinstance(found, dict) or not isinstance(found.get("pages"), dict):
            continue
        state.known.update(found["pages"])
        if isinstance(found.get("uris"), list):
            state.known_uris = found["uris"]


def _setting(config, name: str, default: int) -> int:
    """A whole number from mkdocs.yml's `extra.catalogue_build`, else `default`."""
    settings = (config.extra or {}).get("catalogue_build")
    value = settings.get(name) if isinstance(settings, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _fast_markdown(config) -> bool:
    """Whether the site's Markdown settings are those generator.paper_page writes HTML for."""
    mdx = config.mdx_configs or {}
    toc = mdx.get("toc", {})
    emoji = mdx.get("pymdownx.emoji", {})
    return (
        set(config.markdown_extensions) == FAST_EXTENSIONS
        and toc.get("permalink") in (False, None)
        and "slugify" not in toc
        and mdx.get("pymdownx.highlight", {}).get("pygments_lang_class") is True
        and getattr(emoji.get("emoji_generator"), "__name__", "") == "to_svg"
        and getattr(emoji.get("emoji_index"), "__name__", "") == "twemoji"
    )


def _plan() -> dict | None:
    """The pipeline's plan for this MkDocs run, or None outside the pipeline."""
    try:
        plan = json.loads(os.environ.get(PLAN_ENV, ""))
        shard, shards = int(plan["shard"]), int(plan["shards"])
        bodies = str(plan.get("bodies") or "")
        return {
            "previous": str(plan["previous"]),
            "shard": shard,
            "shards": max(1, shards),
            "bodies": bodies,
            "in_place": plan.get("in_place") is True,
        }
    except (ValueError, KeyError, TypeError):
        return None


def on_files(files, config, **kwargs):
    if _STATE is not None:
        pages = [f for f in files.documentation_pages()]
        _STATE.mine = split(
            {f.src_uri: os.path.getsize(f.abs_src_path) for f in pages if f.abs_src_path},
            _STATE.shards,
        )[_STATE.shard]
        _STATE.uris = sorted(f.src_uri for f in pages)
        # A page whose links all resolved last time still has every target, unless a
        # page went away since (links to downloads and assets are checked by MkDocs).
        known = _STATE.known_uris
        _STATE.links_hold = known is not None and set(known) <= set(files.src_uris)
    return files


def split(sizes: dict[str, int], shards: int) -> list[set[str]]:
    """Pages shared among `shards` processes with about equal bytes of Markdown each
    (rendering time follows size): largest first to the lightest shard, ties by path."""
    loads = [0] * shards
    parts: list[set[str]] = [set() for _ in range(shards)]
    for uri, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        lightest = min(range(shards), key=lambda n: (loads[n], n))
        loads[lightest] += size + 1
        parts[lightest].add(uri)
    return parts


def on_env(env, config, files, **kwargs):
    """Compiled templates kept between builds and processes (Jinja's bytecode cache, by
    each template's source): compiling Material's templates took each MkDocs process
    about half a second."""
    if _STATE is not None and _STATE.bodies is not None:
        from jinja2 import FileSystemBytecodeCache

        folder = _STATE.bodies.parent / JINJA
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


def on_nav(nav, config, files, **kwargs):
    if _STATE is not None:
        _STATE.nav_key = _digest([json.dumps(_nav_items(nav.items))])
        _STATE.stamps = Stamps() if Stamps is not None and _stampable(config) else None
    return nav


def _stampable(config) -> bool:
    """Whether pages may come from stamps (generator.stamp): no plugin looks at a page's
    template context, and none but this hook at its output, so skipping the template
    skips nothing else; and mkdocs.yml does not say `extra.catalogue_build.stamps: false`."""
    settings = (config.extra or {}).get("catalogue_build")
    if isinstance(settings, dict) and settings.get("stamps") is False:
        return False
    events = config.plugins.events
    return not events.get("page_context") and all(
        handler is on_post_page for handler in events.get("post_page", [])
    )


def on_post_page(output: str, page, config, **kwargs) -> str:
    output = compact(output)
    state = _STATE
    key = state.keys.get(page.file.src_uri) if state is not None else None
    if key is None or state.counter.count != state.warnings_before_page:
        return output  # a page that warned is rendered again next time, warning again
    return output.rstrip("\n") + f"\n<!-- page-key {key} -->\n"


_KEEP = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>", re.S | re.I)
_BREAK = re.compile(r"\n\s+")


def compact(html_text: str) -> str:
    """The page without the theme's indentation and blank lines (about 15% of a paper
    page): each run of white space holding a line break becomes one line break, which
    renders the same; <pre>, <script>, <style> and <textarea> are kept as they are, but
    for the white-space and punctuation spans of highlighted code."""
    out, done = [], 0
    for match in _KEEP.finditer(html_text):
        out.append(_BREAK.sub("\n", html_text[done : match.start()]))
        out.append(match.group(0))
        done = match.end()
    out.append(_BREAK.sub("\n", html_text[done:]))
    return _SPACE_TOKEN.sub(r"\1", "".join(out))


# Pygments wraps the white space of highlighted code (every BibTeX field) in spans no
# style colours; bare, it shows and copies the same. Its punctuation spans (`{`, `=`, `,`,
# seven in the shortest BibTeX entry, a third of a Cite block's bytes) go too: the
# punctuation shows in the code's own colour instead of a lighter one.
_SPACE_TOKEN = re.compile(r'<span class="[wp]">([^<]*)</span>')


def on_post_build(config, **kwargs) -> None:
    global _STATE
    if _STATE is not None:
        _save_written(_STATE)
        if _STATE.in_place and _STATE.bodies is not None:
            _save_kept(_STATE.bodies.parent / KEPT, _STATE.shard, _STATE.kept)
        if _STATE.reader is not None:
            _STATE.reader.close()
        logging.getLogger("mkdocs").removeHandler(_STATE.counter)
        logging.getLogger("mkdocs").info(
            f"page cache: {_STATE.reused} page(s) reused from {_STATE.previous.name}/ "
            f"({_STATE.unread} unread), "
            f"{_STATE.ready} from ready HTML"
            + (f", {_STATE.stamps.stamped} from stamps" if _STATE.stamps is not None else "")
            + (f" (shard {_STATE.shard + 1} of {_STATE.shards})" if _STATE.shards > 1 else "")
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
    """Wrap MkDocs' per-page build steps and its site-wide outputs (once per process)."""
    if _ORIGINAL:
        return
    _ORIGINAL["populate"] = mkdocs_build._populate_page
    _ORIGINAL["build"] = mkdocs_build._build_page
    _ORIGINAL["copy"] = Files.copy_static_files
    _ORIGINAL["theme"] = mkdocs_build._build_theme_template
    _ORIGINAL["extra"] = mkdocs_build._build_extra_template
    _ORIGINAL["canonical"] = Page._set_canonical_url
    _ORIGINAL["date"] = mkdocs_pages.get_build_date
    Page._set_canonical_url = _set_canonical_url
    mkdocs_build._populate_page = _populate_page
    mkdocs_build._build_page = _build_page
    Files.copy_static_files = _copy_static_files
    mkdocs_build._build_theme_template = functools.partial(_first_only, "theme")
    mkdocs_build._build_extra_template = functools.partial(_first_only, "extra")


def _date_once():
    date = _ORIGINAL["date"]()
    return lambda: date


_SEGMENT = r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*"  # no "." or ".." (nor a hidden name)
_PLAIN_URL = re.compile(rf"(?:{_SEGMENT}(?:/{_SEGMENT})*/?)?")


def _set_canonical_url(page, base: str | None) -> None:
    """Page._set_canonical_url without urljoin for a plain relative page URL (letters,
    digits, `-._~`, folders; no `.` or `..` part), where joining is appending: MkDocs
    makes every page's object in every process, and urljoin was most of it."""
    if not base or not _PLAIN_URL.fullmatch(page.url):
        return _ORIGINAL["canonical"](page, base)
    base = base if base.endswith("/") else base + "/"
    path = _base_path(base)
    if path is None:
        return _ORIGINAL["canonical"](page, base)
    page.canonical_url = base + page.url
    page.abs_url = path + page.url
    return None


@functools.lru_cache(maxsize=64)
def _base_path(base: str) -> str | None:
    """The path of `base` (ending in /) when urljoin appends plain URLs to it unchanged."""
    if urljoin(base, "x/y") != base + "x/y":
        return None
    path = urlsplit(base).path
    return path if path.endswith("/") else None


def _first_only(step: str, *args, **kwargs) -> None:
    """A site-wide step (static files, sitemap.xml, 404.html...) runs in the first process
    only; the others' copies were never used."""
    if _STATE is None or _STATE.shard == 0:
        _ORIGINAL[step](*args, **kwargs)


def _copy_static_files(files, *args, **kwargs) -> None:
    """Static files (theme assets, downloads) are copied by the first process only: the
    others' folders keep just their pages, which are all that is moved from them."""
    _first_only("copy", files, *args, **kwargs)


def _populate_page(page, config, files, dirty: bool = False) -> None:
    state = _STATE
    if state is None:
        return _ORIGINAL["populate"](page, config, files, dirty)
    if page.file.src_uri not in state.mine:
        page.markdown = page.content = ""  # another shard renders it
        return None
    uri = page.file.src_uri
    key = None
    previous = state.previous / page.file.dest_uri
    if state.reuse and _known_unchanged(state, page, previous):
        return None
    source = page.file.content_bytes
    if state.reuse:
        links = _LINK.findall(source.decode("utf-8", errors="replace"))
        anchors = any("#" in link for link in links)  # never reused: MkDocs checks them
        key = None if anchors else _page_key(state, uri, _file_digest(source))
        if key is not None and _stored_key(previous) == key and _targets_exist(uri, links, files):
            state.hits[uri] = previous
            state.keys[uri] = key
            page.markdown = page.content = ""
            return None
    before = state.counter.count
    body, meta = _body(state, page, source)
    if body is not None:  # a generated page: its HTML is ready, skip Markdown
        page.render = functools.partial(_render_body, page, body)
        if meta is not None and not config.plugins.events.get("page_read_source"):
            page.read_source = functools.partial(_read_ready_source, page, meta, source)
    _ORIGINAL["populate"](page, config, files, dirty)
    if key is not None and state.counter.count == before:
        state.keys[uri] = key
    if body is not None:
        page.__dict__.pop("render", None)  # the partial held the body
        page.__dict__.pop("read_source", None)
        page.markdown = ""  # rendered; kept only for `title`, which reads it being set
    _shelve(state, page)
    return None


def _page_key(state: _Build, uri: str, digest: str) -> str:
    """A page's key: its Markdown (by `_file_digest`), path, the configuration and nav."""
    return _digest([state.config_key, state.nav_key, uri, digest])


def _file_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()  # as generator.writer's


def _known_unchanged(state: _Build, page, previous: Path) -> bool:
    """Whether the page is unchanged since the last build without reading anything: its
    Markdown is as docs/'s manifest recorded it (same size and modification time), its
    key is the one the last build recorded for the page file it wrote, that file is
    still the one in the previous site (same inode, modification time and size), and no
    page its links could point at went away. Then it is marked to be reused."""
    uri = page.file.src_uri
    known = state.known.get(uri)
    entry = state.manifest.get(uri)
    if known is None or not state.links_hold or not isinstance(entry, list) or len(entry) != 3:
        return False
    try:
        source, built = os.stat(page.file.abs_src_path), os.stat(previous)
    except OSError:
        return False
    key = _page_key(state, uri, str(entry[2]))
    if [source.st_size, source.st_mtime_ns] != entry[:2] or known != [
        key,
        built.st_ino,
        built.st_mtime_ns,
        built.st_size,
    ]:
        return False
    state.hits[uri] = previous
    state.keys[uri] = key
    state.written[uri] = known  # the same file, linked or left in place: no stat again
    state.unread += 1
    page.markdown = page.content = ""
    return True


def _record(state: _Build, page, where: Path | None = None) -> None:
    """Note the key of a page written with one, and which file it is (`where`, else where
    MkDocs writes it), for the next build."""
    key = state.keys.get(page.file.src_uri)
    if key is None:
        return
    try:
        built = os.stat(where if where is not None else page.file.abs_dest_path)
    except OSError:
        return
    state.written[page.file.src_uri] = [key, built.st_ino, built.st_mtime_ns, built.st_size]


def _save_written(state: _Build) -> None:
    """This process's `written` for the next build (the first also lists the Markdown
    pages); records of another number of processes go."""
    if state.keys_dir is None:
        return
    state.keys_dir.mkdir(parents=True, exist_ok=True)
    mine = state.keys_dir / f"{state.shard}.json"
    if state.shard == 0:
        for old in state.keys_dir.glob("*.json"):
            if not old.stem.isdigit() or int(old.stem) >= state.shards:
                old.unlink(missing_ok=True)
    data = {"pages": state.written, **({"uris": state.uris} if state.shard == 0 else {})}
    temp = mine.with_name(f".{mine.name}.{os.getpid()}")
    temp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temp, mine)


def _save_kept(folder: Path, shard: int, kept: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{shard}.json.{os.getpid()}"
    temp.write_text(json.dumps(sorted(kept)), encoding="utf-8")
    os.replace(temp, folder / f"{shard}.json")


def forget_kept(bodies: Path) -> None:
    """Before an in-place build: no process has said yet which pages it kept."""
    shutil.rmtree(bodies.parent / KEPT, ignore_errors=True)


def kept_pages(bodies: Path, shards: int) -> list[str]:
    """The pages the processes of an in-place build (`PLAN_ENV`'s `in_place`) left in the
    previous site, as paths in it. Every process must have said: else which pages are
    current is unknown, and the build fails rather than lose them."""
    kept: list[str] = []
    for shard in range(shards):
        path = bodies.parent / KEPT / f"{shard}.json"
        try:
            found = json.loads(path.read_bytes())
        except (OSError, ValueError) as error:
            raise RuntimeError(f"MkDocs process {shard + 1} left no list of pages kept") from error
        kept += [item for item in found if isinstance(item, str)]
    return kept


def _shelve(state: _Build, page) -> None:
    """Keep the page's HTML compressed until it is built, when this process renders more
    than SHELVE_ABOVE pages. MkDocs reads every page before building any, so at 50,000
    papers the bodies alone would take hundreds of megabytes in each process; they shrink
    about four times. Below that, compressing costs more time than the memory is worth."""
    if len(state.mine) <= state.shelve_above:
        return
    if isinstance(page.content, str) and page.content:
        state.shelved[page.file.src_uri] = zlib.compress(page.content.encode("utf-8"), 1)
        page.content = ""


def _unshelve(state: _Build, page) -> None:
    packed = state.shelved.pop(page.file.src_uri, None)
    if packed is not None:
        page.content = zlib.decompress(packed).decode("utf-8")


def _build_page(page, config, doc_files, nav, env, dirty: bool = False, excluded: bool = False):
    state = _STATE
    if state is None:
        return _ORIGINAL["build"](page, config, doc_files, nav, env, dirty, excluded)
    if page.file.src_uri not in state.mine:
        return None
    previous = state.hits.get(page.file.src_uri)
    if previous is not None:
        state.reused += 1
        if state.in_place:  # it stays in the previous site, which becomes the new one
            state.kept.append(page.file.dest_uri)
        else:
            target = Path(page.file.abs_dest_path)
            target.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(previous, target)
        if page.file.src_uri not in state.written:
            _record(state, page, previous if state.in_place else None)
        return None
    state.warnings_before_page = state.counter.count
    _unshelve(state, page)
    try:
        if state.stamps is None or dirty or excluded:
            _ORIGINAL["build"](page, config, doc_files, nav, env, dirty, excluded)
        else:
            _build_stamped(state.stamps, page, config, doc_files, nav, env)
        if state.counter.count == state.warnings_before_page:  # it carries its key
            _record(state, page)
        return None
    finally:
        page.content = ""  # written; only its anchors (present_anchor_ids) are checked


def _build_stamped(stamps, page, config, doc_files, nav, env) -> None:
    """MkDocs' _build_page, with the theme template replaced by the page's stamp when
    its shape has a trusted one (generator.stamp)."""

    def render(page) -> str:
        context = mkdocs_build.get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        return template.render(context)

    config._current_page = page
    try:
        page.active = True
        output = stamps.html(page, render)
        output = config.plugins.on_post_page(output, page=page, config=config)
        if output.strip():
            data = output.encode("utf-8", errors="xmlcharrefreplace")
            utils.write_file(data, page.file.abs_dest_path)
    finally:
        page.active = False
        config._current_page = None


def _link_or_copy(previous: Path, target: Path) -> None:
    """The previous site's page at `target`, as a hard link (no bytes copied) where the
    file system allows. The new site is a fresh folder and nothing writes to a page after
    MkDocs has, so the previous site stays intact until it is swapped out."""
    try:
        os.link(previous, target)
    except OSError:
        shutil.copyfile(previous, target)


def _body(state: _Build, page, source: bytes) -> tuple[str | None, dict | None]:
    """The HTML body the generator wrote for this page, if it is for exactly this Markdown
    and the Markdown settings are the ones it was written for; and the page's front matter
    as the generator wrote it beside the body (JSON), when it did."""
    if state.bodies is None or not state.fast_markdown:
        return None, None
    text = _stored_body(state, page.file.src_uri.removesuffix(".md") + ".html")
    if text is None:
        return None, None
    head, _, body = text.partition("\n")
    if head != f"{BODY_MARK}{hashlib.sha256(source).hexdigest()} -->":
        return None, None
    if not body.startswith(META_MARK):
        return body, None
    line, _, body = body.partition("\n")
    try:
        meta = json.loads(line[len(META_MARK) :].removesuffix(" -->"))
    except ValueError:
        return body, None
    return body, meta if isinstance(meta, dict) else None


def _stored_body(state: _Build, path: str) -> str | None:
    """A body from the generator's bodies database (generator.writer.write_bodies), read
    through one connection per process; None when it or the database is missing."""
    if state.reader is None:
        if not state.bodies.is_file():
            return None
        try:
            state.reader = sqlite3.connect(state.bodies, timeout=600)
        except sqlite3.Error:
            return None
    try:
        row = state.reader.execute("SELECT data FROM bodies WHERE path = ?", (path,)).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row is not None and isinstance(row[0], str) else None


def _read_ready_source(page, meta: dict, source: bytes, config) -> None:
    """Page.read_source for a generated page whose front matter the generator also wrote
    as JSON: the same data (tests/test_hook_shortcuts.py) without parsing YAML, most of what
    reading a paper page cost. The Markdown is the `source` bytes already read, decoded as
    MkDocs reads it (UTF-8, a byte-order mark dropped; the generator writes no "\r")."""
    try:
        text = None if b"\r" in source else source.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    found = YAML_RE.match(text) if text is not None else None
    if found is None:  # not front matter as the generator writes it
        del page.read_source
        page.read_source(config)
        return
    page.markdown, page.meta = text[found.end() :].lstrip("\n"), meta


# Only in <a> tags of ours: "<" is escaped in every text and code block, so no input
# text can look like one.
_HREF_PARTS = re.compile(r'(<a (?:class="[^"]*" )?href=")([^"]*)(?=")')
_HEADING = re.compile(r'<h([1-6])(?: data-search-exclude)? id="([^"]*)">(.*?)</h\1>')
_ID = re.compile(r'<[a-z][a-z0-9]*\b[^>]*?\sid="([^"]*)"')  # every element's id: anchors
_TAG_NAME = re.compile(r"<[a-z][a-z0-9]*\b")


def element_ids(content: str) -> list[str]:
    """`_ID.findall(content)`, found from each literal `id="` (a search for a literal is
    about eight times as fast as trying `_ID` at every tag): one after white space, with
    a closing quote, in a tag opened since the last `>` and the last match."""
    found = []
    done = 0  # where the last match ended: the pattern's search goes on from there
    at = content.find('id="', 1)
    while at >= 0:
        close = content.find('"', at + 4)
        if close < 0:
            break  # no later id can close either
        if at - 1 >= done and content[at - 1].isspace():
            start = max(done, content.rfind(">", 0, at) + 1)
            if _TAG_NAME.search(content, start, at) is not None:
                found.append(content[at + 4 : close])
                done = close + 1
                at = content.find('id="', done)
                continue
        at = content.find('id="', at + 1)
    return found


def _render_body(page, body: str, config, files) -> None:
    """Page.render for a page whose HTML body is ready: resolve its links to other pages as
    MkDocs does and set what rendering sets. Any link it cannot resolve sends the page
    through Markdown, so MkDocs reports it as usual."""
    base = posixpath.dirname(page.file.src_uri)
    to_anchors: dict = {}
    memo = _STATE.links if _STATE is not None else {}
    # Pages of one folder and URL shape share their links' answers.
    shape = _shape(page.file.url)
    last = page.file.url[:-1].rpartition("/")[2] if shape else ""
    shared = (base, *shape) if shape else None
    # their answers by link, one dict per folder and shape (no key tuple made per link)
    answers = memo.setdefault((shared,), {}) if shared else {}

    mine: dict[str, str] = {}  # answers for this page only (such as its links to itself)

    def resolve(href: str) -> str:
        if href in mine:
            return mine[href]
        if href.startswith(("https:", "http:")):  # off the site, never rewritten
            return href
        found = memo.get((base, href))
        if found is None:
            found = memo[base, href] = _target(base, html.unescape(href), files)
        if found is _AS_IS:
            return href
        if found is _MISSING:
            raise LookupError(href)
        target, query, anchor = found
        if target is None:  # an anchor on this page
            to_anchors.setdefault(page.file, {}).setdefault(anchor, html.unescape(href))
            return href
        if anchor:
            to_anchors.setdefault(target, {}).setdefault(anchor, html.unescape(href))
        url = _relative_url(target, page.file, memo)
        if query or anchor:
            url = urlunsplit(("", "", url, query, anchor))
        text = html.escape(url)
        part = _part(target.url, shape[1]) if shared else None
        if shared and not anchor and part != last:
            answers[href] = (part, text)
        elif not anchor:  # this page's own answer
            mine[href] = text
        return text

    # [text, tag start, href, text, ...]: each href replaced in a list, not through a
    # match object and a call per link (most are answered from `answers`)
    parts = _HREF_PARTS.split(body)
    try:
        hrefs = parts[2::3]
        for at, href in enumerate(hrefs):
            done = answers.get(href)
            hrefs[at] = done[1] if done is not None and done[0] != last else resolve(href)
        parts[2::3] = hrefs
        content = "".join(parts)
    except LookupError:
        del page.render  # back to the class's Markdown rendering
        page.render(config, files)
        return
    if _STATE is not None:
        _STATE.ready += 1
    tokens = [
        {"level": int(level), "id": html.unescape(anchor), "name": name}
        for level, anchor, name in _HEADING.findall(content)
    ]
    page.content = content
    page._title_from_render = next(
        (" ".join(t["name"].split()) for t in tokens if t["level"] == 1), None
    )
    page.present_anchor_ids = {html.unescape(i) for i in element_ids(content)}
    page.toc = get_toc(nest_toc_tokens(tokens))  # empties `tokens`
    page.links_to_anchors = to_anchors


_AS_IS, _MISSING = object(), object()  # a link left alone; a link that cannot resolve


def _target(base: str, href: str, files) -> object:
    """What a link of a page in folder `base` points at: (target file, query, anchor),
    with no file for an anchor on the page itself; `_AS_IS` for external links and bare
    links; `_MISSING` when MkDocs could not resolve it. Pages of one folder share most
    links, so the hook keeps the answer per folder and link."""
    if any(char in href for char in ":?#") or href.startswith("/"):
        scheme, netloc, path, query, anchor = urlsplit(href)
    else:  # a plain relative path, as nearly every generated link is
        scheme = netloc = query = anchor = ""
        path = href
    if scheme or netloc or href.startswith(("mailto:", "/")):
        return _AS_IS
    if not path:
        return (None, query, anchor) if anchor else _AS_IS
    # src_uris: get_file_from_path's own lookup, without its pathlib normalising
    target = files.src_uris.get(posixpath.normpath(posixpath.join(base, path)))
    if target is None or target.inclusion.is_excluded():
        return _MISSING
    if target.page is None and (path.endswith(".md") or anchor):
        return _MISSING
    return target, query, anchor


def _shape(url: str) -> tuple[str, int] | None:
    """A directory URL `a/b/p/` as (its parent `a/b`, its depth 3), or None for other URLs."""
    if not url.endswith("/") or "." in url or url == "/":
        return None
    return url[:-1].rpartition("/")[0], url.count("/")


def _part(url: str, depth: int) -> str | None:
    """The URL's part where a page of that depth has its last part (None: it has none)."""
    parts = url.split("/")
    return parts[depth - 1] if len(parts) >= depth else None


def _relative_url(target, page_file, memo: dict) -> str:
    """`target.url_relative_to(page_file)`, shared by the pages of one shape (`_shape`).

    From a page at a directory URL `a/b/p/`, the relative URL of any target whose URL does
    not continue with `a/b/p` is `..` up to the common part, then the target's own path: the
    page's last part only ever counts as not matching. So it is computed once for a stand-in
    last part and kept; a target under the page's own URL is computed directly."""
    shape = _shape(page_file.url)
    if shape is None:
        return target.url_relative_to(page_file)
    parent, depth = shape
    if _part(target.url, depth) == page_file.url[:-1].rpartition("/")[2]:
        return target.url_relative_to(page_file)
    key = (parent, depth, target.url)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _from_stand_in(parent, target.url, memo)
    return found


def _from_stand_in(parent: str, url: str, memo: dict) -> str:
    """`utils.get_relative_url(url, parent + "/\0/")`. For a plain directory URL `f/name/`
    that is the answer for its folder `f/` with `name/` appended, unless `name` would
    continue the part `f/` shares with `parent` (then `name` counts as in common): so it
    is worked out once per folder (a tag page links hundreds of papers in one folder)."""
    folder, _, name = url[:-1].rpartition("/")
    parents = parent.split("/") if parent else []
    folders = folder.split("/") if folder else []
    shared = len(folders) < len(parents) and parents[: len(folders)] == folders
    stand_in = (parent + "/" if parent else "") + "\0/"
    if (
        not url.endswith("/")
        or not _PLAIN_URL.fullmatch(url)
        or (shared and parents[len(folders)] == name)
    ):
        return utils.get_relative_url(url, stand_in)
    key = (parent, folder, "/")  # beside (parent, depth, url) keys: never equal to one
    found = memo.get(key)
    if found is None:
        found = memo[key] = utils.get_relative_url(folder + "/" if folder else "/", stand_in)
    return found + name + "/"


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
        path = _md_target(base, link)
        if path is not None and path not in files.src_uris:
            return False
    return True


@functools.lru_cache(maxsize=1 << 17)
def _md_target(base: str, link: str) -> str | None:
    """The docs path a relative link from a page in folder `base` points at when it is a
    Markdown page, else None. Pages in one folder share most links (tags, listings)."""
    if "://" in link or link.startswith(("mailto:", "/", "?")):
        return None
    path = link.split("?", 1)[0]
    if not path.endswith(".md"):
        return None
    return posixpath.normpath(posixpath.join(base, path))
