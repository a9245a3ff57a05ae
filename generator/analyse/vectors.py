"""The papers' text as vectors: sublinear TF-IDF over word uni- and bigrams of title and abstract
(domain stop words removed), and the terms two papers' vectors share most.

Stability: IDF is counted over a reference (the first papers of the input, as they first appeared;
see `reference_size`), so a new listing changes no other paper's vector, and each row is weighed
from its own counts alone (`weigh`).

Rebuilds (`cached_vectorize`): the terms and their weights follow from the IDF reference alone, and
under the same reference a document's row is the same bits in any catalogue. So the cache entry,
keyed by the code and the reference, holds each document's row by its exact text, and a rebuild
tokenises only the documents it has not seen, counted over the kept terms."""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack

from generator.analyse.stop_words import ENGLISH_STOP_WORDS
from generator.cache import Cache, code_of, content_key
from generator.model import Paper

TITLE_REPEAT = 2
MAX_DF = 0.5  # of the reference papers: a word in more says nothing about the topic
REFERENCE_FROM = 4096  # smaller catalogues count IDF over every paper
FEW_PAPERS = 20  # up to this many papers, every term any of them uses counts
SHARED_TERMS = 3
PAIRS = 1 << 16  # paper pairs handled at once

# Words nearly every abstract of the field uses: they say nothing about its topic.
_DOMAIN = """
model models large language llm llms propose proposed paper results performance method
methods approach approaches show shows demonstrate based new novel work task tasks using
use used achieve achieves state art existing significantly significant furthermore
moreover however improve improves improved improvement training trained various
different study experiments experimental extensive code available https github com data
introduce introduces framework leading challenging effective effectively efficient
efficiently
"""
DOMAIN_STOP_WORDS = frozenset(_DOMAIN.split())
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)


def document(paper: Paper) -> str:
    """The text a paper is compared by: its title (weighted by repetition) and abstract."""
    return " ".join([paper.title] * TITLE_REPEAT + [paper.abstract])


class Vectors:
    """The papers' TF-IDF vectors (`vectorize`), computed on first use and shared by the
    stages that need them (tag borrowing, related papers), so the text is analysed once
    per build. `reference`: the documents IDF is counted over; with a `cache`, the rows
    of the last build are kept (`cached_vectorize`)."""

    def __init__(
        self,
        papers: Sequence[Paper],
        reference: Sequence[str] | None = None,
        cache: Cache | None = None,
    ) -> None:
        self.papers = list(papers)
        self.reference = list(reference) if reference is not None else None
        self.cache = cache
        self._value: tuple[csr_matrix, np.ndarray, np.ndarray] | None = None

    def of(self, papers: Sequence[Paper]) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
        """The vectors of `papers`, which should be these papers in this order."""
        if list(papers) != self.papers:
            return vectorize(papers, self.reference)
        if self._value is None:
            self._value = cached_vectorize(self.papers, self.reference, self.cache)
        return self._value


def reference_size(n: int) -> int:
    """How many papers IDF is counted over: all of a small catalogue; of a large one, `n`
    rounded down to two significant bits (4096, 6144, 8192, 12288...), so the reference
    stays the same while papers are added, until the next step."""
    if n < REFERENCE_FROM:
        return n
    high = 1 << (n.bit_length() - 1)
    return high + high // 2 if n >= high + high // 2 else high


def vectorize(
    papers: Sequence[Paper], reference: Sequence[str] | None = None
) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """Sublinear TF-IDF over word uni- and bigrams, rows l2-normalised; the terms; and each term's
    document frequency in the reference.

    Document frequencies are counted over `reference` (documents; by default those of the first
    `reference_size` papers). The pipeline passes the text the first papers of the input first
    appeared with, so papers added later (a new listing) change no weight of the others. Only words
    in 2 to MAX_DF of the reference papers count."""
    docs = [document(p) for p in papers]
    reference = list(reference) if reference is not None else docs[: reference_size(len(docs))]
    index = {doc: i for i, doc in enumerate(docs)}
    extra = [doc for doc in dict.fromkeys(reference) if doc not in index]
    index.update((doc, len(docs) + n) for n, doc in enumerate(extra))
    counts, terms = count_terms(docs + extra)
    df = np.bincount(counts[[index[doc] for doc in reference]].indices, minlength=counts.shape[1])
    counts = counts[: len(docs)]
    if len(docs) <= FEW_PAPERS:  # too few for document-frequency cut-offs to mean much
        kept = np.flatnonzero(np.bincount(counts.indices, minlength=counts.shape[1]))
    else:
        kept = np.flatnonzero((df >= 2) & (df <= MAX_DF * len(reference)))
    kept = kept[np.argsort(terms[kept], kind="stable")]  # columns in term order
    if not len(kept):
        empty = csr_matrix((len(docs), 1), dtype=np.float32)
        return empty, np.array([""], dtype=object), np.zeros(1, dtype=np.int64)
    counts, df, terms = counts[:, kept].tocsr(), df[kept], terms[kept]
    counts.sort_indices()
    return weigh(counts, inverse_frequency(df, len(reference))), terms, df


def inverse_frequency(df: np.ndarray, reference: int) -> np.ndarray:
    """Each kept term's IDF weight, from its document frequency in `reference` papers."""
    return (1 + np.log((1 + reference) / (1 + df))).astype(np.float32)


def weigh(counts: csr_matrix, idf: np.ndarray) -> csr_matrix:
    """Term counts (over the kept terms, indices sorted) to sublinear TF-IDF rows of unit
    length. Each row is computed from its own counts alone, so a row is the same bits
    whichever other rows are weighed with it (`cached_vectorize` relies on it)."""
    counts.data = (np.float32(1) + np.log(counts.data)) * idf[counts.indices]
    text = unit_rows(counts).astype(np.float32)
    text.sort_indices()
    return text


def unit_rows(matrix: csr_matrix) -> csr_matrix:
    """`matrix` with each row divided by its Euclidean length (empty rows stay empty):
    scikit-learn's `normalize`, without importing scikit-learn (about a second)."""
    lengths = np.diff(matrix.indptr)
    sums = np.zeros(matrix.shape[0])
    filled = lengths > 0
    if filled.any():
        sums[filled] = np.add.reduceat(matrix.data * matrix.data, matrix.indptr[:-1][filled])
    norms = np.sqrt(sums)
    norms[norms == 0] = 1
    data = matrix.data / np.repeat(norms, lengths)
    return csr_matrix((data, matrix.indices.copy(), matrix.indptr.copy()), shape=matrix.shape)


_TOKEN = re.compile(r"(?u)\b[a-zA-Z][\w-]+\b")


def count_terms(docs: Sequence[str]) -> tuple[csr_matrix, np.ndarray]:
    """How often each word and pair of adjacent words (stop words left out first) occurs
    in each document, lower-cased; and the terms, in order of first appearance. What
    scikit-learn's CountVectorizer(ngram_range=(1, 2)) counts, at a third of its cost."""
    stop = frozenset(STOP_WORDS)
    vocabulary: dict[str, int] = {}
    # Typed arrays, not lists: at 50,000 papers a list of ten million term ids held
    # Python ints of 28 bytes each.
    indices = array("q")
    values = array("f")
    indptr = array("q", [0])
    for doc in docs:
        words = [w for w in _TOKEN.findall(doc.lower()) if w not in stop]
        found = Counter(words)
        found.update([f"{a} {b}" for a, b in pairwise(words)])
        indices.extend([vocabulary.setdefault(term, len(vocabulary)) for term in found])
        values.extend(found.values())
        indptr.append(len(indices))
    matrix = csr_matrix(
        (
            np.frombuffer(values, dtype=np.float32),
            np.frombuffer(indices, dtype=np.int64),
            np.frombuffer(indptr, dtype=np.int64),
        ),
        shape=(len(docs), max(1, len(vocabulary))),
    )
    return matrix, np.array(list(vocabulary) or [""], dtype=object)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def shared_terms(
    text: csr_matrix, terms: np.ndarray, rows: np.ndarray, chosen: np.ndarray
) -> list[list[tuple[str, ...]]]:
    """For every (paper of `rows`, related paper) pair, the terms contributing most to
    their text similarity (ties by term); a bigram hides its unigrams. Sparse products, a
    bounded number of pairs at a time."""
    n, k = chosen.shape
    words: dict[int, tuple[str, frozenset[str]]] = {}
    found: list[tuple[str, ...]] = []  # of every pair, row after row
    per_block = max(1, PAIRS // k)
    for start in range(0, n, per_block):
        left = text[np.repeat(rows[start : start + per_block], k)]
        product = left.multiply(text[chosen[start : start + per_block].ravel()]).tocsr()
        pair = np.repeat(np.arange(product.shape[0]), np.diff(product.indptr))
        ranked = product.indices[np.lexsort((product.indices, -product.data, pair))].tolist()
        bounds = product.indptr.tolist()
        for p in range(product.shape[0]):
            picked: list[str] = []
            seen: set[str] = set()
            for col in ranked[bounds[p] : bounds[p + 1]]:
                if col not in words:
                    term = str(terms[col])
                    words[col] = (term, frozenset(_singular(w) for w in term.split()))
                term, parts = words[col]
                if parts & seen:
                    continue  # "mllm" after "mllms", "attention" after "linear attention"
                picked.append(term)
                seen |= parts
                if len(picked) == SHARED_TERMS:
                    break
            found.append(tuple(picked))
    return [found[start : start + k] for start in range(0, len(found), k)]


@dataclass(frozen=True)
class TermRows:
    """Documents' TF-IDF rows under one reference: the kept terms (column order), their
    document frequencies, and each document's row of `rows`."""

    terms: np.ndarray
    df: np.ndarray
    docs: dict[str, int]
    rows: csr_matrix

    def fits(self) -> bool:
        """Whether the arrays agree (an entry from elsewhere may not)."""
        return (
            isinstance(self.rows, csr_matrix)
            and isinstance(self.docs, dict)
            and self.rows.shape == (len(self.docs), len(self.terms))
            and len(self.terms) == len(self.df)
        )


def cached_vectorize(
    papers: Sequence[Paper], reference: Sequence[str] | None, cache: Cache | None
) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """`vectorize(papers, reference)`, tokenising only documents the last build
    under the same reference did not have (with no `cache`, `vectorize`)."""
    # A few papers' columns follow these papers, not the reference.
    if cache is None or len(papers) <= FEW_PAPERS:
        return vectorize(papers, reference)
    docs = [document(p) for p in papers]
    if reference is None:
        reference = docs[: reference_size(len(docs))]
    key = content_key([code_of("vectors"), str(len(reference)), *reference])
    state = cache.load("vectors", key, TermRows)
    if state is None or not state.fits():
        text, terms, df = vectorize(papers, reference)
        if df.any():  # not the no-terms case, whose one empty column is not a term
            cache.save("vectors", key, TermRows(terms, df, *_kept(docs, text)))
        return text, terms, df
    missing = [doc for doc in dict.fromkeys(docs) if doc not in state.docs]
    rows, at = state.rows, dict(state.docs)
    if missing:
        idf = inverse_frequency(state.df, len(reference))
        rows = vstack([rows, _rows(missing, state.terms, idf)], format="csr")
        at.update((doc, state.rows.shape[0] + n) for n, doc in enumerate(missing))
    text = rows[np.array([at[doc] for doc in docs], dtype=np.int64)]
    text.sort_indices()
    if missing or len(state.docs) != len(set(docs)):  # new documents, or some gone
        cache.save("vectors", key, TermRows(state.terms, state.df, *_kept(docs, text)))
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
    counts, found = count_terms(docs)
    at = {term: n for n, term in enumerate(found.tolist())}
    empty = csr_matrix((len(docs), 1), dtype=counts.dtype)
    source = [at.get(term, len(found)) for term in terms.tolist()]
    matrix = hstack([counts, empty], format="csr")[:, source]
    matrix.sort_indices()
    return weigh(matrix, idf)
