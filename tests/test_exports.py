"""The downloads of the built seed site parse, agree with papers.json and are linked."""

import json

import bibtexparser
import pytest

pytestmark = pytest.mark.slow


def test_catalogue_bib_has_every_paper_once(seed_build):
    project, _ = seed_build
    entries = bibtexparser.loads((project.site_dir / "catalogue.bib").read_text()).entries
    papers = json.loads((project.site_dir / "papers.json").read_text())
    assert sorted(e["ID"] for e in entries) == sorted(p["slug"] for p in papers)
    for entry in entries:
        assert entry["url"].endswith(f"/papers/{entry['ID']}/")


def test_each_tag_has_json_and_bib_of_its_papers_linked_from_its_page(seed_build):
    project, result = seed_build
    papers = json.loads((project.site_dir / "papers.json").read_text())
    for tag in result.catalogue.tags:
        expected = sorted(p["slug"] for p in papers if tag.slug in p["tags"])
        tagged = json.loads((project.site_dir / "tags" / f"{tag.slug}.json").read_text())
        assert [p["slug"] for p in tagged] == expected
        bib = bibtexparser.loads((project.site_dir / "tags" / f"{tag.slug}.bib").read_text())
        assert sorted(e["ID"] for e in bib.entries) == expected
        page = (project.site_dir / "tags" / tag.slug / "index.html").read_text()
        assert f'href="../{tag.slug}.json"' in page and f'href="../{tag.slug}.bib"' in page


def test_browse_page_links_the_catalogue_downloads(seed_build):
    project, _ = seed_build
    page = (project.site_dir / "papers" / "index.html").read_text()
    assert 'href="../papers.json"' in page and 'href="../catalogue.bib"' in page
