"""The downloads of the built seed site parse, agree with papers.json and are linked."""

import json

import bibtexparser
import pytest

pytestmark = pytest.mark.slow


def test_catalogue_bib_has_every_paper_once(seed_build):
    project, _ = seed_build
    library = bibtexparser.parse_string((project.site_dir / "catalogue.bib").read_text())
    assert library.failed_blocks == []
    entries = [{"ID": e.key, **{f.key: f.value for f in e.fields}} for e in library.entries]
    papers = json.loads((project.site_dir / "papers.json").read_text())
    assert sorted(e["ID"] for e in entries) == sorted(p["slug"] for p in papers)
    for entry in entries:
        assert entry["url"].endswith(f"/papers/{entry['ID']}/") and entry["title"]
        assert "abstract" not in entry  # as Google Scholar's: the abstracts are in papers.json


def test_each_tag_has_bib_of_its_papers_linked_from_its_page(seed_build):
    project, result = seed_build
    papers = json.loads((project.site_dir / "papers.json").read_text())
    for tag in result.catalogue.tags:
        expected = sorted(p["slug"] for p in papers if tag.slug in p["tags"])
        bib = bibtexparser.parse_string((project.site_dir / "tags" / f"{tag.slug}.bib").read_text())
        assert bib.failed_blocks == []
        assert sorted(e.key for e in bib.entries) == expected
        assert all("abstract" not in e.fields_dict and "url" in e.fields_dict for e in bib.entries)
        page = (project.site_dir / "tags" / tag.slug / "index.html").read_text()
        assert f'href="../{tag.slug}.bib"' in page and f'href="../{tag.slug}.xml"' in page
        assert not (project.site_dir / "tags" / f"{tag.slug}.json").exists()  # papers.json


def test_browse_page_links_the_catalogue_downloads(seed_build):
    project, _ = seed_build
    page = (project.site_dir / "papers" / "index.html").read_text()
    assert 'href="../papers.json"' in page and 'href="../catalogue.bib"' in page
    assert 'href="../feed.xml"' in page


ATOM = "{http://www.w3.org/2005/Atom}"


def test_feeds_are_atom_newest_first_with_unique_ids_and_real_pages(seed_build):
    import xml.etree.ElementTree as ET

    project, result = seed_build
    site = project.site_dir
    feeds = [site / "feed.xml"] + [site / "tags" / f"{t.slug}.xml" for t in result.catalogue.tags]
    for path in feeds:
        root = ET.parse(path).getroot()
        assert root.tag == ATOM + "feed"
        entries = root.findall(ATOM + "entry")
        stamps = [e.find(ATOM + "updated").text for e in entries]
        assert stamps == sorted(stamps, reverse=True)
        if stamps:
            assert root.find(ATOM + "updated").text == stamps[0]
        ids = [e.find(ATOM + "id").text for e in entries]
        assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
        for entry in entries:
            href = entry.find(ATOM + "link[@rel='alternate']").get("href")
            slug = href.rstrip("/").rsplit("/", 1)[-1]
            assert (site / "papers" / slug / "index.html").is_file()
    catalogue_feed = ET.parse(site / "feed.xml").getroot()
    assert len(catalogue_feed.findall(ATOM + "entry")) == min(100, len(result.catalogue.papers))
