"""A site built from the seed listings plus FICTIONAL records: strict MkDocs build, author
pages, arXiv links, and what a reader sees in headless Chromium."""

import json
import shutil
from pathlib import Path

import pytest

from generator.pipeline import build
from tests.conftest import copy_project, serve

GOLDEN_INPUT = Path(__file__).resolve().parent / "golden" / "input"


@pytest.fixture(scope="module")
def records_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("records"))
    shutil.copytree(GOLDEN_INPUT / "papers", project.root / "site_src" / "papers")
    shutil.copy(GOLDEN_INPUT / "fictional.bib", project.root / "site_src" / "fictional.bib")
    return project, build(project, strict=True)


@pytest.mark.slow
def test_records_build_strict_with_author_pages(records_site):
    project, result = records_site
    assert result.report.problems == []
    assert result.mkdocs_warnings == []
    site = project.site_dir
    assert (site / "authors" / "index.html").is_file()
    for slug in ("ada-example", "bob-sample", "carla-sample"):
        assert (site / "authors" / slug / "index.html").is_file()
    papers = {p["slug"]: p for p in json.loads((site / "papers.json").read_text())}
    assert len(papers) == 253
    added = papers["a-fictional-study-of-example-records"]
    assert added["authors"] == ["Ada Example", "Bob Sample"]
    assert added["arxiv_id"] == "2401.99999v2" and added["published"] == "2024-01-15"
    page = (site / "papers" / "a-fictional-study-of-example-records" / "index.html").read_text()
    for name, content in (
        ("citation_author", "Ada Example"),
        ("citation_publication_date", "2024/01/15"),
        ("citation_arxiv_id", "2401.99999"),  # the paper, not revision v2
        ("citation_pdf_url", "https://arxiv.org/pdf/2401.99999v2"),
    ):
        assert f'<meta name="{name}" content="{content}">' in page
    bib = (site / "catalogue.bib").read_text()
    assert "eprint = {2401.99999}," in bib and "archiveprefix = {arXiv}," in bib
    home = (site / "index.html").read_text()
    assert 'href="authors/"' in home
    assert "authors/ada-example" not in home.split('class="md-nav')[1][:20000]


@pytest.mark.browser
def test_reader_goes_from_paper_to_author_to_coauthor(browser, records_site):
    project, _ = records_site
    for base in serve(project.site_dir):
        page = browser.new_page()
        page.goto(base + "papers/a-fictional-study-of-example-records/")
        assert page.locator(".paper-facts").inner_text().startswith("Published 2024-01-15")
        hf = page.locator('a[href="https://huggingface.co/papers/2401.99999"]')
        assert hf.count() == 1
        page.locator(".paper-authors a", has_text="Ada Example").click()
        page.wait_for_load_state()
        assert page.url.endswith("/authors/ada-example/")
        assert page.locator("h1").inner_text() == "Ada Example"
        page.locator("a", has_text="Carla Sample").click()
        page.wait_for_load_state()
        assert page.url.endswith("/authors/carla-sample/")
        page.goto(base + "papers/teaching-arithmetic-to-small-transformers/")
        assert page.locator(".paper-facts").inner_text() == "Listed Mar 19 (capture date)"
        page.close()
