"""Related papers: text similarity, shared tags and mentions, with reasons.

A pair of papers scores
    text cosine (sublinear TF-IDF over title and abstract, domain stop words removed)
  + TAG_WEIGHT x cosine of their tag sets
  + MENTION_WEIGHT if one abstract names the other paper (see `mentions`)
Each link carries the reasons shown to readers: the key terms and tags both papers share.
Ties break on slug, so output is deterministic.

Scale: sparse products and numpy over row blocks, never an N x N matrix. In a large
catalogue each paper's CANDIDATES are found with the words at most RARE_SHARE of the
papers use (the common words make nearly all of the all-pairs work and rarely decide
who is closest), then scored exactly.

Stability: a new listing must not reshuffle the pages of the papers before it. IDF is
counted over a reference (the first papers of the input, as they first appeared; see
`reference_size`), so the vectors of the other papers stay bit-for-bit the same, and a
pair's score depends only on the two papers and their tags. (A score from shared
nearest neighbours added 0.01 to precision@5 but moved about a tenth of all pages when
50 papers were added: it was left out.)
"""

from __future__ import annotations

import os
import re
from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.preprocessing import normalize

from generator.model import Paper, Related

RELATED_COUNT = 8
TITLE_REPEAT = 2
TAG_WEIGHT = 0.15
MENTION_WEIGHT = 0.2
CANDIDATES = 40
MAX_DF = 0.5  # of the reference papers: a word in more says nothing about the topic
RARE_SHARE = 1 / 128  # of the reference papers, for finding candidates
EXACT_BELOW = 4096  # smaller catalogues are compared over every word
REFERENCE_FROM = 4096  # smaller catalogues count IDF over every paper
SHARED_TERMS = 3
CELLS = 1 << 24  # dense scores held at once: a row block is CELLS // N rows
PAIRS = 1 << 16  # paper pairs handled at once

# Words in nearly every abstract of this field: they say nothing about the topic.
DOMAIN_STOP_WORDS = frozenset(
    (
        "model",
        "models",
        "large",
        "language",
        "llm",
        "llms",
        "propose",
        "proposed",
        "paper",
        "results",
        "performance",
        "method",
        "methods",
        "approach",
        "approaches",
        "show",
        "shows",
        "demonstrate",
        "based",
        "new",
        "novel",
        "work",
        "task",
        "tasks",
        "using",
        "use",
        "used",
        "achieve",
        "achieves",
        "state",
        "art",
        "existing",
        "significantly",
        "significant",
        "furthermore",
        "moreover",
        "however",
        "improve",
        "improves",
        "improved",
        "improvement",
        "training",
        "trained",
        "various",
        "different",
        "study",
        "experiments",
        "experimental",
        "extensive",
        "code",
        "available",
        "https",
        "github",
        "com",
        "data",
        "introduce",
        "introduces",
        "framework",
        "leading",
        "challenging",
        "effective",
        "effectively",
        "efficient",
        "efficiently",
    )
)
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)


def document(paper: Paper) -> str:
    """The text a paper is compared by: its title (weighted by repetition) and abstract."""
    return " ".join([paper.title] * TITLE_REPEAT + [paper.abstract])


class Vectors:
    """The papers' TF-IDF vectors (`vectorize`), computed on first use and shared by the
    stages that need them (tag borrowing, related papers), so the text is analysed once
    per build. `reference`: the documents IDF is counted over."""

    def __init__(self, papers: Sequence[Paper], reference: Sequence[str] | None = None) -> None:
        self.papers = list(papers)
        self.reference = list(reference) if reference is not None else None
        self._value: tuple[csr_matrix, np.ndarray, np.ndarray] | None = None

    def of(self, papers: Sequence[Paper]) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
        """The vectors of `papers`, which should be these papers in this order."""
        if list(papers) != self.papers:
            return vectorize(papers, self.reference)
        if self._value is None:
            self._value = vectorize(self.papers, self.reference)
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
    """Sublinear TF-IDF over word uni- and bigrams, rows l2-normalised; the terms; and
    each term's document frequency in the reference.

    Document frequencies are counted over `reference` (documents; by default those of
    the first `reference_size` papers). The pipeline passes the text the first papers of
    the input first appeared with, so papers added later (a new listing) change no
    weight of the others. Only words in 2 to MAX_DF of the reference papers count.
    """
    docs = [document(p) for p in papers]
    reference = list(reference) if reference is not None else docs[: reference_size(len(docs))]
    index = {doc: i for i, doc in enumerate(docs)}
    extra = [doc for doc in dict.fromkeys(reference) if doc not in index]
    counts, terms = count_terms(docs + extra)
    at = {doc: len(docs) + n for n, doc in enumerate(extra)}
    rows = [index[doc] if doc in index else at[doc] for doc in reference]
    df = np.bincount(counts[rows].indices, minlength=counts.shape[1])
    counts = counts[: len(docs)]
    if len(docs) <= 20:  # too few papers for document-frequency cut-offs to mean much
        kept = np.flatnonzero(np.bincount(counts.indices, minlength=counts.shape[1]))
    else:
        kept = np.flatnonzero((df >= 2) & (df <= MAX_DF * len(reference)))
    kept = kept[np.argsort(terms[kept], kind="stable")]  # columns in term order
    if not len(kept):
        empty = csr_matrix((len(docs), 1), dtype=np.float32)
        return empty, np.array([""], dtype=object), np.zeros(1, dtype=np.int64)
    counts, df, terms = counts[:, kept].tocsr(), df[kept], terms[kept]
    counts.sort_indices()
    idf = (1 + np.log((1 + len(reference)) / (1 + df))).astype(np.float32)
    counts.data = (np.float32(1) + np.log(counts.data)) * idf[counts.indices]
    text = normalize(counts).astype(np.float32)
    text.sort_indices()
    return text, terms, df


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


def related_papers(
    papers: Sequence[Paper],
    paper_tags: Mapping[str, tuple[str, ...]],
    count: int = RELATED_COUNT,
    mentions: Mapping[str, Sequence[str]] | None = None,
    vectors: Vectors | None = None,
) -> dict[str, tuple[Related, ...]]:
    """The `count` most related papers for each paper, best first, with shared terms and
    tags. `mentions` maps a slug to the slugs its abstract names."""
    if len(papers) < 2:
        return {p.slug: () for p in papers}
    text, terms, df = (vectors or Vectors(papers)).of(papers)
    tags = _tag_matrix(papers, paper_tags)
    score = _Scorer(text, df, tags, _mention_matrix(papers, mentions or {}))
    k = min(count, len(papers) - 1)
    chosen, scores = _best(score, _slug_rank(papers), k)
    shared = _shared_terms(text, terms, chosen)
    rows = np.repeat(np.arange(len(papers)), k)
    named = score.named_pairs(rows, chosen.ravel()).reshape(chosen.shape).tolist()
    slugs = [p.slug for p in papers]
    own_tags = [paper_tags.get(slug, ()) for slug in slugs]
    result: dict[str, tuple[Related, ...]] = {}
    for i, slug in enumerate(slugs):
        own = own_tags[i]
        result[slug] = tuple(
            Related(
                slug=slugs[j],
                score=round(value, 4),
                shared_terms=shared[i][n],
                shared_tags=tuple(t for t in own if t in own_tags[j]) if own else (),
                named=bool(named[i][n]),
            )
            for n, (j, value) in enumerate(zip(chosen[i].tolist(), scores[i].tolist(), strict=True))
        )
    return result


def text_neighbours(
    papers: Sequence[Paper], rows: Sequence[int], k: int, vectors: Vectors | None = None
) -> list[list[int]]:
    """Up to k papers sharing words with each of `rows` (indices), most similar first."""
    if not rows or len(papers) < 2:
        return [[] for _ in rows]
    text, _, _ = (vectors or Vectors(papers)).of(papers)
    order = _slug_rank(papers)
    k = min(k, len(papers) - 1)
    text_t = text.T.tocsr()
    step = _block_rows(len(papers))
    found = []
    for start in range(0, len(rows), step):
        part = list(rows[start : start + step])
        block = (text[part] @ text_t).toarray()
        block[np.arange(len(part)), part] = -np.inf
        for r, near in enumerate(_top_rows(block, k, order).tolist()):
            found.append([j for j in near if block[r, j] > 0])  # no shared word, no neighbour
    return found


class _Scorer:
    """The score of paper pairs, exactly (`exact`) or, to find candidates in a large
    catalogue, with the text over the rare words only (`block`) and the rest later."""

    def __init__(self, text: csr_matrix, df: np.ndarray, tags: csr_matrix, named: csr_matrix):
        n = text.shape[0]
        self.text, self.tags, self.named = text, tags, named
        # By reference frequency, which adding papers does not change.
        common = df > (np.inf if n < EXACT_BELOW else reference_size(n) * RARE_SHARE)
        self.rare = text[:, np.flatnonzero(~common)].tocsr() if common.any() else text
        self.common = text[:, np.flatnonzero(common)].tocsr() if common.any() else None
        self.rare_t = self.rare.T.tocsr()
        # Tag cosine = shared tags / sqrt(product of counts). The shared counts are small
        # integers, exact in any summation order, so a pair scores the same bits in
        # every block and path (ties then break on slug, not on rounding).
        self.dense_tags = tags.toarray()  # few columns: a dense product is cheapest
        count = self.dense_tags.sum(axis=1)
        self.inverse = np.where(count > 0, 1 / np.sqrt(np.maximum(count, 1)), 0).astype(np.float32)

    def block(self, start: int, stop: int) -> np.ndarray:
        """Rows start:stop against every paper, dense; text over the rare words only."""
        block = (self.rare[start:stop] @ self.rare_t).toarray()
        shared = self.dense_tags[start:stop] @ self.dense_tags.T
        shared *= self.inverse[None, :]  # in place: no N-wide temporaries
        shared *= (TAG_WEIGHT * self.inverse[start:stop])[:, None]
        block += shared
        del shared
        named = self.named[start:stop].tocoo()
        block[named.row, named.col] += MENTION_WEIGHT * named.data
        return block

    def rest(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """What `block` leaves out of the pairs' score: text over the common words."""
        if self.common is None:
            return np.zeros(len(rows), dtype=np.float32)
        return _dots(self.common, rows, cols)

    def named_pairs(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return np.asarray(self.named[rows, cols], dtype=np.float32).ravel()


def _dots(matrix: csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """matrix[rows[p]] . matrix[cols[p]] for every pair p, a bounded number at a time."""
    out = np.zeros(len(rows), dtype=np.float32)
    for start in range(0, len(rows), PAIRS):
        stop = start + PAIRS
        product = matrix[rows[start:stop]].multiply(matrix[cols[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
    return out


def _block_rows(n: int) -> int:
    return max(16, min(1024, CELLS // max(n, 1)))


def _best(score: _Scorer, order: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each paper's k best papers and their scores, best first (ties by slug): the
    CANDIDATES best by the candidate score, then ranked by the exact one. Row blocks are
    scored on every core: the sparse products, partitions and sorts run outside the GIL,
    and each block fills only its own rows, so the result is the same in any order."""
    n = score.text.shape[0]
    width = min(n - 1, max(CANDIDATES, k)) if score.common is not None else k
    chosen = np.empty((n, k), dtype=np.int64)
    scores = np.empty((n, k), dtype=np.float32)

    def fill(start: int) -> None:
        stop = min(start + step, n)
        block = score.block(start, stop)
        block[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        picked = _top_rows(block, width, order)
        value = np.take_along_axis(block, picked, axis=1).ravel()
        del block
        rows = np.repeat(np.arange(start, stop), width)
        cols = picked.ravel()
        value += score.rest(rows, cols)
        ranked = np.lexsort((order[cols], -value, rows)).reshape(-1, width)[:, :k].ravel()
        chosen[start:stop] = cols[ranked].reshape(-1, k)
        scores[start:stop] = value[ranked].reshape(-1, k)

    step = _block_rows(n)
    starts = range(0, n, step)
    threads = min(len(starts), os.cpu_count() or 1)
    if threads < 2:
        for start in starts:
            fill(start)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(fill, starts))  # list(): a block's error is raised here
    return chosen, scores


def _slug_rank(papers: Sequence[Paper]) -> np.ndarray:
    rank = np.empty(len(papers), dtype=np.int64)
    rank[sorted(range(len(papers)), key=lambda i: papers[i].slug)] = np.arange(len(papers))
    return rank


def _top_rows(block: np.ndarray, k: int, order: np.ndarray) -> np.ndarray:
    """The k best columns of each row, best first. Everything scoring at least the k-th
    best is a candidate, so a tie at the cut-off is settled by slug, not by where the
    partition happened to put it."""
    picked = np.argpartition(-block, k - 1, axis=1)[:, :k]
    values = np.take_along_axis(block, picked, axis=1)
    kth = values.min(axis=1)
    # Rows where more papers tie at the cut-off than the partition kept: settle by slug.
    for r in np.flatnonzero((block == kth[:, None]).sum(axis=1) > (values == kth[:, None]).sum(1)):
        row = block[r]
        above = np.flatnonzero(row > kth[r])
        ties = np.flatnonzero(row == kth[r])
        ties = ties[np.argsort(order[ties], kind="stable")[: k - len(above)]]
        picked[r] = np.concatenate([above, ties])
        values[r] = row[picked[r]]
    rows = np.repeat(np.arange(len(block)), k)
    ranked = np.lexsort((order[picked.ravel()], -values.ravel(), rows))
    return picked.ravel()[ranked].reshape(-1, k)


def _tag_matrix(papers: Sequence[Paper], paper_tags: Mapping[str, tuple[str, ...]]) -> csr_matrix:
    """1 where a paper has a tag."""
    index = {t: n for n, t in enumerate(sorted({t for ts in paper_tags.values() for t in ts}))}
    rows, cols = [], []
    for i, paper in enumerate(papers):
        for tag in dict.fromkeys(paper_tags.get(paper.slug, ())):
            rows.append(i)
            cols.append(index[tag])
    data = np.ones(len(rows), dtype=np.float32)
    return csr_matrix((data, (rows, cols)), shape=(len(papers), max(1, len(index))))


def _mention_matrix(papers: Sequence[Paper], mentions: Mapping[str, Sequence[str]]) -> csr_matrix:
    """1 where one paper's abstract names the other, in both directions."""
    index = {p.slug: i for i, p in enumerate(papers)}
    pairs = {
        (index[a], index[b])
        for a, named in mentions.items()
        for b in named
        if a in index and b in index and a != b
    }
    pairs |= {(j, i) for i, j in pairs}
    rows = [i for i, _ in sorted(pairs)]
    cols = [j for _, j in sorted(pairs)]
    data = np.ones(len(rows), dtype=np.float32)
    return csr_matrix((data, (rows, cols)), shape=(len(papers), len(papers)))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _shared_terms(
    text: csr_matrix, terms: np.ndarray, chosen: np.ndarray
) -> list[list[tuple[str, ...]]]:
    """For every (paper, related paper) pair, the terms contributing most to their text
    similarity (ties by term); a bigram hides its unigrams. Sparse products, a bounded
    number of pairs at a time."""
    n, k = chosen.shape
    words: dict[int, tuple[str, frozenset[str]]] = {}
    result: list[list[tuple[str, ...]]] = []
    per_block = max(1, PAIRS // k)
    for start in range(0, n, per_block):
        stop = min(start + per_block, n)
        left = text[np.repeat(np.arange(start, stop), k)]
        product = left.multiply(text[chosen[start:stop].ravel()]).tocsr()
        pair = np.repeat(np.arange(product.shape[0]), np.diff(product.indptr))
        ranked = product.indices[np.lexsort((product.indices, -product.data, pair))].tolist()
        bounds = product.indptr.tolist()
        row: list[tuple[str, ...]] = []
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
            row.append(tuple(picked))
            if len(row) == k:
                result.append(row)
                row = []
    return result
