"""The site's search: a chunked Pagefind index built from the catalogue's own records, in bundles
indexed one after another from the moment the papers are tagged, while the build goes on, each kept
in `.cache/` by the hash of its records; a rebuild masks changed cells and indexes them in an
overlay bundle. Why and how: ARCHITECTURE.md, "Search"."""

from __future__ import annotations

import hashlib
import html
import json
import subprocess
import sys
import threading
from dataclasses import dataclass, replace
from importlib.metadata import version
from itertools import chain
from pathlib import Path

from generator.cache import content_key
from generator.exports.papers import paper_url
from generator.model import Catalogue, Paper
from generator.read.history import sort_day
from generator.site import writer

DEFAULT_ABOVE = 0
DEFAULT_FILTERS_ABOVE = 2000
# Pagefind's peak memory is about 100 KB per record: 6,000 papers a bundle keep a run near
# 600 MB, and 10,000 papers need only two bundles, which the browser merges cheaply.
DEFAULT_BUNDLE_PAPERS = 6000
OUTPUT = "pagefind"
BUNDLES_JSON = "bundles.json"
RECORDS = "pagefind"  # the records, one folder per bundle (`writer.scratch_folder`)
INDEXES = "pagefind-bundles"  # under .cache/: each bundle's index, by its records' hash
CELLS = 256  # cells a base bundle is divided into: the unit the overlay replaces
FOLD = 0.25  # a base bundle is indexed again once this share of it is in the overlay
OVERLAY = "new"
FIX = "Check that .cache/ can be written and the disk has room; deleting .cache/ is safe."
RECORD_KB = 4  # what a record takes in /dev/shm: a page
# What a merged bundle needs in the site; the scripts and WASM come from the first one.
BUNDLE_FILES = ("pagefind-entry.json", "*.pf_meta", "index", "filter", "fragment")
# A word every record ends with. Pagefind 1.5 answers a filter-only search (no words) by
# loading every index chunk, megabytes on a large catalogue; the Papers page's filters
# search for this word instead, which loads the one chunk that holds it.
EVERY_PAPER = "zzcatalogpaperzz"


def record(
    catalogue: Catalogue, paper: Paper, bundle: str = "b0", cell: str = "b0.0", filters: bool = True
) -> str:
    """One paper as the small HTML document Pagefind indexes (title weighted as a heading).

    With `filters`, the Papers page (static/browse.js) filters by `tag`, `listing` and
    `code`, sorted A to Z by `title`, newest first by `day` (its latest listing's
    `history.sort_day`) or most listed by `listed`, asking each bundle (`bundle`) for its
    own list and merging them by the same keys, kept as meta; `cell` lets searches leave out
    the records an overlay replaces. The filter values are left out of the text index
    (`data-pagefind-ignore`, not "all", which drops the filters)."""
    sort = html.escape("title:" + paper.title.casefold())
    head = (
        f'<html lang="en"><head><title>{html.escape(paper.title)}</title></head><body>'
        f'<main data-pagefind-body data-pagefind-sort="{sort}">'
        f"<h1>{html.escape(paper.title)}</h1><p>{html.escape(paper.abstract)}</p>"
    )
    if not filters:
        return head + "</main></body></html>"
    kinds = [("tag", slug) for slug in catalogue.paper_tags.get(paper.slug, ())]
    kinds += [("listing", slug) for slug in paper.listings]
    if any(link.kind == "code" for link in paper.links):
        kinds.append(("code", "yes"))
    kinds += [("bundle", bundle), ("cell", cell)]
    spans = "".join(
        f'<span data-pagefind-filter="{name}">{html.escape(value)}</span>' for name, value in kinds
    )
    numbers = [catalogue.listing_number[slug] for slug in paper.listings]
    days = [sort_day(catalogue.listings[n - 1]) for n in numbers]
    day = max(days, default="") or "0000-00-00"  # a paper only records know: oldest
    orders = {"day": day, "listed": f"{len(numbers):04d}"}
    spans += "".join(
        f'<span data-pagefind-sort="{key}" data-pagefind-meta="{key}">{value}</span>'
        for key, value in orders.items()
    )
    return f"{head}<p>{EVERY_PAPER}</p><div data-pagefind-ignore>{spans}</div></main></body></html>"


def bundle_count(papers: int, per_bundle: int) -> int:
    """How many bundles `papers` papers take at most `per_bundle` a bundle (on average)."""
    return max(1, -(-papers // max(1, per_bundle)))


def _number(key: str, modulo: int) -> int:
    return int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big") % modulo


def bundle_of(paper: Paper, count: int) -> str:
    """The bundle a paper's record goes to: by its first listing, so the papers of a new
    listing all land in one bundle and the others keep theirs (the count changes only when
    the catalogue outgrows it, which re-indexes everything once)."""
    return f"b{_number(paper.listings[0] if paper.listings else paper.slug, count)}"


def cell_of(slug: str, bundle: str) -> str:
    """The cell of a bundle a paper's record is in (the unit an overlay replaces)."""
    return f"{bundle}.{_number(slug, CELLS)}"


@dataclass(frozen=True)
class Bundle:
    """One Pagefind bundle: its name, the records to index for it (by result path), the
    hash naming its index, and for a base bundle each record's hash (its manifest)."""

    name: str
    records: dict[str, str]
    digest: str
    manifest: dict[str, str] | None = None


@dataclass(frozen=True)
class Plan:
    """The bundles of the site's index in order (the first is `pagefind/`) and the cells
    of cached base bundles whose records the overlay holds instead."""

    bundles: list[Bundle]
    masked: list[str]


def _digest(records: dict[str, str]) -> str:
    # Pagefind's version is part of it: a new binary writes a new index.
    return content_key([f"pagefind {version('pagefind')}", *chain(*sorted(records.items()))])[:16]


def _cached_base(indexes_dir: Path, name: str) -> tuple[str, dict[str, str]] | None:
    """The digest and manifest of the index kept for base bundle `name`, if any."""
    for manifest in sorted(indexes_dir.glob(f"{name}-*.json")):
        folder = manifest.with_suffix("")
        kept = writer.json_object(manifest)
        # An index written by another Pagefind does not work with this one's scripts.
        hashes = kept.get("records") if kept.get("pagefind") == version("pagefind") else None
        if isinstance(hashes, dict) and (folder / "pagefind-entry.json").is_file():
            return folder.name.rsplit("-", 1)[1], hashes
    return None


def plan(
    catalogue: Catalogue,
    indexes_dir: Path,
    per_bundle: int = DEFAULT_BUNDLE_PAPERS,
    filters: bool = True,
) -> Plan:
    """Which bundles the index has and which of them Pagefind must (re)index: a cached base bundle
    is kept with the cells holding a changed or removed record masked and their current records,
    with its new papers, in the overlay bundle, unless more than FOLD of its papers would be in the
    overlay. Masks are filters: without `filters` a changed bundle is indexed again whole."""
    count = bundle_count(len(catalogue.papers), per_bundle)
    parts: dict[str, dict[str, Paper]] = {}
    for paper in catalogue.papers:
        parts.setdefault(bundle_of(paper, count), {})[paper_url(paper.slug) + "index.html"] = paper
    bases: list[Bundle] = []
    overlay: dict[str, str] = {}
    masked: list[str] = []
    for name in sorted(parts, key=lambda name: int(name[1:])):
        papers = parts[name]
        records = {
            path: record(catalogue, paper, name, cell_of(paper.slug, name), filters)
            for path, paper in papers.items()
        }
        hashes = {path: hashlib.sha256(t.encode()).hexdigest()[:16] for path, t in records.items()}
        cached = _cached_base(indexes_dir, name) if filters else None
        if cached is not None:
            digest, before = cached
            gone = [path for path in before if hashes.get(path) != before[path]]
            # A path is papers/<slug>/index.html.
            cells = {cell_of(path.split("/")[1], name) for path in gone}
            moved = [
                path
                for path, paper in papers.items()
                if path not in before or cell_of(paper.slug, name) in cells
            ]
            if len(moved) <= FOLD * len(papers):
                bases.append(Bundle(name, {}, digest))
                masked += sorted(cells, key=lambda cell: int(cell.rsplit(".", 1)[1]))
                for path in moved:
                    overlay[path] = record(catalogue, papers[path], OVERLAY, OVERLAY)
                continue
        bases.append(Bundle(name, records, _digest(records), hashes))
    if overlay:
        bases.append(Bundle(OVERLAY, overlay, _digest(overlay)))
    return Plan(bases, masked)


class IndexingError(RuntimeError):
    """Pagefind failed, or its index could not be written."""


def _command(records_dir: Path, output: Path) -> list[str]:
    paths = ["--site", str(records_dir), "--output-path", str(output)]
    return [sys.executable, "-m", "pagefind", *paths, "--force-language", "en", "--silent"]


class Indexing:
    """Pagefind runs for the bundles whose index is not cached, one after another in a
    thread started when it is made, while the build goes on; `finish` waits for them and
    lays out the site's folder.

    One run over files is far faster than feeding records one by one to Pagefind's Python
    service, which costs a round trip per record."""

    def __init__(self, layout: Plan, cache_dir: Path) -> None:
        """Drop the indexes of no current bundle, write the others' records and start
        indexing them."""
        self.indexes_dir = cache_dir / INDEXES
        self.indexed: list[str] = []  # names of the bundles Pagefind ran for
        self._process: subprocess.Popen | None = None
        self._killed = False
        self._error: str | None = None
        self._lock = threading.Lock()
        parts = layout.bundles
        stale = {b.name for b in parts if not (self.index_dir(b) / "pagefind-entry.json").is_file()}
        kept = {self.index_dir(b).name for b in parts}
        kept |= {f"{name}.json" for name in kept}
        for old in sorted(self.indexes_dir.iterdir()) if self.indexes_dir.is_dir() else ():
            if old.name not in kept:
                writer.remove(old)
        # Pagefind reads the records once, from memory where there is room (a stopped build's
        # are deleted here in .cache/, by the next build in /dev/shm); all written here, as a
        # thread writing files beside the build waits for the interpreter's lock at each call.
        papers = sum(len(bundle.records) for bundle in parts if bundle.name in stale)
        self.records_dir = writer.scratch_folder(cache_dir / RECORDS, papers * RECORD_KB >> 10)
        for bundle in parts:
            if bundle.name in stale:
                writer.write_scratch(self.records_dir / bundle.name, bundle.records)
        self.layout = replace(layout, bundles=[replace(b, records={}) for b in parts])  # written
        self.stale = [bundle for bundle in self.layout.bundles if bundle.name in stale]
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def index_dir(self, bundle: Bundle) -> Path:
        return self.indexes_dir / f"{bundle.name}-{bundle.digest}"

    def _run(self) -> None:
        try:
            for bundle in self.stale:
                if self._killed:
                    return
                target = self.index_dir(bundle)
                partial = target.with_name(target.name + ".partial")
                writer.remove(partial)
                with self._lock:
                    if self._killed:
                        return
                    self._process = subprocess.Popen(
                        _command(self.records_dir / bundle.name, partial),
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE,
                        text=True,
                    )
                errors = self._process.communicate()[1].strip()
                if self._process.returncode != 0:  # its own words, on one line
                    said, code = " ".join(errors.split())[-600:], self._process.returncode
                    self._error = f"pagefind failed ({code}) writing {partial}: {said}"
                    return
                if bundle.manifest is not None:  # what the next build compares its records with
                    kept = {"pagefind": version("pagefind"), "records": bundle.manifest}
                    manifest = json.dumps(kept, sort_keys=True).encode()
                    writer.write_atomic(target.with_name(target.name + ".json"), manifest)
                writer.swap_in(partial, target)
                self.indexed.append(bundle.name)
        except OSError as error:  # a full disk, a .cache/ that cannot be written
            self._error = f"Pagefind's index could not be written: {error}"

    def kill(self) -> None:
        """Stop the running Pagefind process and run no other."""
        with self._lock:
            self._killed = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()
        self._clear()

    def _clear(self) -> None:
        self._thread.join()
        # `kill` and a `finish` waiting in another thread may both get here: one removes.
        with self._lock:
            writer.remove(self.records_dir)

    def finish(self, site_folder: Path) -> None:
        """Wait for the runs, then fill `site_folder` (the site's `pagefind/`) with the
        first bundle's index and scripts, the others' indexes and `bundles.json` (names,
        masked cells and each bundle's languages)."""
        self._clear()
        if self._error is not None:
            raise IndexingError(f"{self._error.rstrip('.')}. {FIX}")
        first, *others = self.layout.bundles
        writer.link_tree(self.index_dir(first), site_folder)
        for bundle in others:
            writer.link_tree(self.index_dir(bundle), site_folder / bundle.name, BUNDLE_FILES)
        folders = [site_folder] + [site_folder / bundle.name for bundle in others]
        layout = {
            "bundles": [b.name for b in self.layout.bundles],
            "masked": self.layout.masked,
            # Each one's metadata hash and WASM: none when its entry file cannot be read.
            "languages": [
                writer.json_object(f / "pagefind-entry.json").get("languages", {}) for f in folders
            ],
        }
        writer.write_atomic(site_folder / BUNDLES_JSON, json.dumps(layout).encode() + b"\n")


def start_index(
    catalogue: Catalogue, cache_dir: Path, per_bundle: int, filters: bool = True
) -> Indexing:
    """Start indexing, in a thread, the bundles whose index is not cached; about
    `per_bundle` papers a bundle; with `filters`, the Papers page's filters in every record."""
    return Indexing(plan(catalogue, cache_dir / INDEXES, per_bundle, filters), cache_dir)
