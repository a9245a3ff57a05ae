"""Atom feeds: deterministic times from capture dates, newest first, valid XML."""

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.exports.feeds import FEED_ENTRIES, atom_feed, feed_files, listing_time
from generator.model import Listing
from generator.site.address import Site
from tests.test_render import catalogue_of

A = "{http://www.w3.org/2005/Atom}"
SITE = Site(url="https://example.org/cat/", name="Cat", capture_year=2024)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("Mar 19", at(2024, 3, 19, 0, 0, 2)),
        ("March 3, 2021", at(2021, 3, 3, 0, 0, 2)),
        ("sep. 9 2019", at(2019, 9, 9, 0, 0, 2)),
        ("2023-12-31", at(2023, 12, 31, 0, 0, 2)),
        ("Feb 30", at(2024, 1, 1, 0, 0, 2)),
        ("", at(2024, 1, 1, 0, 0, 2)),
    ],
)
def test_listing_time_from_capture_date(date, expected):
    assert listing_time(Listing("k", "k", "k.txt", date, ()), 2, 2024) == expected


def test_feed_is_valid_atom_with_stable_ids_and_links():
    catalogue = catalogue_of(
        ("Arithmetic \x01 Control <b>&amp;</b>", "Arithmetic; code https://github.com/a/b."),
        ("Other Arithmetic", "More arithmetic."),
    )
    text = feed_files(catalogue, SITE)["feed.xml"]
    assert text == feed_files(catalogue, SITE)["feed.xml"]
    root = ET.fromstring(text.encode())
    assert root.tag == A + "feed"
    assert root.find(A + "updated").text == "2024-03-19T00:00:01Z"
    self_link = root.find(A + "link[@rel='self']").get("href")
    assert self_link == "https://example.org/cat/feed.xml"
    entries = root.findall(A + "entry")
    assert [e.find(A + "title").text for e in entries] == [
        "Arithmetic Control <b>&amp;</b>",
        "Other Arithmetic",
    ]
    first = entries[0]
    assert first.find(A + "id").text.startswith("urn:uuid:")
    assert (
        first.find(A + "link[@rel='alternate']")
        .get("href")
        .startswith("https://example.org/cat/papers/arithmetic-control")
    )
    assert first.find(A + "link[@rel='related']").get("href") == "https://github.com/a/b"
    assert first.find(A + "category").get("term") == "arithmetic"


def test_without_site_url_links_are_relative_to_the_feed():
    catalogue = catalogue_of(("Arithmetic Paper", "Arithmetic."))
    tag_feed = ET.fromstring(feed_files(catalogue, Site())["tags/arithmetic.xml"].encode())
    assert tag_feed.find(A + "link[@rel='self']") is None
    assert tag_feed.find(A + "link").get("href") == "../tags/arithmetic/"
    entry = tag_feed.find(A + "entry")
    assert entry.find(A + "link").get("href") == "../papers/arithmetic-paper/"


def test_newest_listing_first_and_capped():
    early = Listing("a", "a", "a.txt", "Mar 11", ())
    late = Listing("b", "b", "b.txt", "Mar 19", ())
    catalogue = catalogue_of(*[(f"Paper {n} arithmetic", "Arithmetic.") for n in range(3)])
    papers = catalogue.papers
    # move the middle paper to the later listing
    from dataclasses import replace

    from generator.model import Catalogue

    moved = tuple(replace(p, listings=("b",) if n == 1 else ("a",)) for n, p in enumerate(papers))
    catalogue = Catalogue(moved, (early, late), catalogue.tags, catalogue.paper_tags, {})
    root = ET.fromstring(
        atom_feed(catalogue, SITE, path="feed.xml", title="t", page="", papers=moved).encode()
    )
    titles = [e.find(A + "title").text for e in root.findall(A + "entry")]
    assert titles == ["Paper 1 arithmetic", "Paper 0 arithmetic", "Paper 2 arithmetic"]
    assert FEED_ENTRIES >= 50


def _elementtree_feed(catalogue, site, path, title, page, papers, times):
    """The feed as xml.etree.ElementTree wrote it before feeds.py wrote it as text: the
    reference its output must equal byte for byte."""
    from uuid import NAMESPACE_URL, uuid5

    from generator.exports import feeds
    from generator.exports.papers import paper_url
    from generator.render.escape import safe_url

    def link(parent, href, rel="alternate", **attrs):
        ET.SubElement(parent, "link", {"rel": rel, "href": href, **attrs})

    chosen = feeds.newest_first(papers, times)[: feeds.FEED_ENTRIES]
    feed = ET.Element("feed", {"xmlns": feeds.ATOM})
    ET.SubElement(feed, "title").text = feeds._text(title)
    key = f"paper-catalogue:feed:{site.url or site.name}:{path}"
    ET.SubElement(feed, "id").text = "urn:uuid:" + str(uuid5(NAMESPACE_URL, key))
    updated = max((times[p.slug] for p in chosen), default=at(site.capture_year, 1, 1))
    ET.SubElement(feed, "updated").text = feeds._stamp(updated)
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = feeds._text(site.name)
    ET.SubElement(feed, "generator").text = "paper-catalogue"
    link(feed, feeds._href(site, path, page))
    if site.url:
        link(feed, site.absolute(path), rel="self", type="application/atom+xml")
    for paper in chosen:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "title").text = feeds._text(paper.title)
        ET.SubElement(entry, "id").text = feeds.entry_id(paper)
        ET.SubElement(entry, "updated").text = feeds._stamp(times[paper.slug])
        published = feeds._published(paper.published) if paper.published else ""
        if published:
            ET.SubElement(entry, "published").text = published
        for name in paper.authors:
            ET.SubElement(ET.SubElement(entry, "author"), "name").text = feeds._text(name)
        link(entry, feeds._href(site, path, paper_url(paper.slug)))
        for found in paper.links:
            if found.kind == "code" and safe_url(found.url):
                link(entry, found.url.strip(), rel="related", title="Code")
        for slug in catalogue.paper_tags.get(paper.slug, ()):
            tag = catalogue.tag(slug)
            ET.SubElement(entry, "category", {"term": tag.slug, "label": feeds._text(tag.name)})
        if paper.abstract:
            ET.SubElement(entry, "summary", {"type": "text"}).text = feeds._text(paper.abstract)
    ET.indent(feed, space=" ")
    body = ET.tostring(feed, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    title=TEXT,
    abstract=TEXT,
    authors=st.lists(TEXT, max_size=3),
    url=st.sampled_from(
        ['https://github.com/a/b?x=1&y="2"', "https://x.org/<a>\t", "javascript:alert(1)"]
    ),
    published=st.sampled_from(["", "2024", "2024-02", "2024-02-30", "1999-12-31"]),
    site_url=st.sampled_from(["", "https://example.org/a&b/"]),
)
def test_feeds_are_what_elementtree_wrote(title, abstract, authors, url, published, site_url):
    from dataclasses import replace

    from generator.exports.feeds import feed_paths, paper_times
    from generator.model import Catalogue, Link

    base = catalogue_of(("Arithmetic & <things>", "Arithmetic."), ("Other", "Arithmetic too."))
    papers = (
        replace(
            base.papers[0],
            title=title or "x",
            abstract=abstract,
            authors=tuple(authors),
            links=(Link(url, "code", "code"), Link(url, "dataset", "data")),
            published=published,
        ),
        base.papers[1],
    )
    catalogue = Catalogue(papers, base.listings, base.tags, base.paper_tags, {})
    site = Site(url=site_url, name='Cat "&" <co>', capture_year=2024)
    files = feed_files(catalogue, site)
    assert sorted(files) == sorted(feed_paths(catalogue))
    times = paper_times(catalogue, site.capture_year)
    assert files["feed.xml"] == _elementtree_feed(
        catalogue, site, "feed.xml", f"{site.name}: newest papers", "", catalogue.papers, times
    )
    for tag in catalogue.tags:
        path = f"tags/{tag.slug}.xml"
        want = _elementtree_feed(
            catalogue,
            site,
            path,
            f"{site.name}: {tag.name}",
            f"tags/{tag.slug}/",
            catalogue.tag_papers.get(tag.slug, ()),
            times,
        )
        assert files[path] == want
        ET.fromstring(files[path].encode())  # well-formed
