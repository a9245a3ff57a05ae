"""Atom feeds: the whole catalogue and one per tag, newest listing first.

Timestamps never come from the clock, so the same input gives the same bytes: a listing's time is
its capture date (in `Site.capture_year` when it has no year) at midnight UTC plus one second per
listing number; a paper's `updated` is that of its newest listing. Entry ids derive from the paper's
title key, so they survive a change of slug or of site URL."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from generator.exports.papers import paper_url
from generator.exports.paths import CATALOGUE_FEED, tag_export
from generator.model import Catalogue, Listing, Paper
from generator.read.history import sort_day
from generator.render.escape import safe_url
from generator.site.address import Site

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 100
# XML 1.0 forbids most control characters and unpaired surrogates, even as references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def listing_time(listing: Listing, number: int, year: int) -> datetime:
    """The listing's capture date (in full, or in the nominal `year` when its year is not
    known) + `number` seconds."""
    day = sort_day(listing, year)
    start = datetime.fromisoformat(day) if day else datetime(year, 1, 1)
    return start.replace(tzinfo=timezone.utc) + timedelta(seconds=number)


def paper_times(catalogue: Catalogue, year: int) -> dict[str, datetime]:
    """Each paper's `updated`: the time of the newest listing it appeared in."""
    times = {
        item.slug: listing_time(item, number, year)
        for number, item in enumerate(catalogue.listings, start=1)
    }
    epoch = datetime(year, 1, 1, tzinfo=timezone.utc)
    return {
        p.slug: max((times[s] for s in p.listings if s in times), default=epoch)
        for p in catalogue.papers
    }


def newest_first(papers: Iterable[Paper], times: dict[str, datetime]) -> list[Paper]:
    return sorted(papers, key=lambda p: (-times[p.slug].timestamp(), p.title.casefold(), p.slug))


def _text(value: str) -> str:
    return " ".join(_NOT_XML.sub(" ", value).split())


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _published(iso: str) -> str:
    """`Paper.published` (YYYY, YYYY-MM or YYYY-MM-DD) as an Atom date-time, or ""."""
    parts = [*iso.split("-"), "01", "01"][:3]
    try:
        year, month, day = map(int, parts)  # always three: padded, then cut to three
        return _stamp(datetime(year, month, day, tzinfo=timezone.utc))
    except ValueError:
        return ""


def entry_id(paper: Paper) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "paper-catalogue:paper:" + paper.key))


_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_ATTRIBUTE.update({ord("\r"): "&#13;", ord("\n"): "&#10;", ord("\t"): "&#09;"})


def _attributes(attributes: dict[str, str]) -> str:
    """Attributes escaped as ElementTree escapes them (line breaks and tabs as references)."""
    return "".join(f' {name}="{value.translate(_ATTRIBUTE)}"' for name, value in attributes.items())


def _leaf(tag: str, text: str = "", **attributes: str) -> str:
    """An element without children, as ElementTree writes it (short when empty)."""
    attrs = _attributes(attributes)
    return (
        f"<{tag}{attrs}>{html.escape(text, quote=False)}</{tag}>" if text else f"<{tag}{attrs} />"
    )


def _parent(tag: str, children: list[str], level: int, **attributes: str) -> str:
    """An element holding `children`, indented one space a level as `ET.indent` does."""
    attrs = _attributes(attributes)
    inner = "\n" + " " * (level + 1)
    return f"<{tag}{attrs}>{inner}{inner.join(children)}\n{' ' * level}</{tag}>"


def _href(site: Site, feed_path: str, target: str) -> str:
    """`target` (site-root-relative) absolute when the site URL is known, else relative to
    the feed file, which is what feed readers resolve it against."""
    if site.url:
        return site.absolute(target)
    return "../" * feed_path.count("/") + target or "./"


def atom_feed(
    catalogue: Catalogue,
    site: Site,
    path: str,
    title: str,
    page: str,
    papers: Iterable[Paper],
    times: dict[str, datetime] | None = None,
    memo: dict[tuple[str, str], str] | None = None,
) -> str:
    """One Atom document at docs-relative `path` for `papers` (newest first, at most
    FEED_ENTRIES), for the page at site-root-relative `page`; `memo` keeps each entry for
    the other feeds it is in. The bytes are ElementTree's (tested), in a third of the time."""
    times = times if times is not None else paper_times(catalogue, site.capture_year)
    memo = memo if memo is not None else {}
    chosen = newest_first(papers, times)[:FEED_ENTRIES]
    epoch = datetime(site.capture_year, 1, 1, tzinfo=timezone.utc)
    feed_key = f"paper-catalogue:feed:{site.url or site.name}:{path}"
    updated = max((times[p.slug] for p in chosen), default=epoch)
    children = [
        _leaf("title", _text(title)),
        _leaf("id", "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, feed_key))),
        _leaf("updated", _stamp(updated)),
        _parent("author", [_leaf("name", _text(site.name))], 1),
        _leaf("generator", "paper-catalogue"),
        _leaf("link", rel="alternate", href=_href(site, path, page)),
    ]
    if site.url:
        children.append(
            _leaf("link", rel="self", href=site.absolute(path), type="application/atom+xml")
        )
    for paper in chosen:
        href = _href(site, path, paper_url(paper.slug))
        entry = memo.get((paper.slug, href))
        if entry is None:
            entry = memo[paper.slug, href] = _entry(catalogue, href, paper, times[paper.slug])
        children.append(entry)
    body = _parent("feed", children, 0, xmlns=ATOM)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _entry(catalogue: Catalogue, href: str, paper: Paper, when: datetime) -> str:
    parts = [_leaf("title", _text(paper.title)), _leaf("id", entry_id(paper))]
    parts.append(_leaf("updated", _stamp(when)))
    published = _published(paper.published) if paper.published else ""
    if published:
        parts.append(_leaf("published", published))
    parts += [_parent("author", [_leaf("name", _text(name))], 2) for name in paper.authors]
    parts.append(_leaf("link", rel="alternate", href=href))
    for link in paper.links:
        if link.kind == "code" and safe_url(link.url):
            parts.append(_leaf("link", rel="related", href=link.url.strip(), title="Code"))
    for slug in catalogue.paper_tags.get(paper.slug, ()):
        tag = catalogue.tag(slug)
        parts.append(_leaf("category", term=tag.slug, label=_text(tag.name)))
    if paper.abstract:
        parts.append(_leaf("summary", _text(paper.abstract), type="text"))
    return _parent("entry", parts, 1)


def feed_paths(catalogue: Catalogue) -> list[str]:
    """Where `feed_files` puts the feeds: the catalogue's, then each tag's."""
    return [CATALOGUE_FEED] + [tag_export(tag.slug, ".xml") for tag in catalogue.tags]


def feed_files(catalogue: Catalogue, site: Site) -> dict[str, str]:
    """The catalogue's feed and one per tag, keyed by docs-relative path (`feed_paths`)."""
    times = paper_times(catalogue, site.capture_year)
    memo: dict[tuple[str, str], str] = {}  # a paper's entry, in its tags' feeds too
    feeds = [(f"{site.name}: newest papers", "", catalogue.papers)] + [
        (f"{site.name}: {tag.name}", f"tags/{tag.slug}/", catalogue.tag_papers.get(tag.slug, ()))
        for tag in catalogue.tags
    ]
    return {
        path: atom_feed(catalogue, site, path, title, page, papers, times, memo)
        for path, (title, page, papers) in zip(feed_paths(catalogue), feeds, strict=True)
    }
