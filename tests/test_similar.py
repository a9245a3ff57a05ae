"""Papers like this text: the index `exports/similar.py` writes for `static/similar.js`."""

from __future__ import annotations

import json
import re

import numpy as np
from scipy.sparse import csr_matrix

from generator.exports import reading, similar

TERMS = np.array(["attention", "linear attention", "memory", "retrieval"], dtype=object)
IDF = np.array([1.5, 2.25, 1.75, 2.0], dtype=np.float32)


def loaded(files: dict[str, str], name: str) -> object:
    """What `similar/<name>.js` passes to window.catalogueSimilar."""
    match = re.fullmatch(r"catalogueSimilar\((\"[^\"]*\"),(.*)\);\n", files[f"similar/{name}.js"])
    assert match is not None and json.loads(match.group(1)) == name
    return json.loads(match.group(2))


def index(files: dict[str, str]) -> dict[str, list[int]]:
    meta = loaded(files, "meta")
    assert isinstance(meta, dict)
    found: dict[str, list[int]] = {}
    for number in range(meta["shards"]):
        shard = loaded(files, str(number))
        assert isinstance(shard, dict)
        for term, value in shard.items():
            assert reading.shard_of(term, meta["shards"]) == number
            found[term] = value
    return found


def test_each_term_lists_its_papers_and_weights_with_its_idf() -> None:
    text = csr_matrix(
        np.array([[0.6, 0.8, 0.0, 0.0], [0.0, 0.0, 0.28, 0.96], [0.8, 0.0, 0.6, 0.0]]),
        dtype=np.float32,
    )
    files = similar.index_files([("a", "A"), ("b", "B"), ("c", "C")], text, TERMS, IDF)
    assert index(files) == {
        "attention": [1500, 0, 600, 2, 800],
        "linear attention": [2250, 0, 800],
        "memory": [1750, 1, 280, 2, 600],
        "retrieval": [2000, 1, 960],
    }
    assert loaded(files, "names-0") == [["a", "A"], ["b", "B"], ["c", "C"]]
    assert similar.PAGE in files and 'id="cat-similar"' in files[similar.PAGE]


def test_a_paper_keeps_only_its_strongest_terms() -> None:
    count = similar.TERMS + 5
    terms = np.array([f"term{n:02d}" for n in range(count)], dtype=object)
    weights = np.arange(1, count + 1, dtype=np.float32) / 100
    text = csr_matrix(weights.reshape(1, -1))
    found = index(similar.index_files([("only", "Only")], text, terms, np.ones(count)))
    assert sorted(found) == [f"term{n:02d}" for n in range(5, count)]


def test_papers_are_named_in_files_of_a_fixed_size_and_shards_grow_with_the_postings() -> None:
    papers = similar.NAMES * 2 + 3
    names = [(f"paper-{n:04d}", f"Paper {n}") for n in range(papers)]
    rows = np.tile(np.array([[0.6, 0.8, 0.0, 0.0]], dtype=np.float32), (papers, 1))
    files = similar.index_files(names, csr_matrix(rows), TERMS, IDF)
    assert loaded(files, "names-2") == [list(name) for name in names[-3:]]
    assert loaded(files, "meta")["shards"] == 1  # type: ignore[index]
    many = similar.POSTINGS * 3 // 4 + 1  # two postings a paper: one and a half shards
    rows = np.tile(np.array([[0.6, 0.8, 0.0, 0.0]], dtype=np.float32), (many, 1))
    names = [(f"p{n}", f"P {n}") for n in range(many)]
    files = similar.index_files(names, csr_matrix(rows), TERMS, IDF)
    assert loaded(files, "meta")["shards"] == 2  # type: ignore[index]
    assert len(index(files)["attention"]) == 1 + 2 * many


def test_the_hash_is_fnv1a_over_code_points() -> None:
    # FNV-1a 32-bit of "a" is 0xe40c292c; similar.js computes the same with Math.imul.
    assert reading.shard_of("a", 2**32 - 1) == 0xE40C292C % (2**32 - 1)
    assert {reading.shard_of(f"t{n}", 4) for n in range(50)} == {0, 1, 2, 3}


def test_reading_shards_hold_about_per_shard_papers_each_by_the_slugs_hash() -> None:
    from generator.site.address import Site
    from tests.test_render import catalogue_of

    catalogue = catalogue_of(*((f"Paper {n} About Things", f"Text {n}.") for n in range(40)))
    files = reading.reading_files(catalogue, Site())
    meta = re.fullmatch(r'catalogueShard\("meta",(.*)\);\n', files["reading/meta.js"])
    assert meta is not None
    count = json.loads(meta.group(1))["shards"]
    assert count == -(-40 // reading.PER_SHARD)
    seen = {}
    for number in range(count):
        shard = re.fullmatch(r'catalogueShard\("(\d+)",(.*)\);\n', files[f"reading/{number}.js"])
        assert shard is not None and shard.group(1) == str(number)
        for slug, value in json.loads(shard.group(2)).items():
            assert reading.shard_of(slug, count) == number
            seen[slug] = value[0]
    assert sorted(seen) == sorted(p.slug for p in catalogue.papers)  # each paper once
