"""The papers' TF-IDF rows kept between builds (`cached_vectorize`), so a rebuild
tokenises only the documents it has not seen.

The terms and their weights follow from the IDF reference alone, and each row is weighed
from its own counts alone (`vectors.weigh`): under the same reference a document's row is
the same bits in any catalogue. So the entry, keyed by the code and the reference, holds
each document's row by its exact text; a new document is counted over the kept terms.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, vstack

from generator.analyse import vectors
from generator.analyse.vectors import (
    FEW_PAPERS,
    count_terms,
    document,
    inverse_frequency,
    reference_size,
    vectorize,
    weigh,
)
from generator.cache import Cache, code_of, content_key
from generator.model import Paper

STAGE = "vectors"


@dataclass(frozen=True)
class TermRows:
    """Documents' TF-IDF rows under one reference: the kept terms (column order), their
    document frequencies and weights, and each document's row of `rows`."""

    terms: np.ndarray
    df: np.ndarray
    idf: np.ndarray
    docs: dict[str, int]
    rows: csr_matrix


def cached_vectorize(
    papers: Sequence[Paper], reference: Sequence[str] | None, cache: Cache
) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """`vectors.vectorize(papers, reference)`, tokenising only documents the last build
    under the same reference did not have."""
    docs = [document(p) for p in papers]
    reference = list(reference) if reference is not None else docs[: reference_size(len(docs))]
    if len(docs) <= FEW_PAPERS:  # the columns then depend on these papers, not the reference
        return vectorize(papers, reference)
    code = code_of(vectors, sys.modules[__name__])
    key = content_key([code, str(len(reference)), *reference])
    state = cache.load(STAGE, key)
    if not _valid(state):
        text, terms, df = vectorize(papers, reference)
        if df.any():  # not the no-terms case, whose one empty column is not a term
            idf = inverse_frequency(df, len(reference))
            cache.save(STAGE, key, _kept(docs, TermRows(terms, df, idf, {}, text)))
        return text, terms, df
    assert isinstance(state, TermRows)
    missing = [doc for doc in dict.fromkeys(docs) if doc not in state.docs]
    rows, at = state.rows, dict(state.docs)
    if missing:
        rows = vstack([rows, _rows(missing, state.terms, state.idf)], format="csr")
        at.update((doc, state.rows.shape[0] + n) for n, doc in enumerate(missing))
    text = rows[np.array([at[doc] for doc in docs], dtype=np.int64)]
    text.sort_indices()
    if missing or len(state.docs) != len(set(docs)):  # new documents, or some gone
        cache.save(STAGE, key, _kept(docs, TermRows(state.terms, state.df, state.idf, {}, text)))
    return text, state.terms, state.df


def _kept(docs: list[str], state: TermRows) -> TermRows:
    """`state` whose `rows` are those of `docs` holding exactly these documents' rows."""
    index: dict[str, int] = {}
    for n, doc in enumerate(docs):
        index.setdefault(doc, n)
    rows = state.rows
    if len(index) < len(docs):  # two papers with one text: keep the row once
        rows = rows[np.array(list(index.values()), dtype=np.int64)]
        index = {doc: n for n, doc in enumerate(index)}
    return TermRows(state.terms, state.df, state.idf, index, rows)


def _rows(docs: list[str], terms: np.ndarray, idf: np.ndarray) -> csr_matrix:
    """The TF-IDF rows of `docs` over the kept `terms`: their counts (`count_terms`) moved
    to the kept terms' columns, the other terms dropped, then `weigh`ed."""
    counts, found = count_terms(docs)
    column = {term: n for n, term in enumerate(terms.tolist())}
    moved = np.array([column.get(term, -1) for term in found.tolist()], dtype=np.int64)
    cols = moved[counts.indices]
    keep = cols >= 0
    row_of = np.repeat(np.arange(len(docs)), np.diff(counts.indptr))
    per_row = np.bincount(row_of[keep], minlength=len(docs))
    indptr = np.concatenate([[0], np.cumsum(per_row)]).astype(np.int32)
    matrix = csr_matrix(
        (counts.data[keep], cols[keep].astype(np.int32), indptr),
        shape=(len(docs), len(terms)),
    )
    matrix.sort_indices()
    return weigh(matrix, idf)


def _valid(state: object) -> bool:
    return (
        isinstance(state, TermRows)
        and isinstance(state.rows, csr_matrix)
        and isinstance(state.docs, dict)
        and state.rows.shape == (len(state.docs), len(state.terms))
        and len(state.terms) == len(state.df) == len(state.idf)
    )
