"""Atom feeds: the whole catalogue and one per tag, newest listing first.

Timestamps never come from the clock, so the same input gives the same bytes. A listing's
time is its capture date at midnight UTC plus one second per listing number (so a later
file sorts later on the same day). Capture dates usually have no year ("Mar 19"): those
get the nominal year `Site.capture_year` (mkdocs.yml `extra.capture_year`, default 2000,
a placeholder). A paper's `updated` is the time of the newest listing it appeared in.
Ids are `urn:uuid:` names derived from the paper's identity (its title key), so they
survive a change of slug or of site URL.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from generator.downloads import CATALOGUE_FEED, tag_export
from generator.escape import safe_url
from generator.exports import paper_url
from generator.model import Catalogue, Listing, Paper
from generator.site import Site

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 100
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WORDS_DATE = re.compile(r"([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?$", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")
# XML 1.0 forbids most control characters and unpaired surrogates, even as references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def listing_time(listing: Listing, number: int, year: int) -> datetime:
    """The listing's capture date (nominal `year` when it has none) + `number` seconds."""
    day = _capture_date(listing.date, year) or datetime(year, 1, 1, tzinfo=timezone.utc)
    return day + timedelta(seconds=number)


def _capture_date(text: str, year: int) -> datetime | None:
    text = text.strip()
    iso = _ISO_DATE.match(text)
    words = _WORDS_DATE.match(text)
    try:
        if iso:
            return datetime(*map(int, iso.groups()), tzinfo=timezone.utc)
        if words and words[1].lower() in _MONTHS:
            month = _MONTHS.index(words[1].lower()) + 1
            return datetime(int(words[3] or year), month, int(words[2]), tzinfo=timezone.utc)
    except ValueError:  # "Feb 30", or Feb 29 in a nominal year that is not a leap year
        return None
    return None


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
        return _stamp(datetime(*map(int, parts), tzinfo=timezone.utc))
    except ValueError:
        return ""


def entry_id(paper: Paper) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "paper-catalogue:paper:" + paper.key))


def _link(parent: ET.Element, href: str, rel: str = "alternate", **attrs: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "href": href, **attrs})


def _href(site: Site, feed_path: str, target: str) -> str:
    """`target` (site-root-relative) absolute when the site URL is known, else relative to
    the feed file, which is what feed readers resolve it against."""
    if site.url:
        return site.absolute(target)
    return "../" * feed_path.count("/") + target or "./"


def atom_feed(
    catalogue: Catalogue,
    site: Site,
    *,
    path: str,
    title: str,
    page: str,
    papers: Iterable[Paper],
    times: dict[str, datetime] | None = None,
) -> str:
    """One Atom document at docs-relative `path` for `papers` (newest first, at most
    FEED_ENTRIES); `page` is the site-root-relative URL of the page it belongs to.
    `times` is `paper_times`, when the caller has it already."""
    times = times if times is not None else paper_times(catalogue, site.capture_year)
    chosen = newest_first(papers, times)[:FEED_ENTRIES]
    epoch = datetime(site.capture_year, 1, 1, tzinfo=timezone.utc)
    feed = ET.Element("feed", {"xmlns": ATOM})
    ET.SubElement(feed, "title").text = _text(title)
    feed_key = f"paper-catalogue:feed:{site.url or site.name}:{path}"
    ET.SubElement(feed, "id").text = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, feed_key))
    updated = max((times[p.slug] for p in chosen), default=epoch)
    ET.SubElement(feed, "updated").text = _stamp(updated)
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = _text(site.name)
    ET.SubElement(feed, "generator").text = "paper-catalogue"
    _link(feed, _href(site, path, page))
    if site.url:
        _link(feed, site.absolute(path), rel="self", type="application/atom+xml")
    for paper in chosen:
        _entry(feed, catalogue, site, path, paper, times[paper.slug])
    ET.indent(feed, space=" ")
    body = ET.tostring(feed, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def _entry(
    feed: ET.Element, catalogue: Catalogue, site: Site, path: str, paper: Paper, when: datetime
) -> None:
    entry = ET.SubElement(feed, "entry")
    ET.SubElement(entry, "title").text = _text(paper.title)
    ET.SubElement(entry, "id").text = entry_id(paper)
    ET.SubElement(entry, "updated").text = _stamp(when)
    published = _published(paper.published) if paper.published else ""
    if published:
        ET.SubElement(entry, "published").text = published
    for name in paper.authors:
        ET.SubElement(ET.SubElement(entry, "author"), "name").text = _text(name)
    _link(entry, _href(site, path, paper_url(paper.slug)))
    for link in paper.links:
        if link.kind == "code" and safe_url(link.url):
            _link(entry, link.url.strip(), rel="related", title="Code")
    for slug in catalogue.paper_tags.get(paper.slug, ()):
        tag = catalogue.tag(slug)
        ET.SubElement(entry, "category", {"term": tag.slug, "label": _text(tag.name)})
    if paper.abstract:
        ET.SubElement(entry, "summary", {"type": "text"}).text = _text(paper.abstract)


def feed_paths(catalogue: Catalogue) -> list[str]:
    """Where `feed_files` puts the feeds: the catalogue's, then each tag's."""
    return [CATALOGUE_FEED] + [tag_export(tag.slug, ".xml") for tag in catalogue.tags]


def feed_files(catalogue: Catalogue, site: Site) -> dict[str, str]:
    """The catalogue's feed and one per tag, keyed by docs-relative path (`feed_paths`)."""
    times = paper_times(catalogue, site.capture_year)
    files = {
        CATALOGUE_FEED: atom_feed(
            catalogue,
            site,
            path=CATALOGUE_FEED,
            title=f"{site.name}: newest papers",
            page="",
            papers=catalogue.papers,
            times=times,
        )
    }
    for tag in catalogue.tags:
        path = tag_export(tag.slug, ".xml")
        files[path] = atom_feed(
            catalogue,
            site,
            path=path,
            title=f"{site.name}: {tag.name}",
            page=f"tags/{tag.slug}/",
            papers=catalogue.tag_papers.get(tag.slug, ()),
            times=times,
        )
    return files
