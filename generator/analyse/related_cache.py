"""Related papers kept between builds (`cached_related`): a rebuild ranks again only the rows that
can have changed, and gives exactly what `related.related_papers` gives.

A pair's score depends only on the two papers (their vectors, which under one IDF reference follow
from their text alone, their tags and whether one names the other), and ties break by slug. So only
pairs with a *dirty* paper (new, or its text, tags or mentions changed) score differently. A row is
ranked again in full when it is dirty or one of its previous candidates is dirty or gone (it might
fall behind papers that were not candidates); every other row merges the dirty papers into its
previous candidates (`related.Relating.rerank`), and only rows whose choice moved get new links.

The entry is keyed by the code and the IDF reference; it holds what each paper's rows were computed
from (`Facts`), the ranking and the links."""

from __future__ import annotations

import pickle
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from generator.analyse import related
from generator.analyse.related import Ranking, Relating
from generator.analyse.vectors import Vectors, document, reference_size
from generator.cache import Cache, code_of, collector_paused, content_key, text_key
from generator.model import Paper, Related

STAGE = "related"
# Above this share of rows to rank again, ranking every row is about as fast.
AGAIN_SHARE = 0.25


@dataclass(frozen=True)
class Facts:
    """What each paper's pairs are scored from, by row: its slug, and a digest of its
    text with its tags and the papers it names or is named by."""

    slugs: tuple[str, ...]
    rows: tuple[tuple[bytes, tuple[str, ...], tuple[str, ...]], ...]


@dataclass(frozen=True)
class RelatedState:
    """One build's related papers: the settings of the ranking (`Relating.settings`), the
    facts they came from, the ranking (row and column indices into `facts.slugs`) and each
    paper's links, pickled."""

    settings: tuple[int, int, int, float]
    facts: Facts
    ranking: Ranking
    links: dict[str, bytes]

    def fits(self) -> bool:
        """Whether the arrays fit the papers (an entry from elsewhere may not)."""
        if not isinstance(self.facts, Facts) or not isinstance(self.ranking, Ranking):
            return False
        n, ranking, (k, width, kept, _) = len(self.facts.slugs), self.ranking, self.settings
        return (
            isinstance(self.links, dict)
            and n > 1
            and [a.shape for a in ranking] == [(n, kept)] * 3 + [(n,), (n, k), (n, k)]
            and len(self.facts.rows) == n
            and self.links.keys() == set(self.facts.slugs)
            and width <= ranking.known.min() <= ranking.known.max() <= kept
            and -1 <= ranking.candidates.min() <= ranking.candidates.max() < n
            and 0 <= ranking.chosen.min() <= ranking.chosen.max() < n
        )


def cached_related(
    papers: Sequence[Paper],
    paper_tags: Mapping[str, tuple[str, ...]],
    cache: Cache,
    mentions: Mapping[str, Sequence[str]] | None = None,
    vectors: Vectors | None = None,
) -> dict[str, tuple[Related, ...]]:
    """`related.related_papers` of the same arguments, ranking again only what can have
    changed since the last build. Each paper's links are kept pickled, so a row kept from
    the last build is its stored bytes: the cache entry is not unpickled and pickled again
    for the links of every paper."""
    if len(papers) < 2:
        return related.related_papers(papers, paper_tags, mentions=mentions, vectors=vectors)
    vectors = vectors if vectors is not None else Vectors(papers)
    reference = vectors.reference
    if reference is None:  # `vectorize`'s default: the first papers' own text
        reference = [document(p) for p in papers[: reference_size(len(papers))]]
    code = code_of("related", "scores", "vectors", "related_cache")
    key = content_key([code, *reference])
    facts = paper_facts(papers, paper_tags, mentions or {})
    before = cache.load(STAGE, key, RelatedState)
    before = before if before is not None and before.fits() else None
    if before is not None and before.facts == facts:
        cache.hits.append(STAGE)
        return _decode(before.links)
    relating = Relating(papers, paper_tags, mentions=mentions, vectors=vectors)
    if before is None or (plan := _plan(before, facts, relating)) is None:
        ranking = relating.rank()
        made = relating.links(ranking, np.arange(len(papers)))
        links = _encode(made)
    else:
        previous, dirty, again, cut_rank = plan
        ranking = relating.rerank(previous, dirty, again, cut_rank)
        # A row's links are its chosen papers, scores and the reasons of those pairs.
        moved = dirty | dirty[ranking.chosen].any(axis=1)
        moved |= (ranking.chosen != previous.chosen).any(axis=1)
        moved |= (ranking.scores.view(np.int32) != previous.scores.view(np.int32)).any(axis=1)
        made = relating.links(ranking, np.flatnonzero(moved))
        fresh = _encode(made)
        links = {
            slug: fresh[slug] if moved[i] else before.links[slug]
            for i, slug in enumerate(facts.slugs)
        }
    cache.save(STAGE, key, RelatedState(relating.settings, facts, ranking, links))
    return _decode(links, made)


def _decode(
    rows: Mapping[str, bytes], made: Mapping[str, tuple[Related, ...]] | None = None
) -> dict[str, tuple[Related, ...]]:
    """Each paper's links: those just `made`, else unpickled. The ones made share their
    strings (slugs, terms, tags) with the catalogue; unpickled ones each have copies."""
    made = made or {}
    with collector_paused():  # tens of thousands of new objects
        return {
            slug: made[slug] if slug in made else pickle.loads(row) for slug, row in rows.items()
        }


def _encode(links: Mapping[str, tuple[Related, ...]]) -> dict[str, bytes]:
    return {
        slug: pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL) for slug, row in links.items()
    }


def paper_facts(
    papers: Sequence[Paper],
    paper_tags: Mapping[str, tuple[str, ...]],
    mentions: Mapping[str, Sequence[str]],
) -> Facts:
    """The `Facts` of these papers, in their order."""
    slugs = tuple(p.slug for p in papers)
    partners: list[list[str]] = [[] for _ in papers]
    for i, j in related.mention_pairs(papers, mentions):
        partners[i].append(slugs[j])
    return Facts(
        slugs,
        tuple(
            (text_key(p.title, p.abstract), tuple(paper_tags.get(p.slug, ())), tuple(sorted(named)))
            for p, named in zip(papers, partners, strict=True)
        ),
    )


def _plan(
    before: RelatedState, facts: Facts, relating: Relating
) -> tuple[Ranking, np.ndarray, np.ndarray, np.ndarray] | None:
    """The previous ranking in these papers' rows and columns (-1: a paper gone), the
    dirty rows and the rows to rank again (masks), and each row's last known candidate's
    slug rank (`Relating.rerank`); None when everything must be ranked (another k,
    candidate width or split of the words, or too many rows)."""
    if before.settings != relating.settings:
        return None
    old = before.facts
    n = len(facts.slugs)
    # Each paper's row in the last build (-1: new), and whether it is dirty (new, or its
    # text, tags or mentions changed).
    index = {slug: i for i, slug in enumerate(old.slugs)}
    rows = [(index.get(slug, -1), row) for slug, row in zip(facts.slugs, facts.rows, strict=True)]
    to_old = np.array([j for j, _ in rows], dtype=np.int64)
    dirty = np.array([j < 0 or old.rows[j] != row for j, row in rows], dtype=bool)
    to_new = np.full(len(old.slugs), -1, dtype=np.int64)
    to_new[to_old[to_old >= 0]] = np.flatnonzero(to_old >= 0)
    previous = before.ranking
    source = np.where(to_old >= 0, to_old, 0)  # rows of new papers are ranked again
    old_cols = previous.candidates[source]
    cols = np.where(old_cols >= 0, to_new[np.maximum(old_cols, 0)], -1)
    known = previous.known[source]
    usable = (np.arange(cols.shape[1])[None, :] < known[:, None]) & (cols >= 0)
    usable &= ~dirty[np.maximum(cols, 0)]
    again = dirty | (usable.sum(axis=1) < relating.width)
    if again.sum() > AGAIN_SHARE * n:
        return None
    # The last known candidate of each row bounds what the row knows; one gone is placed
    # among these papers by its slug, between its neighbours' ranks.
    last = old_cols[np.arange(n), known - 1]
    cut_rank = relating.order[np.maximum(to_new[last], 0)].astype(np.float64)
    gone = np.flatnonzero((to_new[last] < 0) & ~again)
    if len(gone):
        ordered = sorted(facts.slugs)
        for i in gone.tolist():
            cut_rank[i] = bisect_left(ordered, old.slugs[last[i]]) - 0.5
    mapped = Ranking(
        candidates=cols,
        candidate_scores=previous.candidate_scores[source],
        exact_scores=previous.exact_scores[source],
        known=known,
        chosen=np.where((to_old < 0)[:, None], -1, to_new[previous.chosen[source]]),
        scores=previous.scores[source],
    )
    return mapped, dirty, again, cut_rank
