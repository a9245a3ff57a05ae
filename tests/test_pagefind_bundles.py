"""Pagefind in bundles: which paper goes where, re-indexing only what changed (an overlay
bundle and masked cells), and a rebuilt site searching them in headless Chromium."""

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.bench import synth
from generator.pipeline import Project, build, read_listings, relate, tag_catalogue
from generator.read.merge import merge_papers
from generator.report import Report
from generator.search import pagefind as pagefind_search
from generator.search.pagefind import (
    INDEXES,
    OVERLAY,
    Indexing,
    bundle_count,
    bundle_of,
    cell_of,
    plan,
)
from tests.conftest import ROOT, copy_project, serve
from tests.test_render import TAGS

SEEDS = ROOT / "site_src" / "listings"


def synthetic(folder: Path, listings: dict[str, str], tags=TAGS):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in listings.items():
        (folder / name).write_text(text)
    report = Report()
    read = read_listings(folder, report)
    return relate(tag_catalogue(read, merge_papers(read, report), tags, report))


def test_bundle_count_follows_the_catalogue_size():
    assert bundle_count(0, 6000) == bundle_count(5999, 6000) == bundle_count(6000, 6000) == 1
    assert bundle_count(6001, 6000) == bundle_count(10050, 6000) == 2
    assert bundle_count(50000, 6000) == 9
    assert bundle_count(10, 0) == 10  # at least one paper a bundle


def test_the_plugin_indexes_in_bundles_of_its_bundle_papers(tmp_path, monkeypatch):
    from mkdocs.structure.files import get_files

    from tests.test_scale import plugin_config

    asked = []
    monkeypatch.setattr(
        pagefind_search,
        "start_index",
        lambda catalogue, cache_dir, per_bundle, filters: asked.append(
            (len(catalogue.papers), per_bundle)
        ),
    )
    for name, options in [
        ("default", "      pagefind_above: 5\n"),
        ("set", "      pagefind_above: 5\n      bundle_papers: 80\n"),
        ("material", "      pagefind_above: 12\n"),  # 12 papers: Material's search, no index
    ]:
        config = plugin_config(tmp_path / name, options)
        config.plugins.on_files(get_files(config), config=config)
    assert asked == [(12, pagefind_search.DEFAULT_BUNDLE_PAPERS), (12, 80)]


def test_every_paper_is_in_the_bundle_of_its_first_listing(tmp_path):
    catalogue = synthetic(tmp_path / "listings", synth.catalogue(SEEDS, 600))
    parts = plan(catalogue, tmp_path / "no-cache", per_bundle=200).bundles
    count = bundle_count(len(catalogue.papers), 200)
    assert count == 3 and len(parts) > 1
    where = {path: part for part in parts for path in part.records}
    assert len(where) == len(catalogue.papers)  # each paper once
    for paper in catalogue.papers:
        part = where[f"papers/{paper.slug}/index.html"]
        assert part.name == bundle_of(paper, count)
        text = part.records[f"papers/{paper.slug}/index.html"]
        assert f'data-pagefind-filter="bundle">{part.name}</span>' in text
        assert f'data-pagefind-filter="cell">{cell_of(paper.slug, part.name)}</span>' in text
    # the papers first seen in one listing share a bundle
    for listing in catalogue.listings:
        slugs = [p.slug for p in catalogue.papers if p.listings[0] == listing.slug]
        assert len({where[f"papers/{slug}/index.html"].name for slug in slugs}) <= 1


def index(catalogue, cache: Path, site: Path, per_bundle: int) -> Indexing:
    indexing = Indexing(plan(catalogue, cache / INDEXES, per_bundle), cache)
    indexing.finish(site)
    return indexing


def layout(site: Path) -> dict:
    """bundles.json without its bundles' languages, checked against their entry files."""
    got = json.loads((site / "bundles.json").read_text())
    folders = [site] + [site / name for name in got["bundles"][1:]]
    entries = [json.loads((f / "pagefind-entry.json").read_text())["languages"] for f in folders]
    assert got.pop("languages") == entries
    # Pagefind's own worker and scripts, as its run wrote them
    assert "pagefind_version" in (site / "pagefind-worker.js").read_text()[:100]
    return got


@pytest.mark.slow
def test_a_rebuild_indexes_the_changed_records_alone_in_an_overlay(tmp_path):
    # Without tags: a paper no tag phrase matches borrows its neighbours' tag, so new
    # papers could change the tags (and records) of older ones in any bundle.
    listings = synth.catalogue(SEEDS, 600)
    cache = tmp_path / "cache"
    first = synthetic(tmp_path / "one", listings, tags=())
    done = index(first, cache, tmp_path / "site1", per_bundle=350)
    names = [part.name for part in plan(first, tmp_path / "none", 350).bundles]
    assert len(names) > 1 and done.indexed == names
    assert not list((cache / pagefind_search.RECORDS).rglob("*.html"))
    site = tmp_path / "site1"
    assert layout(site) == {"bundles": names, "masked": []}
    assert (site / "pagefind.js").is_file() and (site / "pagefind-entry.json").is_file()
    for name in names[1:]:  # the others hold their index only; scripts come from the first
        assert (site / name / "pagefind-entry.json").is_file()
        assert list((site / name).glob("*.pf_meta")) and not (site / name / "pagefind.js").exists()
    assert index(first, cache, tmp_path / "site2", per_bundle=350).indexed == []
    assert not (cache / pagefind_search.RECORDS).exists()  # written only to index, then gone
    added = {**listings, "zz-added.txt": synth.one_listing(SEEDS, 50, seed=3)}
    second = synthetic(tmp_path / "two", added, tags=())
    count = bundle_count(len(second.papers), 350)
    assert count == bundle_count(len(first.papers), 350)
    # The new listing's papers, and older papers it lists again (their listing filter).
    fresh = [p for p in second.papers if p.listings == ("zz-added",)]
    again = [p for p in second.papers if p.listings[-1] == "zz-added" and len(p.listings) > 1]
    assert fresh and again
    done = index(second, cache, tmp_path / "site3", per_bundle=350)
    assert done.indexed == [OVERLAY]  # the bundles keep their index
    got = layout(tmp_path / "site3")
    assert got["bundles"] == [*names, OVERLAY]
    assert set(got["masked"]) == {cell_of(p.slug, bundle_of(p, count)) for p in again}
    overlay = next(b for b in plan(second, cache / INDEXES, 350).bundles if b.name == OVERLAY)
    for paper in fresh + again:  # their current record, in no masked cell
        text = overlay.records[f"papers/{paper.slug}/index.html"]
        assert f'data-pagefind-filter="cell">{OVERLAY}</span>' in text
        assert 'data-pagefind-filter="listing">zz-added</span>' in text
    # with most of a bundle changed, the bundle is indexed whole again, nothing masked
    retitled = synthetic(
        tmp_path / "three", {k: v.replace("a", "o") for k, v in added.items()}, tags=()
    )
    done = index(retitled, cache, tmp_path / "site4", per_bundle=350)
    assert layout(tmp_path / "site4") == {"bundles": names, "masked": []}
    assert done.indexed == names
    kept = sorted(p.name for p in (cache / INDEXES).iterdir())  # the current indexes only
    assert [re.sub(r"-[0-9a-f]{16}(\.json)?$", "", name) for name in kept] == sorted(names + names)


def test_a_failed_pagefind_run_raises(tmp_path, monkeypatch):
    catalogue = synthetic(tmp_path / "listings", synth.catalogue(SEEDS, 60))
    monkeypatch.setattr(pagefind_search, "_command", lambda records, out: ["false"])
    indexing = Indexing(plan(catalogue, tmp_path / "none"), tmp_path / "cache")
    try:
        indexing.finish(tmp_path / "site")
    except RuntimeError as error:
        assert "pagefind failed (1)" in str(error)
    else:
        raise AssertionError("finish() did not raise")
    assert not (tmp_path / "site").exists()


def test_an_index_that_cannot_be_written_raises_naming_why(tmp_path, monkeypatch):
    catalogue = synthetic(tmp_path / "listings", synth.catalogue(SEEDS, 60))

    def full_disk(new, target):
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(pagefind_search.writer, "swap_in", full_disk)
    indexing = Indexing(plan(catalogue, tmp_path / "none"), tmp_path / "cache")
    with pytest.raises(RuntimeError, match=r"index could not be written.*No space left"):
        indexing.finish(tmp_path / "site")
    assert not (tmp_path / "site").exists()


def seed_record(title: str) -> str:
    """A seed paper's title and abstract as they appear in its listing."""
    for path in sorted(SEEDS.glob("*.txt")):
        lines = path.read_text().splitlines()
        if title in lines:
            at = lines.index(title)
            return f"{lines[at]}\n\n{lines[at + 2]}\n"
    raise AssertionError(title)


COLBERT = (
    "ColBERT: Efficient and Effective Passage Search via Contextualized Late Interaction over BERT"
)


@pytest.mark.slow
@pytest.mark.browser
def test_a_rebuilt_site_searches_the_overlay_and_hides_what_it_replaces(browser, tmp_path):
    (tmp_path / "site").mkdir()
    project = copy_project(tmp_path / "site")
    text = project.config_file.read_text()
    assert "      pagefind_above: 0" in text
    text = text.replace(
        "pagefind_above: 0",
        "pagefind_above: 100\n      pagefind_filters_above: 100\n      bundle_papers: 100",
    )
    project.config_file.write_text(text)
    assert build(project, strict=True).warnings == 0
    # a new listing with a new paper and one the seeds already list
    added = "Mar 20\n\nZebra Finch Song Learning with Sparse Attention\n\n"
    added += "We study sparse attention for modelling zebra finch song. It learns quickly.\n\n"
    (project.listings_dir / "zz_added.txt").write_text(added + seed_record(COLBERT))
    assert build(project, strict=True).warnings == 0
    site = project.site_dir
    got = json.loads((site / "pagefind/bundles.json").read_text())
    assert got["bundles"][-1] == OVERLAY and len(got["masked"]) == 1
    assert (site / "pagefind" / OVERLAY / "pagefind-entry.json").is_file()
    papers = {p["slug"]: p for p in json.loads((site / "papers.json").read_text())}
    colbert = next(p for p in papers.values() if p["title"] == COLBERT)
    listing = colbert["listings"][-1]
    assert len(colbert["listings"]) == 2
    for base in serve(site):
        page = browser.new_page()
        page.goto(base + "papers/?q=ColBERT+late+interaction")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
        page.wait_for_timeout(500)
        titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
        assert titles.count(COLBERT) == 1  # the overlay's copy; the masked one is hidden
        page.goto(base + f"papers/?listing={listing}")
        page.wait_for_function("document.querySelectorAll('.facets__list > li').length === 2")
        shown = page.locator(".facets__list > li > a:first-child").all_inner_texts()
        assert shown == sorted([COLBERT, "Zebra Finch Song Learning with Sparse Attention"])
        page.goto(base + "papers/?code=1")
        expected = sum(any(link["kind"] == "code" for link in p["links"]) for p in papers.values())
        page.wait_for_function(
            "document.querySelector('.facets__status').textContent.startsWith('Showing')"
        )
        assert page.locator(".facets__status").inner_text() == (
            f"Showing {expected} of {len(papers)} papers."
        )
        page.close()


SEARCH = """async (words) => {
    const pagefind = await import(new URL("static/pagefind/pagefind.js", document.baseURI).href);
    await pagefind.options({baseUrl: "/"});
    const found = await pagefind.search(words);
    return (await Promise.all(found.results.map((result) => result.data()))).map((d) => d.url);
}"""


def answers(browser, site: Path, queries: list[str]) -> dict[str, list[str]]:
    """Each query's result URLs, as the site's search (static/pagefind/pagefind.js) gives."""
    for base in serve(site):
        page = browser.new_page()
        page.goto(base)
        found = {query: page.evaluate(SEARCH, query) for query in queries}
        page.close()
        return found
    raise AssertionError("not served")


@pytest.mark.slow
@pytest.mark.browser
def test_a_rebuild_answers_every_search_as_a_build_from_nothing(browser, tmp_path):
    """A listing added, one removed and an abstract edited: the rebuild (kept bundles, masked
    cells, an overlay) finds the same papers for every query as a build from nothing."""
    (tmp_path / "rebuilt").mkdir()
    project = copy_project(tmp_path / "rebuilt")
    text = project.config_file.read_text()
    project.config_file.write_text(
        text.replace(
            "pagefind_above: 0",
            "pagefind_above: 0\n      pagefind_filters_above: 0\n      bundle_papers: 100",
        )
    )
    build(project, strict=True)
    before = json.loads((project.site_dir / "papers.json").read_text())
    gone = "000_ddb7239576cc7405.txt"
    removed = {p["title"]: p["url"] for p in before if {s["file"] for s in p["sources"]} == {gone}}
    assert len(removed) > 3
    (project.listings_dir / gone).unlink()
    added = "Mar 20\n\nZebra Finch Song Learning with Sparse Attention\n\n"
    added += "We study sparse attention for modelling zebra finch song. It learns quickly.\n\n"
    (project.listings_dir / "zz_added.txt").write_text(added + seed_record(COLBERT))
    edited = project.listings_dir / "002_776473667a2cb07a.txt"
    edited.write_text(
        edited.read_text().replace("cognitive reasoning evolution", "zzedited reasoning")
    )
    build(project, strict=True)
    assert json.loads((project.site_dir / "pagefind/bundles.json").read_text())["masked"]
    scratch = tmp_path / "scratch"
    shutil.copytree(project.root, scratch, ignore=shutil.ignore_patterns(".cache", "site"))
    build(Project(scratch), strict=True)
    queries = [
        *list(removed)[:3],
        "zebra finch",
        "zzedited",
        "cognitive reasoning evolution",
        "ColBERT late interaction",
        "attention",
        "linear attention",
        "retrieval augmented",
        "instruction data",
        "quantization",
    ]
    rebuilt, fresh = (
        answers(browser, project.site_dir, queries),
        answers(browser, scratch / "site", queries),
    )
    for query in queries:
        assert sorted(rebuilt[query]) == sorted(fresh[query]), query
    assert "/papers/zebra-finch-song-learning-with-sparse-attention/" in rebuilt["zebra finch"]
    mmevol = "/papers/mmevol-empowering-multimodal-large-language-models-with-evol-instruct/"
    assert mmevol in rebuilt["zzedited"]  # the edited abstract is searched
    after = {p["url"] for p in json.loads((project.site_dir / "papers.json").read_text())}
    removed = {title: url for title, url in removed.items() if url not in after}  # not ColBERT
    found = {url for urls in rebuilt.values() for url in urls}
    assert not found & {"/" + url for url in removed.values()}  # removed papers are not found
