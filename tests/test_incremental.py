"""Rebuilds from the analysis caches give exactly what a computation from scratch gives.

Each cache (`read.cache`, `cached_vectorize`, `cached_mentions`, `related_cache`) is checked
against the uncached function on catalogues that gain, lose and change papers, with the
candidate path of related papers on (as at scale) on a few hundred synthetic papers; and
against corrupt or foreign entries. The pipeline test compares whole catalogues.
"""

from __future__ import annotations

import functools
import pickle
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analyse import related, related_cache, scores, vectors
from generator.analyse.mentions import cached_mentions
from generator.analyse.related import Relating
from generator.analyse.related_cache import cached_related
from generator.analyse.taxonomy import tag_papers
from generator.analyse.vectors import Vectors, cached_vectorize, document, reference_size, vectorize
from generator.bench import synth
from generator.cache import Cache
from generator.model import Listing, Paper
from generator.pipeline import Project, build_catalogue, read_listings
from generator.read.cache import ReadMemo
from generator.read.listing import read_listing
from generator.read.merge import merge_papers
from generator.report import Report
from tests import test_scale
from tests.conftest import copy_project
from tests.test_scale import SEEDS

SCALE = 100  # catalogues above this many papers take the paths of large ones


@pytest.fixture
def at_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Related papers as at scale: candidates from rare words, a fixed IDF reference,
    row blocks of 64 papers."""
    monkeypatch.setattr(scores, "EXACT_BELOW", SCALE)
    monkeypatch.setattr(vectors, "REFERENCE_FROM", SCALE)
    monkeypatch.setattr(scores, "CELLS", 700 * 64)


@functools.cache
def _seed_papers() -> tuple[Paper, ...]:
    return tuple(test_scale.seed_papers())


def seed_papers() -> list[Paper]:
    """The seed papers, by slug."""
    return list(_seed_papers())


@functools.cache
def real_tags() -> tuple:
    return test_scale.real_tags()


@functools.cache
def _listings(count: int, extra: int) -> tuple[Listing, ...]:
    files = synth.catalogue(SEEDS, count)
    if extra:
        files["zz-added.txt"] = synth.one_listing(SEEDS, extra, seed=count + extra)
    return tuple(read_listing(name, text.encode(), Report()) for name, text in files.items())


def synthetic(count: int, extra: int = 0) -> list[Paper]:
    """`count` synthetic papers (some listed twice) and `extra` from one more listing,
    in input order."""
    return merge_papers(list(_listings(count, extra)), Report())


def by_slug(papers: list[Paper]) -> list[Paper]:
    return sorted(papers, key=lambda p: p.slug)


def edited(paper: Paper, words: str) -> Paper:
    return replace(paper, abstract=paper.abstract + " " + words)


def same_matrix(a, b) -> bool:
    return (
        a.shape == b.shape
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.array_equal(a.data.view(np.uint32), b.data.view(np.uint32))
    )


# Vectors


def test_cached_vectors_are_the_same_bits_after_papers_come_go_and_change(tmp_path, at_scale):
    base = synthetic(400)
    reference = [document(p) for p in base[: reference_size(len(base))]]
    cache = Cache(tmp_path)
    steps = [
        by_slug(base),
        by_slug(synthetic(400, 30)),  # new papers
        by_slug(
            [
                edited(p, "sparse attention kernels") if n % 50 == 0 else p
                for n, p in enumerate(base)
            ][5:]
        ),  # edited and gone
        by_slug(base),  # back
    ]
    for papers in steps:
        text, terms, df = cached_vectorize(papers, reference, cache)
        fresh_text, fresh_terms, fresh_df = vectorize(papers, reference)
        assert same_matrix(text, fresh_text)
        assert list(terms) == list(fresh_terms) and np.array_equal(df, fresh_df)
    assert len(list(tmp_path.glob("vectors-*.pickle"))) == 1


@settings(max_examples=15)
@given(
    st.lists(
        st.tuples(st.sets(st.integers(0, 199), min_size=60), st.sets(st.integers(0, 199))),
        min_size=1,
        max_size=3,
    )
)
def test_cached_vectors_over_any_sequence_of_catalogues(steps):
    pool = by_slug(synthetic(200))
    reference = [document(p) for p in pool[::3]]
    with tempfile.TemporaryDirectory() as folder:
        cache = Cache(Path(folder))
        for chosen, edits in steps:
            papers = [
                edited(p, "grouped query") if n in edits else p
                for n, p in enumerate(pool)
                if n in chosen
            ]
            got, want = cached_vectorize(papers, reference, cache), vectorize(papers, reference)
            assert same_matrix(got[0], want[0]) and list(got[1]) == list(want[1])


def test_cached_vectors_of_a_few_papers_and_of_no_terms(tmp_path):
    few = by_slug(seed_papers()[:12])  # columns follow the papers, not the reference
    for papers in (few, few[:7]):
        got = cached_vectorize(papers, None, Cache(tmp_path))
        want = vectorize(papers)
        assert same_matrix(got[0], want[0]) and list(got[1]) == list(want[1])
    blank = [replace(p, title="x", abstract="") for p in seed_papers()[:30]]
    blank = [replace(p, title=f"{n}") for n, p in enumerate(blank)]
    got, want = cached_vectorize(blank, None, Cache(tmp_path)), vectorize(blank)
    assert same_matrix(got[0], want[0]) and list(got[1]) == list(want[1])


# Mentions


def seed_steps() -> list[list[Paper]]:
    """Seed catalogues where names come, go, are shared and are newly named."""
    papers = seed_papers()
    found = cached_mentions(papers, Cache(None))
    named = [p for p in papers if p.slug in found]
    target = next(p for p in papers if p.title.startswith("MathVista"))
    twin = replace(
        papers[0],
        slug="mathvista-twin",
        key="mathvista twin",
        title="MathVista: A Second Paper",
        abstract="Nothing named here.",
    )
    namer = replace(
        papers[1],
        slug="namer",
        key="namer",
        title="Namer: Naming",
        abstract=f"We build on {target.title.split(':')[0]} and CodeGen2-Pro.",
    )
    newcomer = replace(
        papers[2],
        slug="codegen2-pro",
        key="codegen2 pro",
        title="CodeGen2-Pro: Coined",
        abstract="A coined name.",
    )
    without = [p for p in papers if p.slug != target.slug]
    rewritten = [edited(p, "See MathVista.") if p in named[:3] else p for p in papers]
    return [
        papers,
        by_slug([*papers, twin]),  # MathVista is shared now: nobody links it
        by_slug([*papers, namer]),
        by_slug([*papers, namer, newcomer]),  # an old abstract's name gains a paper
        without,  # a named paper is gone
        rewritten,
        papers,
    ]


def test_cached_mentions_equal_a_full_scan_as_names_come_and_go(tmp_path):
    cache = Cache(tmp_path)
    steps = seed_steps()
    for papers in steps:
        got = cached_mentions(papers, cache)
        want = cached_mentions(papers, Cache(None))
        assert got == want and list(got) == list(want)
    # the steps differ
    assert len({repr(cached_mentions(papers, Cache(None))) for papers in steps}) > 3


@given(st.lists(st.sets(st.integers(0, 59), min_size=2), min_size=1, max_size=4))
def test_cached_mentions_over_any_sequence_of_catalogues(choices):
    pool = seed_papers()
    named = [p for p in pool if ":" in p.title][:60]
    with tempfile.TemporaryDirectory() as folder:
        cache = Cache(Path(folder))
        for chosen in choices:
            papers = [p for n, p in enumerate(named) if n in chosen]
            assert cached_mentions(papers, cache) == cached_mentions(papers, Cache(None))


# Related papers


def analysed(papers: list[Paper], reference: list[str]) -> tuple[dict, dict, Vectors]:
    """Tags and (made-up) mentions of `papers`, and their vectors."""
    vectors = Vectors(papers, reference)
    tags = tag_papers(papers, real_tags(), Report(), vectors)
    slugs = {p.slug for p in papers}
    named = {a: [b] for a, b in made_up_mentions() if a in slugs and b in slugs}
    return tags, named, vectors


@functools.cache
def made_up_mentions() -> tuple[tuple[str, str], ...]:
    """One synthetic paper in nine names another (synthetic abstracts name none)."""
    slugs = [p.slug for p in by_slug(synthetic(600, 40))]
    return tuple((slugs[n], slugs[n * 7 % len(slugs)]) for n in range(0, len(slugs), 9))


def related_steps() -> tuple[list[str], list[tuple[list[Paper], str]]]:
    """A reference and catalogues changed in every way a rebuild meets."""
    base = synthetic(600)
    reference = [document(p) for p in base[: reference_size(len(base))]]
    more = synthetic(600, 40)
    steps = [
        (by_slug(base), "full"),
        (by_slug(more), "incremental"),  # a new listing
        (
            by_slug(
                [
                    edited(p, "speculative decoding draft") if n % 97 == 0 else p
                    for n, p in enumerate(more)
                ]
            ),
            "incremental",
        ),  # abstracts edited
        (by_slug(more[:300] + more[310:]), "incremental"),  # papers gone
        (by_slug(more[:300] + more[310:]), "hit"),
    ]
    return reference, steps


def test_cached_related_equal_a_full_computation_and_rank_only_what_changed(
    tmp_path, at_scale, monkeypatch
):
    reference, steps = related_steps()
    cache = Cache(tmp_path)
    full_ranks = []
    original = Relating.rank
    monkeypatch.setattr(Relating, "rank", lambda self: full_ranks.append(1) or original(self))
    for papers, path in steps:
        tags, named, vectors = analysed(papers, reference)
        full_ranks.clear()
        cache.hits.clear()
        got = cached_related(papers, tags, cache, named, vectors)
        assert (len(full_ranks), "related" in cache.hits) == {
            "full": (1, False),
            "incremental": (0, False),
            "hit": (0, True),
        }[path]
        want = related.related_papers(
            papers, tags, mentions=named, vectors=Vectors(papers, reference)
        )
        assert got == want and list(got) == list(want)
    assert len(list(tmp_path.glob("related-*.pickle"))) == 1


def test_cached_related_after_tags_and_mentions_change(tmp_path, at_scale):
    base = by_slug(synthetic(500))
    reference = [document(p) for p in base[: reference_size(len(base))]]
    tags, named, vectors = analysed(base, reference)
    cache = Cache(tmp_path)
    cached_related(base, tags, cache, named, vectors)
    slugs = [p.slug for p in base]
    retagged = {**tags, **{s: ("quantization",) for s in slugs[::41]}}
    renamed = {**{k: v for k, v in named.items() if k not in slugs[::45]}, slugs[3]: slugs[4:9]}
    for new_tags, new_named in ((retagged, named), (retagged, renamed), (tags, named)):
        got = cached_related(base, new_tags, cache, new_named, Vectors(base, reference))
        assert got == related.related_papers(
            base, new_tags, mentions=new_named, vectors=Vectors(base, reference)
        )


def test_cached_related_of_a_small_catalogue_ranks_exactly(tmp_path):
    papers = by_slug(seed_papers())  # under EXACT_BELOW: every word, no reserve of rare ones
    cache = Cache(tmp_path)
    for step in (papers[:-20], papers, papers[5:]):
        tags = tag_papers(step, real_tags(), Report())
        assert cached_related(step, tags, cache) == related.related_papers(step, tags)


def test_reserve_and_candidates_leave_the_choice_unchanged(at_scale):
    # `kept` candidates beyond `width` are a reserve: the chosen papers are those of a
    # ranking that keeps none.
    papers = by_slug(synthetic(300))
    tags = tag_papers(papers, real_tags(), Report())
    relating = Relating(papers, tags)
    ranking = relating.rank()
    relating.kept = relating.width
    plain = relating.rank()
    assert np.array_equal(ranking.chosen, plain.chosen)
    assert np.array_equal(ranking.scores.view(np.int32), plain.scores.view(np.int32))
    assert np.array_equal(ranking.candidates[:, : relating.width], plain.candidates)


@settings(max_examples=12)
@given(
    st.sets(st.integers(0, 259), min_size=200),  # the first catalogue
    st.lists(
        st.tuples(
            st.sets(st.integers(0, 259), max_size=12),  # papers that come or go
            st.sets(st.integers(0, 259), max_size=4),  # abstracts edited
            st.sets(st.integers(0, 259), max_size=4),  # tags changed
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_cached_related_over_any_sequence_of_catalogues(first, steps):
    pool = by_slug(synthetic(260))
    reference = [document(p) for p in pool[:128]]
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(scores, "EXACT_BELOW", SCALE)
        patch.setattr(vectors, "REFERENCE_FROM", SCALE)
        cache = Cache(Path(folder))
        chosen, edits, retags = set(first), set(), set()
        for toggled, edit, retag in [(set(), set(), set()), *steps]:
            chosen ^= toggled
            edits ^= edit
            retags ^= retag
            papers = [
                edited(p, "speculative decoding") if n in edits else p
                for n, p in enumerate(pool)
                if n in chosen
            ]
            tags = {
                p.slug: ("quantization",) if n in retags else ("pruning", "moe")
                for n, p in enumerate(pool)
            }
            got = cached_related(papers, tags, cache, vectors=Vectors(papers, reference))
            want = related.related_papers(papers, tags, vectors=Vectors(papers, reference))
            assert got == want


# Broken entries


@pytest.mark.parametrize("damage", ["garbage", "foreign", "inconsistent"])
def test_a_broken_related_entry_is_recomputed(tmp_path, at_scale, damage):
    papers = by_slug(synthetic(300))
    tags = tag_papers(papers, real_tags(), Report())
    cached_related(papers, tags, Cache(tmp_path))
    [path] = tmp_path.glob("related-*.pickle")
    if damage == "garbage":
        path.write_bytes(b"\x80\x05not a pickle")
    elif damage == "foreign":
        path.write_bytes(pickle.dumps({"a": 1}))
    else:
        state = pickle.loads(path.read_bytes())
        state.ranking.candidates[3, 0] = len(papers) + 5  # a column no paper has
        path.write_bytes(pickle.dumps(state))
    more = by_slug(synthetic(300, 10))
    tags = tag_papers(more, real_tags(), Report())
    assert cached_related(more, tags, Cache(tmp_path)) == related.related_papers(more, tags)


def test_too_many_rows_to_rank_again_fall_back_to_the_full_ranking(tmp_path, at_scale, monkeypatch):
    papers = by_slug(synthetic(300))
    tags = tag_papers(papers, real_tags(), Report())
    cached_related(papers, tags, Cache(tmp_path))
    monkeypatch.setattr(related_cache, "AGAIN_SHARE", 0.0)
    calls = []
    original = Relating.rank
    monkeypatch.setattr(Relating, "rank", lambda self: calls.append(1) or original(self))
    more = by_slug(synthetic(300, 10))
    tags = tag_papers(more, real_tags(), Report())
    got = cached_related(more, tags, Cache(tmp_path))
    assert calls == [1]
    assert got == related.related_papers(more, tags)


# Reading


def test_read_memo_gives_what_reading_gives_and_replays_warnings(tmp_path):
    folder = tmp_path / "listings"
    shutil.copytree(SEEDS, folder)
    (folder / "odd.txt").write_text("Mar 3\n\nA title without abstract\n")
    for step in range(3):
        if step == 2:
            (folder / "odd.txt").write_text(
                "Only Title Here\n\n\\textbf{Bold} 50\\% of it.\n"  # no date: a warning
            )
        plain_report, memo_report = Report(), Report()
        plain = merge_papers(read_listings(folder, plain_report), plain_report)
        memo = ReadMemo(Cache(tmp_path / "cache"))
        cached = merge_papers(read_listings(folder, memo_report, memo), memo_report, memo)
        memo.save()
        assert cached == plain
        assert memo_report.problems == plain_report.problems and plain_report.problems
    (next((tmp_path / "cache").glob("read-*.pickle"))).write_bytes(b"garbage")
    memo = ReadMemo(Cache(tmp_path / "cache"))
    assert merge_papers(read_listings(folder, Report(), memo), Report(), memo) == plain


# The pipeline


def catalogue_facts(project: Project) -> tuple:
    report = Report()
    catalogue = build_catalogue(project, report)
    return (
        catalogue.papers,
        catalogue.listings,
        list(catalogue.paper_tags.items()),
        list(catalogue.related.items()),
        list(catalogue.mentions.items()),
        [str(p) for p in report.problems],
    )


def test_pipeline_rebuilds_equal_builds_from_scratch(tmp_path, at_scale):
    (tmp_path / "warm").mkdir()
    project = copy_project(tmp_path / "warm")
    for name, text in synth.catalogue(SEEDS, 450).items():
        (project.listings_dir / f"s{name}").write_text(text)
    first = catalogue_facts(project)
    seeds = sorted(project.listings_dir.glob("0*.txt"))
    title = read_listing("x", seeds[0].read_bytes(), Report()).records[3].title
    changes = [
        lambda: (project.listings_dir / "zz-added.txt").write_text(
            synth.one_listing(SEEDS, 40, seed=11)
        ),
        lambda: (project.listings_dir / "zz-again.txt").write_text(
            f"Mar 9\n\n{title}\n\nA later capture of it, rewritten: speculative decoding.\n"
        ),
        lambda: (project.listings_dir / "zz-added.txt").unlink(),
    ]
    assert first == catalogue_facts(project)  # every stage from its cache
    for change in changes:
        change()
        warm = catalogue_facts(project)
        cold = tmp_path / f"cold-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(project.root, cold, ignore=shutil.ignore_patterns(".cache"))
        assert warm == catalogue_facts(Project(cold))
        assert warm == catalogue_facts(project)  # and again, from what it just kept
    broken = list(project.cache_dir.glob("*.pickle"))
    assert broken
    for path in broken:
        path.write_bytes(b"broken")
    assert catalogue_facts(project) == warm
