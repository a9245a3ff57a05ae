"""Related papers: text similarity, shared tags and shared neighbourhoods, with reasons.

A pair of papers scores
    text cosine (sublinear TF-IDF over title and abstract, domain stop words removed)
  + TAG_WEIGHT x cosine of their tag sets
  + MENTION_WEIGHT if one abstract names the other paper (see `mentions`)
  + NEIGHBOUR_WEIGHT x overlap of their NEIGHBOURS nearest papers (cosine of the rows
    of the top-k graph): two papers whose closest papers are the same are related even
    when they share few words.
Everything is sparse matrix products over row blocks, so memory stays bounded and
50,000 papers take minutes, not hours. Ties break on slug, so output is deterministic.
Each link carries the reasons shown to readers: the key terms and tags both papers share.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

from generator.model import Paper, Related

RELATED_COUNT = 8
TITLE_REPEAT = 2
TAG_WEIGHT = 0.15
MENTION_WEIGHT = 0.2
NEIGHBOURS = 10
NEIGHBOUR_WEIGHT = 0.25
CANDIDATES = 40
SHARED_TERMS = 3
BLOCK = 512

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


def vectorize(papers: Sequence[Paper]) -> tuple[csr_matrix, np.ndarray]:
    """Sublinear TF-IDF over word uni- and bigrams, rows l2-normalised, and the terms."""
    small = len(papers) <= 20  # too few papers for document-frequency cut-offs to mean much
    vectorizer = TfidfVectorizer(
        lowercase=True,
        stop_words=STOP_WORDS,
        ngram_range=(1, 2),
        sublinear_tf=True,
        min_df=1 if small else 2,
        max_df=1.0 if small else 0.5,
        token_pattern=r"(?u)\b[a-zA-Z][\w-]+\b",
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform([document(p) for p in papers])
    return matrix.tocsr(), vectorizer.get_feature_names_out()


def related_papers(
    papers: Sequence[Paper],
    paper_tags: Mapping[str, tuple[str, ...]],
    count: int = RELATED_COUNT,
    mentions: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, tuple[Related, ...]]:
    """The `count` most related papers for each paper, best first, with shared terms and
    tags. `mentions` maps a slug to the slugs its abstract names."""
    if len(papers) < 2:
        return {p.slug: () for p in papers}
    text, terms = vectorize(papers)
    tags = _tag_matrix(papers, paper_tags)
    named = _mention_matrix(papers, mentions or {})
    order = _slug_rank(papers)
    k = min(count, len(papers) - 1)
    # One pass of the costly products keeps each paper's best CANDIDATES by direct score;
    # the final score only adds the neighbour overlap, which is zero outside those
    # candidates and the papers sharing a neighbour, so nothing else can reach the top k.
    width = min(len(papers) - 1, max(CANDIDATES, NEIGHBOURS, k))
    near = np.zeros((len(papers), width), dtype=np.int64)
    direct = np.zeros((len(papers), width), dtype=np.float32)
    for start, block in _blocks(text, tags, named):
        rows = slice(start, start + len(block))
        near[rows], direct[rows] = _top(block, start, width, order)
    graph = _graph(near[:, : min(NEIGHBOURS, width)], direct[:, : min(NEIGHBOURS, width)])
    chosen = np.zeros((len(papers), k), dtype=np.int64)
    scores = np.zeros((len(papers), k), dtype=np.float32)
    for start in range(0, len(papers), BLOCK):
        stop = min(start + BLOCK, len(papers))
        overlap = (graph[start:stop] @ graph.T).tocsr()
        overlap.sort_indices()
        for r, i in enumerate(range(start, stop)):
            lo, hi = overlap.indptr[r], overlap.indptr[r + 1]
            extra = np.setdiff1d(overlap.indices[lo:hi], np.append(near[i], i))
            cand = np.concatenate([near[i], extra])
            value = np.concatenate([direct[i], _direct(text, tags, named, i, extra)])
            value += NEIGHBOUR_WEIGHT * _row_values(overlap, r, cand)
            best = np.lexsort((order[cand], -value))[:k]
            chosen[i], scores[i] = cand[best], value[best]
    shared = _shared_terms(text, terms, chosen)
    result: dict[str, tuple[Related, ...]] = {}
    for i, paper in enumerate(papers):
        own = paper_tags.get(paper.slug, ())
        result[paper.slug] = tuple(
            Related(
                slug=papers[j].slug,
                score=round(float(scores[i, n]), 4),
                shared_terms=shared[i][n],
                shared_tags=tuple(t for t in own if t in paper_tags.get(papers[j].slug, ())),
                named=bool(named[i, j]),
            )
            for n, j in enumerate(chosen[i])
        )
    return result


def text_neighbours(papers: Sequence[Paper], rows: Sequence[int], k: int) -> list[list[int]]:
    """Up to k papers sharing words with each of `rows` (indices), most similar first."""
    if not rows or len(papers) < 2:
        return [[] for _ in rows]
    text, _ = vectorize(papers)
    order = _slug_rank(papers)
    k = min(k, len(papers) - 1)
    found = []
    for start in range(0, len(rows), BLOCK):
        part = list(rows[start : start + BLOCK])
        block = (text[part] @ text.T).toarray()
        block[np.arange(len(part)), part] = -np.inf
        for r, near in enumerate(_top_rows(block, part, k, order)):
            found.append([j for j in near if block[r, j] > 0])  # no shared word, no neighbour
    return found


def _slug_rank(papers: Sequence[Paper]) -> np.ndarray:
    rank = np.empty(len(papers), dtype=np.int64)
    rank[sorted(range(len(papers)), key=lambda i: papers[i].slug)] = np.arange(len(papers))
    return rank


def _blocks(
    text: csr_matrix, tags: csr_matrix, named: csr_matrix
) -> Iterator[tuple[int, np.ndarray]]:
    """Row blocks of the direct score: text cosine + tag cosine + mentions."""
    text_t, tags_t = text.T.tocsr(), tags.T.tocsr()  # transposed once, not per block
    for start in range(0, text.shape[0], BLOCK):
        stop = min(start + BLOCK, text.shape[0])
        block = (text[start:stop] @ text_t).toarray()
        block += TAG_WEIGHT * (tags[start:stop] @ tags_t).toarray()
        block += MENTION_WEIGHT * named[start:stop].toarray()
        yield start, block


def _graph(near: np.ndarray, scores: np.ndarray) -> csr_matrix:
    """Each paper's nearest papers by direct score, as l2-normalised sparse rows."""
    n, k = near.shape
    rows = np.repeat(np.arange(n), k)
    values = np.maximum(scores.ravel(), 0).astype(np.float32)
    return normalize(csr_matrix((values, (rows, near.ravel())), shape=(n, n)))


def _direct(
    text: csr_matrix, tags: csr_matrix, named: csr_matrix, i: int, columns: np.ndarray
) -> np.ndarray:
    """The direct score of paper i with each of `columns` (few), without a full product."""
    if not len(columns):
        return np.zeros(0, dtype=np.float32)
    value = np.asarray(text[columns] @ text[i].T.toarray()).ravel()
    value += TAG_WEIGHT * np.asarray(tags[columns] @ tags[i].T.toarray()).ravel()
    value += MENTION_WEIGHT * named[i].toarray().ravel()[columns]
    return value.astype(np.float32)


def _row_values(matrix: csr_matrix, row: int, columns: np.ndarray) -> np.ndarray:
    """matrix[row, columns] for a CSR matrix with sorted indices, as a dense vector."""
    lo, hi = matrix.indptr[row], matrix.indptr[row + 1]
    indices, data = matrix.indices[lo:hi], matrix.data[lo:hi]
    out = np.zeros(len(columns), dtype=np.float32)
    if not len(indices):
        return out
    where = np.searchsorted(indices, columns)
    found = (where < len(indices)) & (indices[np.minimum(where, len(indices) - 1)] == columns)
    out[found] = data[where[found]]
    return out


def _top(block: np.ndarray, start: int, k: int, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top-k columns of each row (never the row's own paper), ties broken by slug."""
    block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf
    chosen = np.array(_top_rows(block, range(start, start + len(block)), k, order))
    return chosen, np.take_along_axis(block, chosen, axis=1)


def _top_rows(block: np.ndarray, rows, k: int, order: np.ndarray) -> list[list[int]]:
    # Everything scoring at least the k-th best is a candidate, so a tie at the cut-off
    # is settled by slug, not by where the partition happened to put it.
    kth = -np.partition(-block, k - 1, axis=1)[:, k - 1]
    result = []
    for r, _ in enumerate(rows):
        candidates = np.flatnonzero(block[r] >= kth[r])
        ranked = candidates[np.lexsort((order[candidates], -block[r, candidates]))]
        result.append([int(j) for j in ranked[:k]])
    return result


def _tag_matrix(papers: Sequence[Paper], paper_tags: Mapping[str, tuple[str, ...]]) -> csr_matrix:
    index = {t: n for n, t in enumerate(sorted({t for ts in paper_tags.values() for t in ts}))}
    rows, cols = [], []
    for i, paper in enumerate(papers):
        for tag in paper_tags.get(paper.slug, ()):
            rows.append(i)
            cols.append(index[tag])
    data = np.ones(len(rows), dtype=np.float32)
    matrix = csr_matrix((data, (rows, cols)), shape=(len(papers), max(1, len(index))))
    return normalize(matrix)


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
    similarity; a bigram hides its unigrams. One sparse product for all pairs."""
    n, k = chosen.shape
    left = text[np.repeat(np.arange(n), k)]
    right = text[chosen.ravel()]
    product = left.multiply(right).tocsr()
    product.sort_indices()
    result: list[list[tuple[str, ...]]] = [[() for _ in range(k)] for _ in range(n)]
    for pair in range(n * k):
        lo, hi = product.indptr[pair], product.indptr[pair + 1]
        data, cols = product.data[lo:hi], product.indices[lo:hi]
        picked: list[str] = []
        seen: list[list[str]] = []
        for index in np.lexsort((cols, -data)):
            term = str(terms[cols[index]])
            words = [_singular(w) for w in term.split()]
            if any(set(words) & set(other) for other in seen):
                continue  # "mllm" after "mllms", "attention" after "linear attention"
            picked.append(term)
            seen.append(words)
            if len(picked) == SHARED_TERMS:
                break
        result[pair // k][pair % k] = tuple(picked)
    return result
