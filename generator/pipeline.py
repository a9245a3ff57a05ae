"""The catalogue's stages, top to bottom: listings -> papers -> catalogue -> site files.

read_catalogue  every listing (through the reader for its suffix), merged into one Paper
                per distinct title; structured records enrich them or add papers; the
                maintainer's curation applied
tag_catalogue   tags from the taxonomy (the Pagefind index can be made from here on)
relate          the papers each abstract names, related papers
site_files      every page (Markdown, or described block by block to be written as HTML)
                and every download, keyed by docs-relative path

The MkDocs plugin (`generator.site.plugin`) runs these stages inside a MkDocs build;
`build` here is that build as `make build` runs it: into a folder beside site/, which
replaces site/ only when the build succeeded (and, in strict mode, warned of nothing).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.analyse.mentions import cached_mentions
from generator.analyse.related_cache import cached_related
from generator.analyse.taxonomy import cached_tags, load_taxonomy
from generator.analyse.vectors import Vectors, document, reference_size
from generator.cache import Cache
from generator.exports.files import Exports
from generator.exports.reading import reading_files
from generator.exports.similar import similar_files
from generator.model import Catalogue, Listing, Paper, PaperRecord, Tag
from generator.progress import Progress
from generator.read.cache import ReadMemo
from generator.read.curation import Curated, Fix, curate, edit_tags, read_curation
from generator.read.enrich import enrich, with_given_tags
from generator.read.history import added_times, full_day
from generator.read.merge import first_seen, merge_papers
from generator.read.registry import READERS, RECORD_READERS, reader_for, record_reader_for
from generator.read.slugs import unique_listing_slugs
from generator.read.text import config_text
from generator.render.facets import facets_files
from generator.render.lists import render_pages
from generator.render.pages import Ready, paper_path, ready_pages, render_paper
from generator.render.paginate import Browse
from generator.render.stats import stats_page
from generator.report import Report
from generator.site.address import Site

PLUGIN_LOGGER = "mkdocs.plugins.catalogue"
# Files git and file managers leave in folders: skipped without a word.
HOUSEKEEPING = frozenset({".gitkeep", ".gitignore", ".DS_Store"})
NEVER = 1 << 62  # when a file git has not seen arrived: after every other
NO_READER = "no reader for this file type; use one of {} or move it out of site_src/{}."
OUTSIDE = (
    "is a link to a file outside the listings folder; it was not read. Copy the file in instead."
)
NOT_A_FILE = "not a file (a link to nothing, a pipe or a device); not read."


@dataclass(frozen=True)
class Project:
    """Where a catalogue's inputs and outputs live: `root` holds mkdocs.yml, `source` the
    listings, records, taxonomy and curation (the plugin's `source` option)."""

    root: Path
    source: str = "site_src"

    @property
    def site_src(self) -> Path:
        return self.root / self.source

    @property
    def listings_dir(self) -> Path:
        return self.site_src / "listings"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"


@dataclass(frozen=True)
class Read:
    """The catalogue before annotation: the curated listings and papers, and the taxonomy."""

    curated: Curated
    tags: tuple[Tag, ...]


def read_catalogue(project: Project, report: Report, progress: Progress) -> Read:
    """Read the listings, merge them into papers, apply the structured records and the curation."""
    with progress.stage("read"):
        memo = ReadMemo(Cache(project.cache_dir))
        listings = read_listings(project.listings_dir, report, memo)
        papers = merge_papers(listings, report, memo)
        memo.save()
    tags = load_tags(project, report)
    with progress.stage("records"):
        papers = enrich(papers, read_records(project, report), tags, report)
    curation = read_curation(project.site_src / "curation.yaml", report)
    return Read(curate(listings, papers, curation, report), tags)


def read_listings(folder: Path, report: Report, memo: ReadMemo | None = None) -> list[Listing]:
    """Every listing file under `folder`, in the order they arrived (`read.history`), else in path
    order; unreadable files are reported. `memo` holds the last build's parses (by file bytes)."""
    listings: list[Listing] = []
    if not folder.is_dir():
        report.warn(str(folder), 0, "listings folder is missing; create it and add listings.")
        return listings
    inside = folder.resolve()
    for path in input_files(folder):
        name = file_name(path.relative_to(folder).as_posix())
        reader = reader_for(name)
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            if path.name not in HOUSEKEEPING:
                report.warn(name, 0, "hidden (its name starts with a dot); not read.")
        elif not path.is_file():
            report.warn(name, 0, NOT_A_FILE)
        elif not path.resolve().is_relative_to(inside):
            report.warn(name, 0, OUTSIDE)
        elif reader is None:
            report.warn(name, 0, NO_READER.format(", ".join(sorted(READERS)), "listings"))
        elif (data := _read_input(path, name, report)) is not None and memo is not None:
            listings.append(memo.listing(name, data, reader, report))
        elif data is not None:
            listings.append(reader(name, data, report))
    # In the order they arrived (files git does not know yet last), dated in full.
    added = added_times(folder)
    listings.sort(key=lambda item: (added.get(item.source, NEVER), item.source))
    dated = [replace(item, day=full_day(item.date, added.get(item.source))) for item in listings]
    return unique_listing_slugs(dated)


def input_files(folder: Path) -> list[Path]:
    """Everything under `folder` but folders, in path order: files, and what only looks like
    one (a broken link, a pipe, which would block a read), for the reader to report."""
    return sorted(p for p in folder.rglob("*") if not p.is_dir())


def file_name(name: str) -> str:
    """A file's name as text: bytes that are not UTF-8 (kept by the file system as lone
    surrogates) become U+FFFD, so the name can be shown, logged and written."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _read_input(path: Path, name: str, report: Report) -> bytes | None:
    """An input file's bytes, or None (reported) when the system will not give them."""
    try:
        return path.read_bytes()
    except OSError as error:
        report.warn(name, 0, f"cannot be read ({error.strerror}); check its permissions.")
        return None


def record_files(project: Project) -> list[Path]:
    """site_src/papers/* and every other *.bib in site_src/ but listings/ and pages/ (with
    what only looks like a file, for `read_records` to report)."""
    found = []
    for path in input_files(project.site_src):
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
        name = file_name(path.relative_to(project.root).as_posix())
        reader = record_reader_for(name)
        if reader is None:
            report.warn(name, 0, NO_READER.format(", ".join(RECORD_READERS), "papers"))
        elif not path.is_file():
            report.warn(name, 0, NOT_A_FILE)
        elif (data := _read_input(path, name, report)) is not None:
            records.extend(reader(name, data, report))
    return records


def load_tags(project: Project, report: Report) -> tuple[Tag, ...]:
    path = project.site_src / "taxonomy.yaml"
    name = f"{project.source}/taxonomy.yaml"
    if not path.is_file():
        report.warn(name, 0, "missing; papers are shown without tags.")
        return ()
    text = config_text(path, name, report)
    return () if text is None else load_taxonomy(name, text, report)


def tag_catalogue(
    listings: Sequence[Listing],
    papers: Sequence[Paper],
    tags: tuple[Tag, ...],
    report: Report,
    cache: Cache | None = None,
    progress: Progress | None = None,
    tag_fixes: Sequence[tuple[str, Fix]] = (),
) -> Catalogue:
    """The catalogue with its papers sorted by slug and tagged (then the curation's tag
    fixes applied); no mentions or related papers yet (`relate`).

    IDF is counted over the first papers of the input as they first appeared, so a new
    listing leaves the weights, and the pages, of the papers before it alone."""
    cache, progress = cache or Cache(None), progress or Progress(show=False)
    ordered = sorted(papers, key=lambda p: p.slug)
    reference = first_seen(list(listings), list(papers[: reference_size(len(papers))]))
    vectors = Vectors(ordered, [document(p) for p in reference], cache)
    with progress.stage("tags", len(ordered)):
        tagging = Report()
        assigned = cached_tags(ordered, tags, tagging, cache, vectors)
        paper_tags = with_given_tags(ordered, assigned, tagging, report)
    paper_tags = edit_tags(paper_tags, tag_fixes, tags, report)
    return Catalogue(
        papers=tuple(ordered),
        listings=tuple(with_topics(listings, ordered, paper_tags, tags)),
        tags=tags,
        paper_tags=paper_tags,
        related={},
        vectors=vectors,
    )


def relate(
    catalogue: Catalogue, cache: Cache | None = None, progress: Progress | None = None
) -> Catalogue:
    """The tagged catalogue with the papers each abstract names and each paper's most
    related papers."""
    cache, progress = cache or Cache(None), progress or Progress(show=False)
    papers = catalogue.papers
    with progress.stage("mentions", len(papers)):
        mentions = cached_mentions(papers, cache)
    named = {slug: [m.slug for m in found] for slug, found in mentions.items()}
    with progress.stage("related", len(papers)):
        related = cached_related(papers, catalogue.paper_tags, cache, named, catalogue.vectors)
    return replace(catalogue, related=related, mentions=mentions)


TOPICS = 2  # the tags a listing is named by


def with_topics(
    listings: Sequence[Listing],
    papers: Sequence[Paper],
    paper_tags: dict[str, tuple[str, ...]],
    tags: Sequence[Tag],
) -> list[Listing]:
    """Each listing with the names of the TOPICS tags most of its papers have (ties by
    name), which its title shows."""
    names = {tag.slug: tag.name for tag in tags}
    counts: dict[str, Counter[str]] = {listing.slug: Counter() for listing in listings}
    for paper in papers:
        for slug in paper.listings:
            counts.setdefault(slug, Counter()).update(paper_tags.get(paper.slug, ()))

    def topics(slug: str) -> tuple[str, ...]:
        known = [(-count, names[tag]) for tag, count in counts[slug].items() if tag in names]
        return tuple(name for _, name in sorted(known)[:TOPICS])

    return [replace(listing, topics=topics(listing.slug)) for listing in listings]


def build_catalogue(
    project: Project, report: Report, progress: Progress | None = None
) -> Catalogue:
    """Read, curate, tag and relate the catalogue: everything but output."""
    progress, cache = progress or Progress(show=False), Cache(project.cache_dir)
    return relate(tagged_catalogue(project, report, cache, progress), cache, progress)


def tagged_catalogue(
    project: Project, report: Report, cache: Cache, progress: Progress
) -> Catalogue:
    """Read, curate and tag the catalogue (`tag_catalogue`)."""
    read = read_catalogue(project, report, progress)
    kept, fixes = read.curated, read.curated.tag_fixes
    return tag_catalogue(kept.listings, kept.papers, read.tags, report, cache, progress, fixes)


@dataclass(frozen=True)
class SiteFiles:
    """What the catalogue adds to the site, keyed by docs-relative path: pages described
    block by block (`ready`), paper pages (made when asked for), other Markdown pages, and
    downloads (made when read)."""

    ready: dict[str, Ready]
    papers: dict[str, Paper]
    markdown: dict[str, str]
    downloads: Exports
    catalogue: Catalogue
    site: Site

    def paths(self) -> list[str]:
        return sorted({*self.ready, *self.papers, *self.markdown, *self.downloads})


def site_files(catalogue: Catalogue, site: Site, browse: Browse) -> SiteFiles:
    """Every generated page and download of the catalogue."""
    ready: dict[str, Ready] = {}
    markdown = render_pages(catalogue, browse, ready)
    ready.update(ready_pages(stats_page(catalogue)))
    markdown.update(facets_files(catalogue, browse.pagefind))
    markdown.update(reading_files(catalogue, site))
    markdown.update(similar_files(catalogue))
    papers = {paper_path(paper.slug): paper for paper in catalogue.papers}
    return SiteFiles(ready, papers, markdown, Exports(catalogue, site), catalogue, site)


def markdown_files(made: SiteFiles) -> list[tuple[str, str | bytes]]:
    """The generated pages' Markdown and the downloads, by docs-relative path, as they
    would stand in docs/ (`python -m generator markdown`)."""
    pages: dict[str, str | bytes] = {
        **made.markdown,
        **{path: ready.markdown for path, ready in made.ready.items()},
        **{path: render_paper(made.catalogue, p, made.site) for path, p in made.papers.items()},
        **made.downloads,
    }
    return sorted(pages.items())


@dataclass(frozen=True)
class BuildResult:
    catalogue: Catalogue
    report: Report
    mkdocs_warnings: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> int:
        return len(self.report) + len(self.mkdocs_warnings)


def build(project: Project, strict: bool = False, progress: Progress | None = None) -> BuildResult:
    """MkDocs' build of the project (the plugin does the catalogue's part) into a folder beside
    site/, which then replaces it; in strict mode a build with any warning leaves it as it was."""
    from generator.site import publish

    project = Project(project.root.resolve(), project.source)
    with publish.lock(project.root):
        return publish.build_into(project, project.site_dir, strict, progress or Progress())
