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

Rebuilds: since a pair's score depends only on the pair, a row's ranking changes only
where a new or changed paper is scored against it. Each row keeps RESERVE candidates
beyond CANDIDATES (`Ranking`), so `Relating.rerank` can drop changed ones and take in
the new ones and still rank as `rank()` would; `related_cache` decides what is dirty.
"""

from __future__ import annotations

import os
import re
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import pairwise

import numpy as np
from scipy.sparse import csr_matrix

from generator.analyse.stop_words import ENGLISH_STOP_WORDS
from generator.model import Paper, Related

RELATED_COUNT = 8
TITLE_REPEAT = 2
TAG_WEIGHT = 0.15
MENTION_WEIGHT = 0.2
CANDIDATES = 40
RESERVE = 8  # candidates kept beyond CANDIDATES, so a rebuild can drop changed ones
MAX_DF = 0.5  # of the reference papers: a word in more says nothing about the topic
RARE_SHARE = 1 / 128  # of the reference papers, for finding candidates
EXACT_BELOW = 4096  # smaller catalogues are compared over every word
REFERENCE_FROM = 4096  # smaller catalogues count IDF over every paper
FEW_PAPERS = 20  # up to this many papers, every term any of them uses counts
SHARED_TERMS = 3
CELLS = 1 << 24  # dense scores held at once: a row block is CELLS // N rows
PAIRS = 1 << 16  # paper pairs handled at once
FEW_ROWS = 8  # fewer than 1/FEW_ROWS of the papers are scored against all without a transpose

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

    def __init__(
        self,
        papers: Sequence[Paper],
        reference: Sequence[str] | None = None,
        compute: Callable[..., tuple[csr_matrix, np.ndarray, np.ndarray]] | None = None,
    ) -> None:
        self.papers = list(papers)
        self.reference = list(reference) if reference is not None else None
        # What computes these papers' vectors: `vectorize`, or one that keeps the rows of
        # the last build (`vector_cache`), which must give the same matrix.
        self.compute = compute if compute is not None else vectorize
        self._value: tuple[csr_matrix, np.ndarray, np.ndarray] | None = None

    def of(self, papers: Sequence[Paper]) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
        """The vectors of `papers`, which should be these papers in this order."""
        if list(papers) != self.papers:
            return vectorize(papers, self.reference)
        if self._value is None:
            self._value = self.compute(self.papers, self.reference)
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
    whichever other rows are weighed with it (`vector_cache` relies on it)."""
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
    relating = Relating(papers, paper_tags, count, mentions, vectors)
    return relating.links(relating.rank(), np.arange(len(papers)))


@dataclass(frozen=True)
class Ranking:
    """For each paper (row): its best papers by the candidate score, best first, with
    their candidate and exact scores (`candidates`: columns, indices into the papers;
    `width` of them are ranked by the exact score, the rest are kept in reserve for a
    rebuild), how many of them are surely its best of the whole catalogue (`known`;
    beyond, a column may be -1), and the k papers chosen from the first `width` by the
    exact score (ties by slug), with their scores."""

    candidates: np.ndarray
    candidate_scores: np.ndarray
    exact_scores: np.ndarray
    known: np.ndarray
    chosen: np.ndarray
    scores: np.ndarray


class Relating:
    """What scoring these papers' pairs needs, set up once: their vectors, tag and mention
    matrices, slug ranks, how many papers each gets (k), how many candidates are ranked
    (width) and kept (kept: RESERVE more, so a rebuild can drop a changed one)."""

    def __init__(
        self,
        papers: Sequence[Paper],
        paper_tags: Mapping[str, tuple[str, ...]],
        count: int = RELATED_COUNT,
        mentions: Mapping[str, Sequence[str]] | None = None,
        vectors: Vectors | None = None,
    ) -> None:
        self.papers, self.paper_tags = papers, paper_tags
        self.text, self.terms, df = (vectors or Vectors(papers)).of(papers)
        tags = _tag_matrix(papers, paper_tags)
        self.score = _Scorer(self.text, df, tags, _mention_matrix(papers, mentions or {}))
        self.order = _slug_rank(papers)
        n = len(papers)
        self.k = min(count, n - 1)
        self.width = (
            min(n - 1, max(CANDIDATES, self.k)) if self.score.common is not None else self.k
        )
        self.kept = min(n - 1, self.width + RESERVE)

    def rank(self) -> Ranking:
        """Every paper's ranking, computed in full (`_best`)."""
        return _best(self.score, self.order, self.k, self.width, self.kept)

    def rerank(
        self, before: Ranking, dirty: np.ndarray, again: np.ndarray, cut_rank: np.ndarray
    ) -> Ranking:
        """Every paper's ranking from `before`, in these papers' rows and columns (-1 for a
        paper gone), where only the pairs with a `dirty` paper (new, or its text, tags or
        mentions changed) score differently. The rows `again` (every dirty row, and every
        row left with fewer than `width` known candidates once the dirty and gone ones
        are dropped) are ranked in full. Every other row drops those, and takes in the
        dirty papers that score above its last known candidate (whose slug rank among
        these papers is `cut_rank`, fractional for a paper gone): below it, a paper that
        was no candidate might come first. The same as `rank()`: candidates are a row's
        best papers in a total order (score, then slug); the best of a union are the
        best of each part's best."""
        ranking = Ranking(*(np.array(a) for a in _fields(before)))
        if len(again):
            fresh = _rank_rows(self.score, self.order, self.k, self.width, self.kept, again)
            for whole, part in zip(_fields(ranking), fresh, strict=True):
                whole[again] = part
        rows = np.setdiff1d(np.arange(len(self.papers)), again)
        if len(rows):
            self._merge(ranking, rows, np.asarray(dirty, dtype=np.int64), cut_rank[rows])
        return ranking

    def _merge(
        self, ranking: Ranking, rows: np.ndarray, dirty: np.ndarray, cut_rank: np.ndarray
    ) -> None:
        """Drop the dirty and gone candidates of `rows` and take in the dirty papers above
        each row's last known candidate, in place."""
        order, kept = self.order, self.kept
        cand, known = ranking.candidates[rows], ranking.known[rows]
        is_dirty = np.zeros(len(self.papers), dtype=bool)
        is_dirty[dirty] = True
        valid = (np.arange(kept)[None, :] < known[:, None]) & (cand >= 0)
        valid &= ~is_dirty[np.maximum(cand, 0)]
        stale = valid.sum(axis=1) < known
        new = self.score.pairs(rows, dirty) if len(dirty) else np.zeros((len(rows), 0), np.float32)
        cut = ranking.candidate_scores[rows, known - 1][:, None]
        above = (new > cut) | ((new == cut) & (order[dirty][None, :] < cut_rank[:, None]))
        hit = np.flatnonzero(stale | above.any(axis=1))
        if not len(hit):
            return
        at = rows[hit]
        cols = np.concatenate([cand[hit], np.broadcast_to(dirty, (len(at), len(dirty)))], 1)
        values = np.concatenate([ranking.candidate_scores[at], new[hit]], axis=1)
        exact = np.concatenate([ranking.exact_scores[at], np.zeros(new[hit].shape, np.float32)], 1)
        valid = np.concatenate([valid[hit], above[hit]], axis=1)
        fresh = np.concatenate([np.zeros_like(valid[:, :kept]), above[hit]], axis=1)
        # Valid entries first, then by score and slug; the first `kept` are kept.
        m = cols.shape[1]
        line = np.repeat(np.arange(len(at)), m)
        rank = order[np.maximum(cols, 0)].ravel()
        flat = np.lexsort((rank, -values.ravel(), ~valid.ravel(), line))
        best = flat.reshape(len(at), m)[:, :kept] - (np.arange(len(at)) * m)[:, None]
        cols, values, exact, valid, fresh = (
            np.take_along_axis(a, best, axis=1) for a in (cols, values, exact, valid, fresh)
        )
        cols[~valid] = -1
        # The exact score of a dirty paper that became a candidate, as `_rank_rows` adds it.
        r, c = np.nonzero(fresh)
        exact[r, c] = values[r, c] + self.score.rest(at[r], cols[r, c])
        ranked = _best_places(exact[:, : self.width], cols[:, : self.width], order, self.k)
        ranking.candidates[at], ranking.candidate_scores[at] = cols, values
        ranking.exact_scores[at], ranking.known[at] = exact, valid.sum(axis=1)
        ranking.chosen[at] = np.take_along_axis(cols, ranked, axis=1)
        ranking.scores[at] = np.take_along_axis(exact, ranked, axis=1)

    def links(self, ranking: Ranking, rows: np.ndarray) -> dict[str, tuple[Related, ...]]:
        """The related papers of `rows`, with their reasons, by slug."""
        if not len(rows):
            return {}
        papers, paper_tags, k = self.papers, self.paper_tags, self.k
        chosen, scores = ranking.chosen[rows], ranking.scores[rows]
        shared = _shared_terms(self.text, self.terms, rows, chosen)
        named = self.score.named_pairs(np.repeat(rows, k), chosen.ravel())
        named = named.reshape(chosen.shape).tolist()
        slugs = [p.slug for p in papers]
        own_tags = [paper_tags.get(slug, ()) for slug in slugs]
        result: dict[str, tuple[Related, ...]] = {}
        for n, i in enumerate(rows.tolist()):
            own = own_tags[i]
            result[slugs[i]] = tuple(
                Related(
                    slug=slugs[j],
                    score=round(value, 4),
                    shared_terms=shared[n][m],
                    shared_tags=tuple(t for t in own if t in own_tags[j]) if own else (),
                    named=bool(named[n][m]),
                )
                for m, (j, value) in enumerate(
                    zip(chosen[n].tolist(), scores[n].tolist(), strict=True)
                )
            )
        return result


def _best_places(values: np.ndarray, cols: np.ndarray, order: np.ndarray, take: int) -> np.ndarray:
    """In each row, the places of its `take` best values, best first (ties by the slug
    rank of the paper in `cols` there)."""
    m = values.shape[1]
    line = np.repeat(np.arange(len(values)), m)
    flat = np.lexsort((order[cols.ravel()], -values.ravel(), line))
    return flat.reshape(len(values), m)[:, :take] - (np.arange(len(values)) * m)[:, None]


def _fields(ranking: Ranking) -> tuple[np.ndarray, ...]:
    return (
        ranking.candidates,
        ranking.candidate_scores,
        ranking.exact_scores,
        ranking.known,
        ranking.chosen,
        ranking.scores,
    )


def text_neighbours(
    papers: Sequence[Paper], rows: Sequence[int], k: int, vectors: Vectors | None = None
) -> list[list[int]]:
    """Up to k papers sharing words with each of `rows` (indices), most similar first."""
    if not rows or len(papers) < 2:
        return [[] for _ in rows]
    text, _, _ = (vectors or Vectors(papers)).of(papers)
    order = _slug_rank(papers)
    k = min(k, len(papers) - 1)
    transposed = cache(lambda: text.T.tocsr())
    step = _block_rows(len(papers))
    found = []
    for start in range(0, len(rows), step):
        part = list(rows[start : start + step])
        block = _products(text, np.array(part, dtype=np.int64), None, transposed)
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
        self.threshold = np.inf if n < EXACT_BELOW else reference_size(n) * RARE_SHARE
        common = df > self.threshold
        self.rare = text[:, np.flatnonzero(~common)].tocsr() if common.any() else text
        self.common = text[:, np.flatnonzero(common)].tocsr() if common.any() else None
        # Tag cosine = shared tags / sqrt(product of counts). The shared counts are small
        # integers, exact in any summation order, so a pair scores the same bits in
        # every block and path (ties then break on slug, not on rounding).
        self.dense_tags = tags.toarray()  # few columns: a dense product is cheapest
        count = self.dense_tags.sum(axis=1)
        self.inverse = np.where(count > 0, 1 / np.sqrt(np.maximum(count, 1)), 0).astype(np.float32)

    @cached_property
    def rare_t(self) -> csr_matrix:
        """`rare` transposed, for row blocks against every paper."""
        return self.rare.T.tocsr()

    def block(self, start: int, stop: int) -> np.ndarray:
        """Rows start:stop against every paper, dense; text over the rare words only."""
        return self.pairs(slice(start, stop))

    def pairs(self, rows: slice | np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """What `block` gives for `rows` against `cols` (every paper when None). Each
        cell is computed from its own row and column alone, in the same operations, so it
        is the same bits in any block (the products add a row's terms in column order)."""
        block = _products(self.rare, rows, cols, lambda: self.rare_t)
        right = self.dense_tags if cols is None else self.dense_tags[cols]
        shared = self.dense_tags[rows] @ right.T
        shared *= (self.inverse if cols is None else self.inverse[cols])[None, :]
        shared *= (TAG_WEIGHT * self.inverse[rows])[:, None]  # in place: no N-wide temporaries
        block += shared
        del shared
        named = self.named[rows] if cols is None else self.named[rows][:, cols]
        named = named.tocoo()
        block[named.row, named.col] += MENTION_WEIGHT * named.data
        return block

    def rest(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """What `block` leaves out of the pairs' score: text over the common words."""
        if self.common is None:
            return np.zeros(len(rows), dtype=np.float32)
        return _dots(self.common, rows, cols)

    def named_pairs(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return np.asarray(self.named[rows, cols], dtype=np.float32).ravel()


def _products(
    matrix: csr_matrix,
    rows: slice | np.ndarray,
    cols: np.ndarray | None,
    transposed: Callable[[], csr_matrix],
) -> np.ndarray:
    """matrix[rows] @ matrix[cols].T (every row when `cols` is None), dense. A cell adds
    the products of the terms both rows have, in term order, whichever side of the
    product each row is on; so a few rows against every paper are computed as every
    paper against those rows, without transposing the whole matrix (`transposed` gives
    it, when it is worth making: for the blocks of a full ranking, given as slices).
    """
    if cols is not None:
        return (matrix[rows] @ matrix[cols].T.tocsr()).toarray()
    if not isinstance(rows, slice) and len(rows) * FEW_ROWS < matrix.shape[0]:
        return np.ascontiguousarray((matrix @ matrix[rows].T.tocsr()).toarray().T)
    return (matrix[rows] @ transposed()).toarray()


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


def _best(score: _Scorer, order: np.ndarray, k: int, width: int, kept: int) -> Ranking:
    """Each paper's `kept` best papers by the candidate score, then its k best of the
    first `width` by the exact one, best first (ties by slug): `_rank_rows` over row
    blocks. The blocks are scored on every core: the sparse products, partitions and
    sorts run outside the GIL, and each block fills only its own rows, so the result is
    the same in any order."""
    n = score.text.shape[0]
    ranking = Ranking(
        candidates=np.empty((n, kept), dtype=np.int64),
        candidate_scores=np.empty((n, kept), dtype=np.float32),
        exact_scores=np.empty((n, kept), dtype=np.float32),
        known=np.empty(n, dtype=np.int64),
        chosen=np.empty((n, k), dtype=np.int64),
        scores=np.empty((n, k), dtype=np.float32),
    )

    def fill(start: int) -> None:
        rows = slice(start, min(start + step, n))
        done = _rank_rows(score, order, k, width, kept, rows)
        for whole, part in zip(_fields(ranking), done, strict=True):
            whole[rows] = part

    step = _block_rows(n)
    starts = range(0, n, step)
    threads = min(len(starts), os.cpu_count() or 1)
    score.rare_t  # noqa: B018 - made once here, not by the first blocks at the same time
    if threads < 2:
        for start in starts:
            fill(start)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(fill, starts))  # list(): a block's error is raised here
    return ranking


def _rank_rows(
    score: _Scorer, order: np.ndarray, k: int, width: int, kept: int, rows: slice | np.ndarray
) -> tuple[np.ndarray, ...]:
    """The `Ranking` fields of `rows` (a slice or indices) against every paper: the
    `kept` best by the candidate score (`_Scorer.block`, rare words only in a large
    catalogue), of which the first `width` are ranked by the exact score (the rest of
    the text added). The best `width` are the first `width` of the best `kept`, in the
    same total order, so keeping more changes nothing chosen."""
    index = np.arange(score.text.shape[0])[rows]
    block = score.pairs(rows)
    block[np.arange(len(index)), index] = -np.inf
    picked = _top_rows(block, kept, order)
    value: np.ndarray = np.take_along_axis(block, picked, axis=1).ravel()  # reshaped below
    del block
    candidate = value.copy()
    cols = picked.ravel()
    value += score.rest(np.repeat(index, kept), cols)
    value = value.reshape(-1, kept)
    ranked = _best_places(value[:, :width], picked[:, :width], order, k)
    return (
        picked,
        candidate.reshape(-1, kept),
        value,
        np.full(len(index), kept, dtype=np.int64),
        np.take_along_axis(picked, ranked, axis=1),
        np.take_along_axis(value, ranked, axis=1),
    )


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
    text: csr_matrix, terms: np.ndarray, rows: np.ndarray, chosen: np.ndarray
) -> list[list[tuple[str, ...]]]:
    """For every (paper of `rows`, related paper) pair, the terms contributing most to
    their text similarity (ties by term); a bigram hides its unigrams. Sparse products, a
    bounded number of pairs at a time."""
    n, k = chosen.shape
    words: dict[int, tuple[str, frozenset[str]]] = {}
    result: list[list[tuple[str, ...]]] = []
    per_block = max(1, PAIRS // k)
    for start in range(0, n, per_block):
        stop = min(start + per_block, n)
        left = text[np.repeat(rows[start:stop], k)]
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
