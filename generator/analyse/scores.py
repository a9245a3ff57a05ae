"""Scores of paper pairs, over row blocks of a dense matrix, never N x N at once: text cosine plus
TAG_WEIGHT x tag cosine plus MENTION_WEIGHT when one abstract names the other; each row's best
columns with ties broken by slug rank; and nearest papers by text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, cached_property

import numpy as np
from scipy.sparse import csr_matrix

from generator.analyse.vectors import PAIRS, Vectors, reference_size
from generator.model import Paper

TAG_WEIGHT = 0.15
MENTION_WEIGHT = 0.2
RARE_SHARE = 1 / 128  # of the reference papers, for finding candidates
EXACT_BELOW = 4096  # smaller catalogues are compared over every word
CELLS = 1 << 24  # dense scores held at once: a row block is CELLS // N rows
FEW_ROWS = 8  # fewer than 1/FEW_ROWS of the papers are scored against all without a transpose


def best_places(values: np.ndarray, cols: np.ndarray, order: np.ndarray, take: int) -> np.ndarray:
    """In each row, the places of its `take` best values, best first (ties by the slug
    rank of the paper in `cols` there)."""
    m = values.shape[1]
    line = np.repeat(np.arange(len(values)), m)
    flat = np.lexsort((order[cols.ravel()], -values.ravel(), line))
    return flat.reshape(len(values), m)[:, :take] - (np.arange(len(values)) * m)[:, None]


def text_neighbours(
    papers: Sequence[Paper], rows: Sequence[int], k: int, vectors: Vectors | None = None
) -> list[list[int]]:
    """Up to k papers sharing words with each of `rows` (indices), most similar first."""
    if not rows or len(papers) < 2:
        return [[] for _ in rows]
    text, _, _ = (vectors or Vectors(papers)).of(papers)
    order = slug_rank(papers)
    k = min(k, len(papers) - 1)
    transposed = cache(lambda: text.T.tocsr())
    step = block_rows(len(papers))
    found = []
    for start in range(0, len(rows), step):
        part = list(rows[start : start + step])
        block = products(text, np.array(part, dtype=np.int64), None, transposed)
        block[np.arange(len(part)), part] = -np.inf
        for r, near in enumerate(top_rows(block, k, order).tolist()):
            found.append([j for j in near if block[r, j] > 0])  # no shared word, no neighbour
    return found


class Scorer:
    """The score of paper pairs; to find candidates in a large catalogue, with the text
    over the rare words only (`pairs`) and the rest later (`rest`)."""

    def __init__(self, text: csr_matrix, df: np.ndarray, tags: csr_matrix, named: csr_matrix):
        n = text.shape[0]
        self.named = named
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

    def pairs(self, rows: slice | np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
        """The scores of `rows` against `cols` (every paper when None), dense; the text
        over the rare words only. Each cell is computed from its own row and column alone,
        in the same operations, so it is the same bits in any block (the products add a
        row's terms in column order)."""
        block = products(self.rare, rows, cols, lambda: self.rare_t)
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
        """What `pairs` leaves out of the pairs' score: text over the common words."""
        if self.common is None:
            return np.zeros(len(rows), dtype=np.float32)
        return dots(self.common, rows, cols)


def products(
    matrix: csr_matrix,
    rows: slice | np.ndarray,
    cols: np.ndarray | None,
    transposed: Callable[[], csr_matrix],
) -> np.ndarray:
    """matrix[rows] @ matrix[cols].T (every row when `cols` is None), dense. A cell adds the
    products of the terms both rows have, in term order, whichever side of the product each row is
    on; so a few rows against every paper are computed as every paper against those rows, without
    transposing the whole matrix (`transposed` gives it, when it is worth making: for the blocks of
    a full ranking, given as slices)."""
    if cols is not None:
        return (matrix[rows] @ matrix[cols].T.tocsr()).toarray()
    if not isinstance(rows, slice) and len(rows) * FEW_ROWS < matrix.shape[0]:
        return np.ascontiguousarray((matrix @ matrix[rows].T.tocsr()).toarray().T)
    return (matrix[rows] @ transposed()).toarray()


def dots(matrix: csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """matrix[rows[p]] . matrix[cols[p]] for every pair p, a bounded number at a time."""
    out = np.zeros(len(rows), dtype=np.float32)
    for start in range(0, len(rows), PAIRS):
        stop = start + PAIRS
        product = matrix[rows[start:stop]].multiply(matrix[cols[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
    return out


def block_rows(n: int) -> int:
    return max(16, min(1024, CELLS // max(n, 1)))


def slug_rank(papers: Sequence[Paper]) -> np.ndarray:
    rank = np.empty(len(papers), dtype=np.int64)
    rank[sorted(range(len(papers)), key=lambda i: papers[i].slug)] = np.arange(len(papers))
    return rank


def top_rows(block: np.ndarray, k: int, order: np.ndarray) -> np.ndarray:
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
