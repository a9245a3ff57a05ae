"""Related papers: text similarity, shared tags and mentions, with reasons.

A pair scores its text cosine + TAG_WEIGHT x the cosine of their tag sets + MENTION_WEIGHT if one
abstract names the other; ties break on slug. Candidates come from rare shared words, then are
scored exactly; each row keeps RESERVE candidates so `Relating.rerank` can update it after a rebuild
as `rank()` would. Why: ARCHITECTURE.md, "Related papers"."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix

from generator.analyse.scores import Scorer, best_places, block_rows, slug_rank, top_rows
from generator.analyse.vectors import Vectors, shared_terms
from generator.model import Paper, Related

RELATED_COUNT = 8
CANDIDATES = 40
RESERVE = 8  # candidates kept beyond CANDIDATES, so a rebuild can drop changed ones


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


class Ranking(NamedTuple):
    """For each paper (row): its best papers by the candidate score, best first, with their
    candidate and exact scores (`candidates`: columns, indices into the papers; `width` of them are
    ranked by the exact score, the rest are kept in reserve for a rebuild), how many of them are
    surely its best of the whole catalogue (`known`; beyond, a column may be -1), and the k papers
    chosen from the first `width` by the exact score (ties by slug), with their scores."""

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
        self.score = Scorer(self.text, df, tags, _mention_matrix(papers, mentions or {}))
        self.order = slug_rank(papers)
        n = len(papers)
        self.k = min(count, n - 1)
        self.width = (
            min(n - 1, max(CANDIDATES, self.k)) if self.score.common is not None else self.k
        )
        self.kept = min(n - 1, self.width + RESERVE)
        # What a ranking depends on beyond the papers (with the words that find candidates,
        # `scores.Scorer`): `related_cache` reuses no ranking made under other settings.
        self.settings = (self.k, self.width, self.kept, self.score.threshold)

    def rank(self) -> Ranking:
        """Each paper's `kept` best papers by the candidate score, then its k best of the first
        `width` by the exact one, best first (ties by slug): `_rank_rows` over row blocks. The
        blocks are scored on every core: the sparse products, partitions and sorts run outside the
        GIL, and each block fills only its own rows, so the result is the same in any order."""
        n, k, kept, step = len(self.papers), self.k, self.kept, block_rows(len(self.papers))
        ranking = Ranking(
            candidates=np.empty((n, kept), dtype=np.int64),
            candidate_scores=np.empty((n, kept), dtype=np.float32),
            exact_scores=np.empty((n, kept), dtype=np.float32),
            known=np.empty(n, dtype=np.int64),
            chosen=np.empty((n, k), dtype=np.int64),
            scores=np.empty((n, k), dtype=np.float32),
        )

        def fill(start: int) -> None:
            rows = slice(start, start + step)
            for whole, part in zip(ranking, self._rank_rows(rows), strict=True):
                whole[rows] = part

        starts = range(0, n, step)
        self.score.rare_t  # noqa: B018 - made once here, not by the first blocks at once
        with ThreadPoolExecutor(min(len(starts), os.cpu_count() or 1)) as pool:
            list(pool.map(fill, starts))  # list(): a block's error is raised here
        return ranking

    def _rank_rows(self, rows: slice | np.ndarray) -> Ranking:
        """The `Ranking` of `rows` (a slice or indices) against every paper: the `kept`
        best by the candidate score (`Scorer.pairs`, rare words only in a large
        catalogue), of which the first `width` are ranked by the exact score (the rest of
        the text added). The best `width` are the first `width` of the best `kept`, in the
        same total order, so keeping more changes nothing chosen."""
        index = np.arange(len(self.papers))[rows]
        block = self.score.pairs(rows)
        block[np.arange(len(index)), index] = -np.inf
        picked = top_rows(block, self.kept, self.order)
        candidate = np.take_along_axis(block, picked, axis=1)
        del block
        rest = self.score.rest(np.repeat(index, self.kept), picked.ravel())
        value = candidate + rest.reshape(-1, self.kept)
        ranked = best_places(value[:, : self.width], picked[:, : self.width], self.order, self.k)
        return Ranking(
            picked,
            candidate,
            value,
            np.full(len(index), self.kept, dtype=np.int64),
            np.take_along_axis(picked, ranked, axis=1),
            np.take_along_axis(value, ranked, axis=1),
        )

    def rerank(
        self, before: Ranking, dirty: np.ndarray, again: np.ndarray, cut_rank: np.ndarray
    ) -> Ranking:
        """Every paper's ranking from `before`, in these papers' rows and columns (-1 for a paper
        gone), where only the pairs with a `dirty` paper (a mask: new, or its text, tags or mentions
        changed) score differently. The rows `again` (a mask: every dirty row, and every row left
        with fewer than `width` known candidates once the dirty and gone ones are dropped) are
        ranked in full. Every other row drops those, and takes in the dirty papers that score above
        its last known candidate (whose slug rank among these papers is `cut_rank`, fractional for a
        paper gone): below it, a paper that was no candidate might come first. The same as `rank()`:
        candidates are a row's best papers in a total order (score, then slug); the best of a union
        are the best of each part's best."""
        ranking = Ranking(*(np.array(a) for a in before))
        if again.any():
            for whole, part in zip(ranking, self._rank_rows(np.flatnonzero(again)), strict=True):
                whole[again] = part
        rows = np.flatnonzero(~again)
        if len(rows):
            self._merge(ranking, rows, dirty, cut_rank[rows])
        return ranking

    def _merge(
        self, ranking: Ranking, rows: np.ndarray, is_dirty: np.ndarray, cut_rank: np.ndarray
    ) -> None:
        """Drop the dirty and gone candidates of `rows` and take in the dirty papers above
        each row's last known candidate, in place."""
        order, kept, dirty = self.order, self.kept, np.flatnonzero(is_dirty)
        cand, known = ranking.candidates[rows], ranking.known[rows]
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
        # Valid entries first (no score is -inf), then by score and slug; `kept` are kept.
        best = best_places(np.where(valid, values, -np.inf), np.maximum(cols, 0), order, kept)
        cols, values, exact, valid, fresh = (
            np.take_along_axis(a, best, axis=1) for a in (cols, values, exact, valid, fresh)
        )
        cols[~valid] = -1
        # The exact score of a dirty paper that became a candidate, as `_rank_rows` adds it.
        r, c = np.nonzero(fresh)
        exact[r, c] = values[r, c] + self.score.rest(at[r], cols[r, c])
        ranked = best_places(exact[:, : self.width], cols[:, : self.width], order, self.k)
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
        shared = shared_terms(self.text, self.terms, rows, chosen)
        named = self.score.named[np.repeat(rows, k), chosen.ravel()]
        named = np.asarray(named).reshape(chosen.shape).tolist()
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


def mention_pairs(
    papers: Sequence[Paper], mentions: Mapping[str, Sequence[str]]
) -> list[tuple[int, int]]:
    """The pairs of papers (indices) where one's abstract names the other, both ways, sorted."""
    index = {p.slug: i for i, p in enumerate(papers)}
    pairs = {
        (index[a], index[b])
        for a, named in mentions.items()
        for b in named
        if a in index and b in index and a != b
    }
    return sorted(pairs | {(j, i) for i, j in pairs})


def _mention_matrix(papers: Sequence[Paper], mentions: Mapping[str, Sequence[str]]) -> csr_matrix:
    """1 where one paper's abstract names the other, in both directions."""
    pairs = mention_pairs(papers, mentions)
    rows, cols = [i for i, _ in pairs], [j for _, j in pairs]
    data = np.ones(len(pairs), dtype=np.float32)
    return csr_matrix((data, (rows, cols)), shape=(len(papers), len(papers)))
