"""Pagefind in bundles: which paper goes where, and re-indexing only what changed."""

import json
import re
from pathlib import Path

import pytest

from generator import pagefind_search
from generator.bench import synth
from generator.catalogue import merge_papers
from generator.pagefind_search import Indexing, bundle_count, bundle_of, bundles
from generator.pipeline import annotate, read_listings
from generator.report import Report
from tests.conftest import ROOT
from tests.test_render import TAGS

SEEDS = ROOT / "site_src" / "listings"


def synthetic(folder: Path, listings: dict[str, str], tags=TAGS):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in listings.items():
        (folder / name).write_text(text)
    report = Report()
    read = read_listings(folder, report)
    return annotate(read, merge_papers(read, report), tags, report)


def test_bundle_count_follows_the_catalogue_size():
    assert bundle_count(0, 6000) == bundle_count(5999, 6000) == bundle_count(6000, 6000) == 1
    assert bundle_count(6001, 6000) == bundle_count(10050, 6000) == 2
    assert bundle_count(50000, 6000) == 9
    assert pagefind_search.bundle_papers({}) == pagefind_search.DEFAULT_BUNDLE_PAPERS
    assert pagefind_search.bundle_papers({"catalogue_search": {"bundle_papers": 0}}) == 1
    assert pagefind_search.bundle_papers({"catalogue_search": {"bundle_papers": 80}}) == 80


def test_every_paper_is_in_the_bundle_of_its_first_listing(tmp_path):
    catalogue = synthetic(tmp_path / "listings", synth.catalogue(SEEDS, 600))
    parts = bundles(catalogue, per_bundle=200)
    count = bundle_count(len(catalogue.papers), 200)
    assert count == 3 and len(parts) > 1
    where = {path: part.name for part in parts for path in part.records}
    assert len(where) == len(catalogue.papers)  # each paper once
    for paper in catalogue.papers:
        path = f"papers/{paper.slug}/index.html"
        assert where[path] == bundle_of(paper, count)
        assert f'data-pagefind-filter="bundle">{where[path]}</span>' in parts[0].records.get(
            path, next(p.records[path] for p in parts if path in p.records)
        )
    # the papers first seen in one listing share a bundle
    for listing in catalogue.listings:
        first = {
            where[f"papers/{p.slug}/index.html"]
            for p in catalogue.papers
            if p.listings[0] == listing.slug
        }
        assert len(first) <= 1


def index(catalogue, cache: Path, site: Path, per_bundle: int) -> Indexing:
    indexing = Indexing(bundles(catalogue, per_bundle), cache).start()
    indexing.finish(site)
    return indexing


@pytest.mark.slow
def test_a_rebuild_indexes_only_the_bundles_whose_records_changed(tmp_path):
    # Without tags: a paper no tag phrase matches borrows its neighbours' tag, so new
    # papers could change the tags (and records) of older ones in any bundle.
    listings = synth.catalogue(SEEDS, 300)
    cache = tmp_path / "cache"
    first = synthetic(tmp_path / "one", listings, tags=())
    done = index(first, cache, tmp_path / "site1", per_bundle=120)
    names = [part.name for part in bundles(first, 120)]
    assert len(names) > 1 and done.indexed == names
    site = tmp_path / "site1"
    assert json.loads((site / "bundles.json").read_text()) == names
    assert (site / "pagefind.js").is_file() and (site / "pagefind-entry.json").is_file()
    for name in names[1:]:  # the others hold their index only; scripts come from the first
        assert (site / name / "pagefind-entry.json").is_file()
        assert list((site / name).glob("*.pf_meta")) and not (site / name / "pagefind.js").exists()
    assert index(first, cache, tmp_path / "site2", per_bundle=120).indexed == []
    assert not list((cache / pagefind_search.RECORDS).iterdir())  # records only to index
    added = {**listings, "zz-added.txt": synth.one_listing(SEEDS, 50, seed=3)}
    second = synthetic(tmp_path / "two", added, tags=())
    count = bundle_count(len(second.papers), 120)
    assert count == bundle_count(len(first.papers), 120)
    # The new listing's papers, and older papers it lists again (their listing filter).
    before = {path: text for part in bundles(first, 120) for path, text in part.records.items()}
    after = {path: part.name for part in bundles(second, 120) for path in part.records}
    changed = [p for p in second.papers if p.listings[-1] == "zz-added"]
    assert any(len(p.listings) > 1 for p in changed) and any(len(p.listings) == 1 for p in changed)
    assert {after[f"papers/{p.slug}/index.html"] for p in changed} == {
        name
        for part in bundles(second, 120)
        for path, text in part.records.items()
        if before.get(path) != text
        for name in [part.name]
    }
    done = index(second, cache, tmp_path / "site3", per_bundle=120)
    assert done.indexed == sorted({bundle_of(p, count) for p in changed}, key=names.index)
    assert len(done.indexed) < len(names)
    # only the current bundles' indexes stay in the cache
    kept = sorted(p.name for p in (cache / pagefind_search.INDEXES).iterdir())
    assert [re.sub(r"-[0-9a-f]{16}$", "", name) for name in kept] == names


def test_a_failed_pagefind_run_raises(tmp_path, monkeypatch):
    catalogue = synthetic(tmp_path / "listings", synth.catalogue(SEEDS, 60))
    monkeypatch.setattr(pagefind_search, "_command", lambda records, out: ["false"])
    indexing = Indexing(bundles(catalogue), tmp_path / "cache").start()
    try:
        indexing.finish(tmp_path / "site")
    except RuntimeError as error:
        assert "pagefind failed (1)" in str(error)
    else:
        raise AssertionError("finish() did not raise")
    assert not (tmp_path / "site").exists()
