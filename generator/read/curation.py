"""Curation (`site_src/curation.yaml`): a maintainer's fixes for single papers.

Applied right after the listings are merged into papers, so every page and export follows:
  - paper: <slug or exact title>
    title: Corrected Title      # shown everywhere; the page URL (slug) stays the same
    add_tags: [quantization]    # tag slugs (or names) from site_src/taxonomy.yaml
    remove_tags: [pruning]
    hide: true                  # the paper leaves the site
  - merge: [<paper to keep>, <paper folded into it>]
A merged paper keeps the first paper's title, slug and abstract and gains the second's
listings, sources and links; the second's listing entries show the first. An entry that
names no known paper or tag is a warning with its file and line, and is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from slugify import slugify

from generator.model import Listing, Paper, Record, Tag
from generator.read.text import bounded, clean_title, config_text, config_yaml, title_key
from generator.report import Report

SOURCE = "site_src/curation.yaml"
FIX_KEYS = frozenset({"paper", "title", "add_tags", "remove_tags", "hide"})


@dataclass(frozen=True)
class Fix:
    """One entry about one paper, as written (`paper` not yet resolved)."""

    line: int
    paper: str
    title: str = ""
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    hide: bool = False


@dataclass(frozen=True)
class Merge:
    line: int
    keep: str
    drop: str


@dataclass(frozen=True)
class Curation:
    fixes: tuple[Fix, ...] = ()
    merges: tuple[Merge, ...] = ()


@dataclass(frozen=True)
class Curated:
    """The listings and papers after curation, and the tag fixes by paper slug."""

    listings: list[Listing]
    papers: list[Paper]
    tag_fixes: tuple[tuple[str, Fix], ...] = ()


def read_curation(path: Path, report: Report) -> Curation:
    """The curation file's entries; no file means no curation."""
    text = config_text(path, SOURCE, report) if path.is_file() else ""
    return load_curation(text, report) if text else Curation()


def load_curation(text: str, report: Report) -> Curation:
    """Parse the curation file; a malformed entry is reported with its line and skipped."""
    parsed = config_yaml(SOURCE, text, report)
    if parsed is None or parsed[1] is None:
        return Curation()
    root, data = parsed
    if not isinstance(data, dict) or not isinstance(data.get("fixes", []), list):
        report.fail(SOURCE, 1, "expected a top-level 'fixes:' list; see the comments on top.")
        return Curation()
    entries = data.get("fixes") or []
    nodes = next((v for k, v in root.value if k.value == "fixes"), None)
    fixes, merges = [], []
    for entry, node in zip(entries, nodes.value if nodes else [], strict=False):
        line = node.start_mark.line + 1
        if isinstance(entry, dict) and "merge" in entry:
            merges.append(_merge(entry, line, report))
        elif isinstance(entry, dict) and isinstance(entry.get("paper"), str):
            fixes.append(_fix(entry, line, report))
        else:
            report.warn(SOURCE, line, "each entry needs 'paper: <slug or title>' or 'merge:'.")
    return Curation(tuple(f for f in fixes if f), tuple(m for m in merges if m))


def _merge(entry: dict, line: int, report: Report) -> Merge | None:
    pair = entry["merge"]
    if set(entry) != {"merge"} or not isinstance(pair, list) or list(map(type, pair)) != [str, str]:
        report.warn(SOURCE, line, "'merge' takes exactly two papers: [keep, fold into it].")
        return None
    return Merge(line, pair[0], pair[1])


def _fix(entry: dict, line: int, report: Report) -> Fix | None:
    if unknown := sorted(map(str, set(entry) - FIX_KEYS)):
        names, plural = ", ".join(map(repr, unknown)), "s" if len(unknown) > 1 else ""
        use = ", ".join(sorted(FIX_KEYS))
        report.warn(SOURCE, line, f"unknown key{plural} {names}; use {use} (or 'merge').")
        return None
    tags = []
    for key in ("add_tags", "remove_tags"):
        value = entry.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            report.warn(SOURCE, line, f"'{key}' must be a list of tag slugs.")
            return None
        tags.append(tuple(value))
    hide = entry.get("hide", False)
    if not isinstance(hide, bool):
        report.warn(SOURCE, line, f"'hide' must be true or false, not {hide!r:.40}; entry skipped.")
        return None
    title = entry.get("title", "")
    if not isinstance(title, str) or (not title.strip() and "title" in entry):
        report.warn(SOURCE, line, "'title' must be the corrected title as text.")
        return None
    title = bounded(clean_title(title), "title", report, SOURCE, line)
    return Fix(line, entry["paper"], title, tags[0], tags[1], hide)


def curate(
    listings: list[Listing], papers: list[Paper], curation: Curation, report: Report
) -> Curated:
    """Apply merges, title corrections and hiding; tag fixes wait for `edit_tags`."""
    by_slug = {p.slug: p for p in papers}
    by_key = {p.key: p for p in papers}
    found: list[bool] = []

    def find(name: str, line: int) -> Paper | None:
        """The paper a curation entry names, by slug or by title."""
        paper = by_slug.get(name.strip()) or by_key.get(title_key(name))
        found.append(paper is not None)
        if paper is None:
            report.warn(
                SOURCE,
                line,
                f"{name[:60]!r} names no known paper; use the slug from its page URL "
                "or its exact title.",
            )
        return paper

    renamed: dict[tuple[str, int], str] = {}  # a folded paper's record -> the kept title
    kept: dict[str, Paper] = {p.slug: p for p in papers}
    for merge in curation.merges:
        keep = find(merge.keep, merge.line)
        drop = find(merge.drop, merge.line)
        if not keep or not drop:
            continue
        if keep.slug == drop.slug or drop.slug not in kept or keep.slug not in kept:
            report.warn(SOURCE, merge.line, "merge needs two different, not yet merged papers.")
            continue
        dropped = kept.pop(drop.slug)
        kept[keep.slug] = _fold(kept[keep.slug], dropped)
        renamed.update(dict.fromkeys(dropped.sources, keep.title))
    tag_fixes = []
    for fix in curation.fixes:
        paper = find(fix.paper, fix.line)
        if paper is None or paper.slug not in kept:
            if paper is not None:
                report.warn(SOURCE, fix.line, "this paper was merged into another; fix that one.")
            continue
        if fix.title:
            kept[paper.slug] = replace(kept[paper.slug], title=fix.title)
        if fix.hide:
            del kept[paper.slug]
        elif fix.add_tags or fix.remove_tags:
            tag_fixes.append((paper.slug, fix))
    if len(found) > 1 and not any(found):
        report.warn(
            SOURCE,
            0,
            f"none of its {len(found)} paper names is in this catalogue: it fixes other "
            "listings (the seed catalogue's, if yours replaced them); empty it to start afresh.",
        )
    result = [kept[p.slug] for p in papers if p.slug in kept]
    return Curated(_retitle_records(listings, renamed), result, tuple(tag_fixes))


def _fold(keep: Paper, drop: Paper) -> Paper:
    urls = {link.url for link in keep.links}
    return replace(
        keep,
        abstract=keep.abstract or drop.abstract,
        raw_abstract=keep.raw_abstract or drop.raw_abstract,
        links=keep.links + tuple(link for link in drop.links if link.url not in urls),
        listings=keep.listings + tuple(s for s in drop.listings if s not in keep.listings),
        sources=keep.sources + drop.sources,
    )


def _retitle_records(
    listings: list[Listing], renamed: Mapping[tuple[str, int], str]
) -> list[Listing]:
    """Listing entries of a folded paper now show the paper it was folded into. They are
    found by file and line: a title key can be shared by papers whose titles differ only
    in their symbols (`merge._identity`)."""
    if not renamed:
        return listings

    def retitled(record: Record) -> Record:
        title = renamed.get((record.source, record.line))
        return record if title is None else replace(record, title=title)

    return [replace(item, records=tuple(map(retitled, item.records))) for item in listings]


def edit_tags(
    paper_tags: Mapping[str, tuple[str, ...]],
    tag_fixes: Sequence[tuple[str, Fix]],
    tags: Sequence[Tag],
    report: Report,
) -> dict[str, tuple[str, ...]]:
    """The tags after the curation's additions (shown first) and removals."""
    known = {t.slug for t in tags}
    by_name = {slugify(t.name): t.slug for t in tags}
    result = dict(paper_tags)
    for slug, fix in tag_fixes:
        if slug not in result:
            continue
        current = list(result[slug])
        edits = [(t, True) for t in fix.add_tags] + [(t, False) for t in fix.remove_tags]
        for name, adding in edits:
            tag = name if name in known else by_name.get(slugify(name))
            if tag is None:
                report.warn(SOURCE, fix.line, f"no tag {name!r} in site_src/taxonomy.yaml.")
            elif adding and tag not in current:
                current.insert(0, tag)
            elif not adding and tag in current:
                current.remove(tag)
        if not current:
            report.warn(SOURCE, fix.line, "this leaves the paper without tags; add one.")
        result[slug] = tuple(current)
    return result
