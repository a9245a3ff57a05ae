"""Papers like this text: the page where a reader pastes an abstract or a few sentences, and the
index its script (`static/similar.js`) ranks the catalogue with, in the browser.

The index is the papers' TF-IDF vectors (`analyse/vectors.py`) turned round: for each term, its IDF
and the papers it is among the strongest TERMS terms of, with their weights (thousandths), in
`similar/<n>.js` shards picked by a hash of the term that the script computes too. A pasted text
loads only the shards of its own terms, so what a reader fetches grows with the text, not the
catalogue. Papers are numbered in slug order; `similar/names-<n>.js` gives NAMES of them at a time
their slugs and titles. Each file is a script calling `window.catalogueSimilar(name, data)`, so a
<script> tag loads it from file:// too."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix

from generator.analyse.vectors import STOP_WORDS, Vectors, inverse_frequency, reference_size
from generator.exports.reading import shard_of
from generator.model import Catalogue

FOLDER = "similar"
PAGE = "similar.md"
TERMS = 24  # a paper's strongest terms, by weight, that the index keeps
POSTINGS = 512  # postings a shard holds, on average: a few KB
NAMES = 64  # papers a names file names
QUERY_TERMS = 64  # the script weighs at most this many terms of a pasted text
PAGE_TEXT = """---
search:
  exclude: true
---

# Papers like this text

Paste an abstract, a paragraph or a few sentences: the papers whose words are most like
them are listed, with the words they share. It runs in this browser; the text is not sent
anywhere.

<div id="cat-similar"><noscript>Finding similar papers needs JavaScript.</noscript></div>
"""


def _script(name: str, data: object) -> str:
    text = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=True)
    return f"catalogueSimilar({json.dumps(name)},{text});\n"


def similar_files(catalogue: Catalogue) -> dict[str, str]:
    """The page and the index: `similar/meta.js` (shard count, stop words, papers per names file),
    `similar/<n>.js` ({term: [IDF in thousandths, paper, weight, paper, weight...]}) and
    `similar/names-<n>.js` ([slug, title] of the papers numbered from n * NAMES)."""
    papers = catalogue.papers
    vectors = catalogue.vectors if catalogue.vectors is not None else Vectors(papers)
    text, terms, df = vectors.of(papers)
    reference = vectors.reference
    idf = inverse_frequency(df, len(reference) if reference else reference_size(len(papers)))
    return index_files([(paper.slug, paper.title) for paper in papers], text, terms, idf)


def index_files(
    names: Sequence[tuple[str, str]], text: csr_matrix, terms: np.ndarray, idf: np.ndarray
) -> dict[str, str]:
    """`similar_files` for the papers `names` ([slug, title]) whose unit-length TF-IDF rows
    over `terms` are `text`, each term weighing `idf`."""
    postings: dict[int, list[int]] = defaultdict(list)
    for row in range(text.shape[0]):
        start, stop = text.indptr[row], text.indptr[row + 1]
        columns, weights = text.indices[start:stop], text.data[start:stop]
        strongest = np.lexsort((columns, -weights))[:TERMS]
        for at in sorted(strongest, key=lambda at: columns[at]):
            postings[int(columns[at])] += [row, round(float(weights[at]) * 1000)]
    total = sum(len(found) for found in postings.values()) // 2
    count = max(1, -(-total // POSTINGS))
    shards: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for column, found in postings.items():
        term = str(terms[column])
        shards[shard_of(term, count)][term] = [round(float(idf[column]) * 1000), *found]
    meta = {"shards": count, "names": NAMES, "stop": list(STOP_WORDS), "terms": QUERY_TERMS}
    files = {PAGE: PAGE_TEXT, f"{FOLDER}/meta.js": _script("meta", meta)}
    for number in range(count):
        files[f"{FOLDER}/{number}.js"] = _script(str(number), shards.get(number, {}))
    for start in range(0, len(names), NAMES):
        name = f"names-{start // NAMES}"
        part = [list(paper) for paper in names[start : start + NAMES]]
        files[f"{FOLDER}/{name}.js"] = _script(name, part)
    return files
