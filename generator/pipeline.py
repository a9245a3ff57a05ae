"""The build, top to bottom: listings -> papers -> catalogue -> pages -> MkDocs site.

read_listings   every file in site_src/listings, through the reader for its suffix
merge_papers    one Paper per distinct title, across listings
read_records    structured records: site_src/papers/*.yaml|yml|json|bib, other *.bib files
enrich          records add authors, arXiv ids, dates... to papers, or add new papers
curate          the maintainer's fixes from site_src/curation.yaml
annotate        tags from the taxonomy, related papers from the text (a rebuild computes
                again only what new or changed papers can change: cache); once the tags
                are known, Pagefind starts indexing the catalogue beside the rest
site_files      Markdown pages, exports and hand-written pages, as strings
write_share     the paper pages that changed, rendered and written by forked processes
write_tree      docs/ made to hold exactly those files (only changed ones rewritten), and
                the bodies database those pages' HTML (keep_bodies)
run_mkdocs      MkDocs builds beside site/; for large catalogues in several processes
                (shards), reusing unchanged pages (page_cache) and filling paper pages
                into stamps of the theme (stamp), while Pagefind goes on indexing (or
                starts only after MkDocs when memory is short: budget); then the site
                is swapped in, or for large catalogues updated in place (writer.apply):
                the unchanged pages stay where they are
"""

from __future__ import annotations

import os
import posixpath
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

from generator import budget, mkdocs_run, page_cache, pagefind_search, shards, sitemap
from generator.cache import Cache, cached_tags
from generator.catalogue import first_seen, merge_papers
from generator.curation import Curated, Fix, curate, edit_tags, read_curation
from generator.downloads import CATALOGUE_JSON
from generator.enrich import enrich, with_given_tags
from generator.facets import facets_files
from generator.forked import BESIDE_FROM, map_forked, run_forked, started
from generator.mention_cache import cached_mentions
from generator.model import Catalogue, Listing, Paper, PaperRecord, Tag
from generator.outputs import Exports
from generator.paginate import load_browse
from generator.paper_pages import body_path, write_share
from generator.progress import Progress
from generator.read_cache import ReadMemo
from generator.readers import READERS, RECORD_READERS, reader_for, record_reader_for
from generator.related import Vectors, document, reference_size
from generator.related_cache import decode, related_rows
from generator.render import add_pages, paper_keys, paper_path, render_pages
from generator.report import Report
from generator.site import load_site
from generator.slugs import unique_listing_slugs
from generator.stats import stats_page
from generator.taxonomy import load_taxonomy
from generator.vector_cache import cached_vectorize
from generator.writer import (
    WriteStats,
    Written,
    apply,
    body_paths,
    discard,
    keep_bodies,
    merge_written,
    recover,
    remove,
    swap_in,
    write_bodies,
    write_files,
    write_tree,
)


@dataclass(frozen=True)
class Project:
    """Where a catalogue's inputs and outputs live, relative to its root."""

    root: Path

    @property
    def listings_dir(self) -> Path:
        return self.root / "site_src" / "listings"

    @property
    def site_src(self) -> Path:
        return self.root / "site_src"

    @property
    def taxonomy_file(self) -> Path:
        return self.root / "site_src" / "taxonomy.yaml"

    @property
    def curation_file(self) -> Path:
        return self.root / "site_src" / "curation.yaml"

    @property
    def pages_dir(self) -> Path:
        return self.root / "site_src" / "pages"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def partial_dir(self) -> Path:
        """Where a build makes the site before it replaces site/."""
        return self.root / "site.partial"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    @property
    def bodies_db(self) -> Path:
        """Generated pages' HTML bodies, written with their Markdown (see paper_page): a
        SQLite database (`writer.write_bodies`)."""
        return self.root / ".cache" / "bodies.sqlite"


@dataclass(frozen=True)
class BuildResult:
    catalogue: Catalogue
    report: Report
    written: WriteStats | None = None
    mkdocs_warnings: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return len(self.report) + len(self.mkdocs_warnings)


def read_listings(folder: Path, report: Report, memo: ReadMemo | None = None) -> list[Listing]:
    """Every listing file under `folder`, in path order; unreadable files are reported.
    `memo` holds the last build's parses (by file bytes)."""
    listings = []
    if not folder.is_dir():
        report.warn(str(folder), 0, "listings folder is missing; create it and add listings.")
        return listings
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        reader = reader_for(name)
        if reader is None:
            report.warn(
                name,
                0,
                f"no reader for this file type; use one of "
                f"{', '.join(sorted(READERS))} or move it out of site_src/listings.",
            )
            continue
        data = _read_input(path, name, report)
        if data is not None and memo is not None:
            listings.append(memo.listing(name, data, reader, report))
        elif data is not None:
            listings.append(reader(name, data, report))
    return unique_listing_slugs(listings)


def _read_input(path: Path, name: str, report: Report) -> bytes | None:
    """An input file's bytes, or None (reported) when the system will not give them."""
    try:
        return path.read_bytes()
    except OSError as error:
        report.warn(name, 0, f"cannot be read ({error.strerror}); check its permissions.")
        return None


def record_files(project: Project) -> list[Path]:
    """site_src/papers/* and every other *.bib in site_src/ but listings/ and pages/."""
    found = []
    for path in sorted(p for p in project.site_src.rglob("*") if p.is_file()):
        parts = path.relative_to(project.site_src).parts
        if any(part.startswith(".") for part in parts):
            continue
        if parts[0] == "papers" or (
            path.suffix.lower() == ".bib" and parts[0] not in ("listings", "pages")
        ):
            found.append(path)
    return found


def read_records(project: Project, report: Report) -> list[PaperRecord]:
    """Every structured record, in path order then file order; bad ones are reported."""
    records: list[PaperRecord] = []
    for path in record_files(project):
        name = path.relative_to(project.root).as_posix()
        reader = record_reader_for(name)
        if reader is None:
            report.warn(
                name,
                0,
                f"no reader for this file type; use one of {', '.join(RECORD_READERS)} "
                "or move it out of site_src/papers.",
            )
            continue
        data = _read_input(path, name, report)
        if data is not None:
            records.extend(reader(name, data, report))
    return records


def load_tags(project: Project, report: Report) -> tuple[Tag, ...]:
    path = project.taxonomy_file
    if not path.is_file():
        report.warn("site_src/taxonomy.yaml", 0, "missing; papers are shown without tags.")
        return ()
    text = path.read_bytes().decode("utf-8", errors="replace")
    return load_taxonomy("site_src/taxonomy.yaml", text, report)


def annotate(
    listings: list[Listing],
    papers: list[Paper],
    tags: tuple[Tag, ...],
    report: Report,
    cache: Cache | None = None,
    progress: Progress | None = None,
    tag_fixes: Sequence[tuple[str, Fix]] = (),
    tagged: Callable[[Catalogue], None] | None = None,
) -> Catalogue:
    """Sort papers by slug, tag them (then apply the curation's tag fixes), find the papers
    each abstract names, and link each paper to its most related papers.

    The text analysis runs in a forked process (`forked`): its matrices take about a
    gigabyte at 50,000 papers, which Python would keep after they are freed; only the
    tags, mentions and links come back. The tags come first: `tagged` is called with the
    catalogue as far as it is known then (no mentions or related papers yet) while the
    analysis goes on, so the search index can be started."""
    cache = cache if cache is not None else Cache(None)
    progress = progress if progress is not None else Progress(show=False)
    ordered = sorted(papers, key=lambda p: p.slug)

    def analyse(send: Callable[[object], None]) -> tuple:
        # IDF is counted over the first papers of the input as they first appeared, so a
        # new listing leaves the weights, and the pages, of the papers before it alone.
        reference = first_seen(listings, papers[: reference_size(len(papers))])
        vectors = Vectors(
            ordered, [document(p) for p in reference], partial(cached_vectorize, cache=cache)
        )
        said = Report()
        # Mentions need only the papers: found in a process of their own meanwhile.
        finding = started(partial(cached_mentions, ordered, cache), len(ordered) >= BESIDE_FROM)
        with progress.stage("tags", len(ordered)):
            tagging = Report()
            assigned = cached_tags(ordered, tags, tagging, cache, vectors)
            paper_tags = with_given_tags(ordered, assigned, tagging, said)
        paper_tags = edit_tags(paper_tags, tag_fixes, tags, said)
        send(paper_tags)
        with progress.stage("mentions", len(ordered)):
            mentions = finding()
        named = {slug: [m.slug for m in found] for slug, found in mentions.items()}
        with progress.stage("related", len(ordered)):
            related = related_rows(ordered, paper_tags, cache, named, vectors)
        return mentions, related, said.problems, progress.times

    heard: dict[str, dict] = {}

    def hear(paper_tags: dict) -> None:
        heard["tags"] = paper_tags
        if tagged is not None:
            tagged(Catalogue(tuple(ordered), tuple(listings), tags, paper_tags, related={}))

    mentions, rows, problems, times = run_forked(analyse, hear)
    related = decode(rows)  # each paper's links come pickled (related_rows)
    report.problems.extend(problems)
    progress.times.update(times)
    return Catalogue(
        papers=tuple(ordered),
        listings=tuple(listings),
        tags=tags,
        paper_tags=heard["tags"],
        related=related,
        mentions=mentions,
    )


def site_pages(
    project: Project, catalogue: Catalogue, bodies: dict[str, str] | None = None
) -> dict[str, str | bytes]:
    """Everything docs/ should hold but the paper pages (`paper_pages.write_share`) and the
    downloads (`site_exports`): generated pages and hand-written pages; and in `bodies`,
    the generated pages' HTML bodies for the page_cache hook."""
    files: dict[str, str | bytes] = {}
    if project.pages_dir.is_dir():
        for path in sorted(project.pages_dir.rglob("*")):
            if path.is_file():
                files[path.relative_to(project.pages_dir).as_posix()] = path.read_bytes()
    browse = load_browse(project.config_file, len(catalogue.papers))
    files.update(render_pages(catalogue, browse, bodies))
    files.update(facets_files(catalogue, browse.pagefind))  # the Papers page's filter data
    add_pages(files, bodies, stats_page(catalogue))
    return files


def write_list_pages(project: Project, catalogue: Catalogue) -> tuple[Written, list[str]]:
    """Write `site_pages` into docs/ (but where a download has the same path) and their
    HTML bodies into the bodies database; the files written, and the bodies' paths. The
    list pages use the papers, listings and tags, not the related papers or mentions, so
    they can be written while those are still being found."""
    bodies: dict[str, str] = {}
    pages = site_pages(project, catalogue, bodies)
    for path in site_exports(project, catalogue):  # a download wins over a page
        pages.pop(path, None)
    return (
        write_files(project.docs_dir, sorted(pages.items())),
        write_bodies(project.bodies_db, sorted(bodies.items())),
    )


def site_exports(project: Project, catalogue: Catalogue) -> Exports:
    """The downloads (JSON, BibTeX, feeds), each made as the writer reads it, so they are
    not all in memory at once."""
    return Exports(catalogue, load_site(project.config_file))


def current_paper_pages(
    project: Project, catalogue: Catalogue
) -> tuple[dict[str, str], frozenset[str]]:
    """Every paper page's key (`render.paper_keys`), and the slugs whose page and HTML body
    on disk were written for the same key by the last build: they need no rendering."""
    site = load_site(project.config_file)
    keys = paper_keys(catalogue, catalogue.papers, site)
    before = Cache(project.cache_dir).load("paper-pages", "latest")
    before = before if isinstance(before, dict) else {}
    bodies = body_paths(project.bodies_db)
    folder = project.docs_dir / posixpath.dirname(paper_path("x"))
    try:  # one listing of the folder, not a stat per page (0.3 s at 10,000)
        pages = {entry.name for entry in os.scandir(folder) if entry.is_file()}
    except OSError:
        pages = set()
    unchanged = frozenset(
        slug
        for slug, key in keys.items()
        if before.get(slug) == key
        and body_path(slug) in bodies
        and posixpath.basename(paper_path(slug)) in pages
    )
    return keys, unchanged


@dataclass(frozen=True)
class Read:
    """The catalogue before annotation: the curated listings and papers, and the taxonomy."""

    curated: Curated
    tags: tuple[Tag, ...]


def read_catalogue(project: Project, report: Report, progress: Progress) -> Read:
    """Read the listings, merge them into papers, apply the structured records and the
    curation."""
    cache = Cache(project.cache_dir)
    with progress.stage("read"):
        memo = ReadMemo(cache)
        listings = read_listings(project.listings_dir, report, memo)
        papers = merge_papers(listings, report, memo)
        memo.save()
        del memo  # its entries for papers gone, and its dicts, need not outlive reading
    tags = load_tags(project, report)
    with progress.stage("records"):
        papers = enrich(papers, read_records(project, report), tags, report)
    curation = read_curation(project.curation_file, report)
    return Read(curate(listings, papers, curation, report), tags)


def annotate_read(
    project: Project,
    read: Read,
    report: Report,
    progress: Progress,
    tagged: Callable[[Catalogue], None] | None = None,
) -> Catalogue:
    """`annotate` what `read_catalogue` gave, with the project's cache."""
    kept = read.curated
    cache = Cache(project.cache_dir)
    return annotate(
        kept.listings, kept.papers, read.tags, report, cache, progress, kept.tag_fixes, tagged
    )


def build_catalogue(
    project: Project, report: Report, progress: Progress | None = None
) -> Catalogue:
    """Read, curate and annotate the catalogue: everything but output."""
    progress = progress if progress is not None else Progress(show=False)
    return annotate_read(project, read_catalogue(project, report, progress), report, progress)


def generate(
    project: Project, report: Report | None = None, progress: Progress | None = None
) -> BuildResult:
    """Read, annotate, render and write docs/; everything but MkDocs."""
    report = report if report is not None else Report()
    progress = progress if progress is not None else Progress()
    catalogue = build_catalogue(project, report, progress)
    return write_docs(project, catalogue, report, progress)


def write_docs(
    project: Project,
    catalogue: Catalogue,
    report: Report,
    progress: Progress,
    list_pages: Callable[[], tuple[Written, list[str]]] | None = None,
) -> BuildResult:
    """Render the catalogue and make docs/ (and the pages' HTML bodies) hold it.

    With several workers (`shards.workers`), forked processes do it (`forked`): the paper
    pages that changed, one share per worker, and the other pages and the downloads; all
    at once when memory allows (`budget.writers_together`), the list pages and downloads
    beginning while the paper pages' keys are worked out; what rendering allocates goes
    with them. `list_pages`, when given, is the list pages' writing begun earlier
    (`write_list_pages`, during the analysis): only its result is waited for."""
    extra, papers = shards.configured_extra(project.config_file), len(catalogue.papers)
    count = shards.workers(extra)
    share = partial(
        write_share, catalogue, load_site(project.config_file), project.docs_dir, project.bodies_db
    )

    def write_exports(whole: bool) -> tuple[Written, list[str]]:
        # papers.json (`whole`), or every other download: two writers of about the same
        # work, so neither is left alone at the end of the phase with a core idle.
        exports = site_exports(project, catalogue)
        chosen = [path for path in sorted(exports) if (path == CATALOGUE_JSON) == whole]
        return write_files(project.docs_dir, ((path, exports[path]) for path in chosen)), []

    jobs = [partial(write_exports, True), partial(write_exports, False)]
    if list_pages is None:
        jobs.insert(0, partial(write_list_pages, project, catalogue))
    with progress.stage("write", papers):
        writers = len(jobs) + (list_pages is not None)  # that one may still be running
        at_once = count > 1 and budget.writers_together(extra, papers, writers, count)
        begun = [started(job) for job in jobs] if at_once else []  # they need no page keys
        with progress.stage("render", papers):
            keys, unchanged = current_paper_pages(project, catalogue)
        changed = [paper.slug for paper in catalogue.papers if paper.slug not in unchanged]
        if count > 1:
            done = map_forked(share, [changed[n::count] for n in range(count)])
            if at_once:
                done += [result() for result in begun]
            elif budget.writers_together(extra, papers, len(jobs)):
                done += map_forked(lambda job: job(), jobs)
            else:  # one after the other: together they would not fit in memory
                done += [map_forked(lambda job: job(), [job])[0] for job in jobs]
        else:
            done = [share(changed), *(job() for job in jobs)]
        if list_pages is not None:
            done.append(list_pages())
        # Only now the folders' manifests, and stale files removed: every part is written.
        written = write_tree(
            project.docs_dir, {}, map(paper_path, unchanged), merge_written(d[0] for d in done)
        )
        keep_bodies(
            project.bodies_db, [*map(body_path, unchanged), *(p for d in done for p in d[1])]
        )
        Cache(project.cache_dir).save("paper-pages", "latest", keys)
    return BuildResult(catalogue=catalogue, report=report, written=written)


def run_mkdocs(
    project: Project, site_dir: Path, offline: bool = False, options: dict | None = None
) -> list[str]:
    """Build the MkDocs site into `site_dir`; return MkDocs' warnings (`mkdocs_run.run`)."""
    return mkdocs_run.run(project.config_file, site_dir, offline, options)


def early_count(project: Project, papers: int) -> int:
    """How many MkDocs worker processes a build of `papers` papers starts ahead of its
    jobs, during the analysis (`budget.workers_early`); 0 when none."""
    options = pagefind_search.mkdocs_options(project.config_file, papers)
    extra = options.get("extra") if options else None
    count = shards.workers(extra) if options else 1
    records = pagefind_search.largest_bundle(extra, papers)
    return count if count > 1 and budget.workers_early(extra, papers, count, records) else 0


def early_workers(project: Project, papers: object) -> shards.Workers | None:
    """MkDocs worker processes started before the listings are read, for a catalogue of
    about `papers` papers (the last build's count), as many as `early_count`, each told
    its likely job (`mkdocs_jobs`); else None."""
    if not isinstance(papers, int) or isinstance(papers, bool) or papers <= 0:
        return None
    count = early_count(project, papers)
    if not count:
        return None
    workers = shards.Workers(count)
    workers.prepare(
        mkdocs_jobs(project, pagefind_search.mkdocs_options(project.config_file, papers))
    )
    return workers


def mkdocs_jobs(project: Project, options: dict) -> list[dict]:
    """The jobs of `build`'s MkDocs processes with `options` (`mkdocs_options`; `shards.jobs`):
    into site.partial, reusing site/ in place (Pagefind mode)."""
    count = shards.workers(options.get("extra")) if options else 1
    return shards.jobs(
        project.root,
        project.partial_dir,
        project.site_dir,
        project.bodies_db,
        options,
        count,
        bool(options),
    )


def build(
    project: Project,
    strict: bool = False,
    out: TextIO = sys.stderr,
    progress: Progress | None = None,
) -> BuildResult:
    """The whole build. In strict mode any warning fails it and site/ is left as it was.

    Large catalogues (Pagefind mode) use every core: Pagefind indexes the catalogue while
    MkDocs builds, itself split among worker processes (`shards`), each reusing the pages
    that did not change since the last build (`page_cache`)."""
    project = Project(project.root.resolve())  # worker processes and Pagefind have other cwds
    recover(project.site_dir)
    partial = project.partial_dir
    staged = project.root / "site.partial-pagefind"
    remove(partial)
    remove(staged)
    # What the last build replaced goes while this one reads and annotates (and the
    # folder of page bodies builds before 2026-12 wrote, now a database).
    trash = project.site_dir.with_name(project.site_dir.name + ".old")
    old_site = discard(trash)
    old_bodies = discard(project.cache_dir / "bodies")
    progress = progress if progress is not None else Progress(out)
    report = Report()
    # MkDocs' processes import MkDocs while the listings are read, on the core reading
    # leaves idle, when the last build's size called for them early (checked again once
    # the papers are counted).
    workers = early_workers(project, Cache(project.cache_dir).load("build", "papers"))
    try:
        read = read_catalogue(project, report, progress)
    except BaseException:
        if workers is not None:
            workers.close()
        raise
    papers = len(read.curated.papers)
    Cache(project.cache_dir).save("build", "papers", papers)
    options = pagefind_search.mkdocs_options(project.config_file, papers)
    extra = options.get("extra") if options else None
    count = shards.workers(extra) if options else 1
    jobs = mkdocs_jobs(project, options)
    indexing, assembling, list_pages = None, None, None

    def tagged(known: Catalogue) -> None:
        # The list pages are written, and Pagefind indexes the records (titles, abstracts,
        # tags...), while the analysis finds mentions and related papers; Pagefind goes
        # on while pages are written and built.
        nonlocal indexing, list_pages
        if count > 1 and budget.pages_early(extra, papers, len(workers or ()), records):
            list_pages = started(lambda: write_list_pages(project, known))
        with progress.stage("search records", papers):
            indexing = pagefind_search.start_index(known, project.cache_dir, options)
        if not budget.search_waits(extra, papers, count, indexing.pending()):
            indexing.release()  # else it waits for MkDocs: together they would not fit

    try:
        records = pagefind_search.largest_bundle(extra, papers)
        wanted = early_count(project, papers)
        if workers is not None and len(workers) != wanted:
            workers.close()  # started for another size
            workers = None
        if wanted and workers is None:
            workers = shards.Workers(wanted)  # MkDocs imported during the analysis
            workers.prepare(jobs)
        catalogue = annotate_read(project, read, report, progress, tagged if options else None)
        result = write_docs(project, catalogue, report, progress, list_pages)
        list_pages = None  # its result is taken
        with progress.stage("mkdocs", papers):
            if indexing is not None:  # Pagefind's part of the site made beside MkDocs
                beside = ThreadPoolExecutor(1)
                assembling = beside.submit(indexing.finish, staged, release=False)
                beside.shutdown(wait=False)  # the thread ends with its one job
            # Small catalogues too: pages come from their ready HTML (page_cache), but
            # none is reused, since Material's search indexes every page it renders.
            # Large ones leave their unchanged pages in site/ and list them (in place).
            in_place = bool(options)
            page_cache.forget_kept(project.bodies_db)
            mkdocs_warnings = shards.run(jobs, workers)
            kept = page_cache.kept_pages(project.bodies_db, count) if in_place else None
            if indexing is not None:
                indexing.release()
        if assembling is not None:
            with progress.stage("search", papers):
                assembling.result()
                indexing = None
                os.replace(staged, partial / pagefind_search.OUTPUT)
    except BaseException:
        if list_pages is not None:
            with suppress(Exception):
                list_pages()  # waited for: it writes into docs/
        if workers is not None:
            workers.close()
        if indexing is not None:
            indexing.kill()
        if assembling is not None:
            wait([assembling])
        old_site.join()
        old_bodies.join()
        remove(partial)
        remove(staged)
        raise
    result = BuildResult(result.catalogue, result.report, result.written, mkdocs_warnings)
    old_site.join()
    old_bodies.join()
    if strict and result.warnings:
        remove(partial)
    else:
        with progress.stage("site", papers):
            sitemap.rewrite(partial, load_site(project.config_file).url)  # no dates; split
            if kept is not None:  # what it replaces, the next build deletes: not waited for
                apply(partial, project.site_dir, kept, trash)
            else:
                swap_in(partial, project.site_dir)
    return result
