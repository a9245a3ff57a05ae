"""The papers' TF-IDF rows kept between builds (`cached_vectorize`), so a rebuild
tokenises only the documents it has not seen.

The terms and their weights follow from the IDF reference alone, and each row is weighed
from its own counts alone (`vectors.weigh`): under the same reference a document's row is
the same bits in any catalogue. So the entry, keyed by the code and the reference, holds
each document's row by its exact text; a new document is counted over the kept terms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack

from generator.analyse import vectors
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

    def fits(self) -> bool:
        """Whether the arrays agree (an entry from elsewhere may not)."""
        return (
            isinstance(self.rows, csr_matrix)
            and isinstance(self.docs, dict)
            and self.rows.shape == (len(self.docs), len(self.terms))
            and len(self.terms) == len(self.df) == len(self.idf)
        )


def cached_vectorize(
    papers: Sequence[Paper], reference: Sequence[str] | None, cache: Cache
) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """`vectors.vectorize(papers, reference)`, tokenising only documents the last build
    under the same reference did not have."""
    if len(papers) <= vectors.FEW_PAPERS:  # columns follow these papers, not the reference
        return vectors.vectorize(papers, reference)
    docs = [vectors.document(p) for p in papers]
    if reference is None:
        reference = docs[: vectors.reference_size(len(docs))]
    key = content_key([code_of("vectors", "vector_cache"), str(len(reference)), *reference])
    state = cache.load(STAGE, key, TermRows)
    if state is None or not state.fits():
        text, terms, df = vectors.vectorize(papers, reference)
        if df.any():  # not the no-terms case, whose one empty column is not a term
            idf = vectors.inverse_frequency(df, len(reference))
            cache.save(STAGE, key, TermRows(terms, df, idf, *_kept(docs, text)))
        return text, terms, df
    missing = [doc for doc in dict.fromkeys(docs) if doc not in state.docs]
    rows, at = state.rows, dict(state.docs)
    if missing:
        rows = vstack([rows, _rows(missing, state.terms, state.idf)], format="csr")
        at.update((doc, state.rows.shape[0] + n) for n, doc in enumerate(missing))
    text = rows[np.array([at[doc] for doc in docs], dtype=np.int64)]
    text.sort_indices()
    if missing or len(state.docs) != len(set(docs)):  # new documents, or some gone
        cache.save(STAGE, key, TermRows(state.terms, state.df, state.idf, *_kept(docs, text)))
    return text, state.terms, state.df


def _kept(docs: list[str], rows: csr_matrix) -> tuple[dict[str, int], csr_matrix]:
    """From `rows`, those of `docs`: each document's row once, and its index (papers with
    one text have one row, the same bits)."""
    index = {doc: n for n, doc in enumerate(docs)}
    if len(index) < len(docs):
        rows = rows[np.array(list(index.values()), dtype=np.int64)]
        index = {doc: n for n, doc in enumerate(index)}
    return index, rows


def _rows(docs: list[str], terms: np.ndarray, idf: np.ndarray) -> csr_matrix:
    """The TF-IDF rows of `docs` over the kept `terms`: their counts (`count_terms`) in
    the kept terms' columns (an empty column where none of `docs` has one), then `weigh`ed."""
    counts, found = vectors.count_terms(docs)
    at = {term: n for n, term in enumerate(found.tolist())}
    empty = csr_matrix((len(docs), 1), dtype=counts.dtype)
    source = [at.get(term, len(found)) for term in terms.tolist()]
    matrix = hstack([counts, empty], format="csr")[:, source]
    matrix.sort_indices()
    return vectors.weigh(matrix, idf)
