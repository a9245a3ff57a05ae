"""Atom feeds: deterministic times from capture dates, newest first, valid XML."""

import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from generator.feeds import FEED_ENTRIES, atom_feed, feed_files, listing_time
from generator.model import Listing
from generator.site import Site
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
