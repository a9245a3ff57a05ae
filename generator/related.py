"""Related papers: TF-IDF cosine over title and abstract, nudged by shared tags.

Vectorised with sparse matrix products in row blocks, so memory stays bounded and the
cost is near-linear in practice for catalogues of tens of thousands of papers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from generator.model import Paper, Related

RELATED_COUNT = 8
TAG_WEIGHT = 0.05
TITLE_REPEAT = 2
BLOCK = 2048

# Words in nearly every abstract of this field: they say nothing about the topic.
DOMAIN_STOP_WORDS = frozenset(
    [
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
    ]
)
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | DOMAIN_STOP_WORDS)


def document(paper: Paper) -> str:
    """The text a paper is compared by: its title (weighted by repetition) and abstract."""
    return " ".join([paper.title] * TITLE_REPEAT + [paper.abstract])


def vectorize(papers: Sequence[Paper]) -> tuple[object, np.ndarray]:
    """Sublinear TF-IDF over word uni- and bigrams, rows l2-normalised."""
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
    return matrix, vectorizer.get_feature_names_out()


def related_papers(
    papers: Sequence[Paper], paper_tags: Mapping[str, tuple[str, ...]], count: int = RELATED_COUNT
) -> dict[str, tuple[Related, ...]]:
    """The `count` most similar papers for each paper, best first, with shared terms and tags."""
    if len(papers) < 2:
        return {p.slug: () for p in papers}
    matrix, terms = vectorize(papers)
    tag_index = sorted({t for tags in paper_tags.values() for t in tags})
    tag_matrix = _tag_matrix(papers, paper_tags, tag_index)
    result: dict[str, tuple[Related, ...]] = {}
    k = min(count, len(papers) - 1)
    for start in range(0, len(papers), BLOCK):
        stop = min(start + BLOCK, len(papers))
        scores = (matrix[start:stop] @ matrix.T).toarray()
        scores += TAG_WEIGHT * (tag_matrix[start:stop] @ tag_matrix.T).toarray()
        scores[np.arange(stop - start), np.arange(start, stop)] = -np.inf
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        for row, candidates in enumerate(top):
            i = start + row
            # Ties break on slug so the order never depends on the sort algorithm.
            ranked = sorted(candidates, key=lambda j, r=row: (-scores[r, j], papers[j].slug))
            result[papers[i].slug] = tuple(
                Related(
                    slug=papers[j].slug,
                    score=round(float(scores[row, j]), 4),
                    shared_terms=_shared_terms(matrix, terms, i, j),
                    shared_tags=tuple(
                        t
                        for t in paper_tags.get(papers[i].slug, ())
                        if t in paper_tags.get(papers[j].slug, ())
                    ),
                )
                for j in ranked
            )
    return result


def _tag_matrix(papers, paper_tags, tag_index):
    from scipy.sparse import csr_matrix

    position = {t: n for n, t in enumerate(tag_index)}
    rows, cols = [], []
    for i, paper in enumerate(papers):
        for tag in paper_tags.get(paper.slug, ()):
            rows.append(i)
            cols.append(position[tag])
    data = np.ones(len(rows), dtype=np.float32)
    return csr_matrix((data, (rows, cols)), shape=(len(papers), max(1, len(tag_index))))


def _shared_terms(matrix, terms, i: int, j: int, limit: int = 3) -> tuple[str, ...]:
    """The terms that contribute most to the similarity, a bigram hiding its unigrams."""
    product = matrix[i].multiply(matrix[j]).tocoo()
    order = np.argsort(-product.data, kind="stable")
    chosen: list[str] = []
    for index in order:
        term = str(terms[product.col[index]])
        if any(term in other.split() or other in term.split() for other in chosen):
            continue
        chosen.append(term)
        if len(chosen) == limit:
            break
    return tuple(chosen)
