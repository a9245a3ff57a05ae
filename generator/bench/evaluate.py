"""`make eval`: how good are the related links and the tags, against hand-made labels.

The labels live in `tests/eval/`: `related.yaml` holds groups of seed papers a domain
expert would call related (a paper's relevant set is every other paper sharing a group),
`tags.yaml` the expected tags of a sample of papers. The same run scores the anchor, the
TF-IDF cosine of arxiv-sanity-lite, so the two numbers are always measured side by side.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer

from generator.analyse.related import related_papers
from generator.model import Catalogue, Paper
from generator.report import Report

K = 5
# arxiv-sanity-lite's min_df; on a small catalogue it would leave almost no features, so the
# anchor lowers it until at least ANCHOR_MIN_FEATURES terms survive (and says so).
ANCHOR_MIN_DF = 5
ANCHOR_MIN_FEATURES = 1000


@dataclass(frozen=True)
class Expected:
    """A labelled paper's tags: `required` ones a reader expects, `ok` ones not wrong either;
    `held_out` papers were labelled after the taxonomy was tuned and never tuned against."""

    required: frozenset[str]
    ok: frozenset[str] = frozenset()
    held_out: bool = False


@dataclass(frozen=True)
class Labels:
    """Related groups (name, member slugs) and expected tags per slug."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]
    tags: Mapping[str, Expected]


@dataclass(frozen=True)
class Scores:
    """Precision@K of a ranking: over queries with at least K relevant papers, and over
    every labelled query with the denominator capped at its number of relevant papers."""

    p_at_k: float
    queries: int
    capped: float
    all_queries: int


@dataclass(frozen=True)
class TagScores:
    precision: float
    recall: float
    papers: int
    held_out_precision: float
    held_out_recall: float
    held_out_papers: int
    untagged: int
    largest_tag: str
    largest_share: float


@dataclass(frozen=True)
class EvalResult:
    related: Scores
    anchor: Scores
    anchor_note: str
    tags: TagScores
    related_seconds: float
    papers: int


def load_labels(folder: Path, known: set[str], report: Report) -> Labels:
    """Read the label files; a slug that names no paper is reported and ignored."""
    related = yaml.safe_load((folder / "related.yaml").read_text("utf-8")) or {}
    groups = []
    for group in related.get("groups", []):
        members = tuple(s for s in group["papers"] if _known(s, known, "related.yaml", report))
        groups.append((str(group["name"]), members))
    tagged = yaml.safe_load((folder / "tags.yaml").read_text("utf-8")) or {}
    tags = {
        entry["slug"]: Expected(
            frozenset(entry["tags"]), frozenset(entry.get("ok", ())), bool(entry.get("held_out"))
        )
        for entry in tagged.get("papers", [])
        if _known(entry["slug"], known, "tags.yaml", report)
    }
    return Labels(tuple(groups), tags)


def _known(slug: str, known: set[str], source: str, report: Report) -> bool:
    if slug not in known:
        report.warn(f"tests/eval/{source}", 0, f"label names no paper: {slug!r}; fix the slug.")
    return slug in known


def relevant_sets(groups: Sequence[tuple[str, Sequence[str]]]) -> dict[str, set[str]]:
    """Every labelled paper's relevant papers: all others that share one of its groups."""
    relevant: dict[str, set[str]] = {}
    for _, members in groups:
        for slug in members:
            relevant.setdefault(slug, set()).update(m for m in members if m != slug)
    return relevant


def precision_at_k(
    ranked: Mapping[str, Sequence[str]], relevant: Mapping[str, set[str]], k: int = K
) -> Scores:
    full, capped = [], []
    for slug, wanted in relevant.items():
        if not wanted:
            continue
        hits = sum(1 for other in list(ranked.get(slug, ()))[:k] if other in wanted)
        capped.append(hits / min(k, len(wanted)))
        if len(wanted) >= k:
            full.append(hits / k)
    return Scores(
        p_at_k=float(np.mean(full)) if full else 0.0,
        queries=len(full),
        capped=float(np.mean(capped)) if capped else 0.0,
        all_queries=len(capped),
    )


def tag_scores(catalogue: Catalogue, labels: Labels) -> TagScores:
    """Micro-averaged precision (assigned tags that are expected or ok) and recall, over
    all labelled papers and over the held-out ones alone."""
    precision, recall = _precision_recall(catalogue, labels.tags)
    held_out = {slug: e for slug, e in labels.tags.items() if e.held_out}
    held_precision, held_recall = _precision_recall(catalogue, held_out)
    counts = Counter(t for tags in catalogue.paper_tags.values() for t in tags)
    largest, size = max(counts.items(), key=lambda kv: (kv[1], kv[0])) if counts else ("", 0)
    return TagScores(
        precision=precision,
        recall=recall,
        papers=len(labels.tags),
        held_out_precision=held_precision,
        held_out_recall=held_recall,
        held_out_papers=len(held_out),
        untagged=sum(1 for p in catalogue.papers if not catalogue.paper_tags.get(p.slug)),
        largest_tag=largest,
        largest_share=size / len(catalogue.papers) if catalogue.papers else 0.0,
    )


def _precision_recall(
    catalogue: Catalogue, expected: Mapping[str, Expected]
) -> tuple[float, float]:
    assigned_total = correct = expected_total = found = 0
    for slug, labels in expected.items():
        assigned = set(catalogue.paper_tags.get(slug, ()))
        assigned_total += len(assigned)
        correct += len(assigned & (labels.required | labels.ok))
        expected_total += len(labels.required)
        found += len(assigned & labels.required)
    return (
        correct / assigned_total if assigned_total else 0.0,
        found / expected_total if expected_total else 0.0,
    )


def anchor_vectorizer(min_df: int) -> TfidfVectorizer:
    """arxiv-sanity-lite's TF-IDF settings (compute.py)."""
    return TfidfVectorizer(
        input="content",
        encoding="utf-8",
        decode_error="replace",
        strip_accents="unicode",
        lowercase=True,
        analyzer="word",
        stop_words="english",
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
        ngram_range=(1, 2),
        max_features=20000,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=True,
        max_df=0.1,
        min_df=min_df,
    )


def anchor_rankings(papers: Sequence[Paper], k: int = K) -> tuple[dict[str, list[str]], str]:
    """The anchor's top-k per paper (TF-IDF cosine over title and abstract) and a note."""
    docs = [f"{p.title} {p.abstract}" for p in papers]
    min_df = ANCHOR_MIN_DF
    while True:
        matrix = anchor_vectorizer(min_df).fit_transform(docs)
        if matrix.shape[1] >= ANCHOR_MIN_FEATURES or min_df == 1:
            break
        min_df -= 1
    note = f"min_df={min_df}, {matrix.shape[1]} features"
    if min_df != ANCHOR_MIN_DF:
        note += f" (min_df={ANCHOR_MIN_DF} left fewer than {ANCHOR_MIN_FEATURES})"
    scores = (matrix @ matrix.T).toarray()
    np.fill_diagonal(scores, -np.inf)
    slugs = [p.slug for p in papers]
    ranked = {}
    for i, slug in enumerate(slugs):
        row = scores[i]
        order = sorted(range(len(slugs)), key=lambda j: (-row[j], slugs[j]))
        ranked[slug] = [slugs[j] for j in order[:k]]
    return ranked, note


def evaluate(catalogue: Catalogue, labels_dir: Path, report: Report) -> EvalResult:
    """Score the catalogue's related links and tags, and the anchor, against the labels."""
    labels = load_labels(labels_dir, set(catalogue.by_slug), report)
    relevant = relevant_sets(labels.groups)
    papers = list(catalogue.papers)
    named = {slug: [m.slug for m in found] for slug, found in catalogue.mentions.items()}
    seconds = float("inf")
    for _ in range(3):  # best of three: the machine is shared and noisy
        started = time.perf_counter()
        related = related_papers(papers, catalogue.paper_tags, mentions=named)
        seconds = min(seconds, time.perf_counter() - started)
    ours = {slug: [r.slug for r in items] for slug, items in related.items()}
    anchor, note = anchor_rankings(papers)
    return EvalResult(
        related=precision_at_k(ours, relevant),
        anchor=precision_at_k(anchor, relevant),
        anchor_note=note,
        tags=tag_scores(catalogue, labels),
        related_seconds=seconds,
        papers=len(papers),
    )


def format_result(result: EvalResult) -> str:
    r, a, t = result.related, result.anchor, result.tags
    ratio = r.p_at_k / a.p_at_k if a.p_at_k else float("inf")
    lines = [
        f"Related papers ({result.papers} papers; {r.queries} queries with >= {K} relevant, "
        f"{r.all_queries} labelled)",
        f"  {'':28} {'P@5':>6} {'P@5 capped':>11}",
        f"  {'catalogue':28} {r.p_at_k:6.3f} {r.capped:11.3f}",
        f"  {'anchor (arxiv-sanity TF-IDF)':28} {a.p_at_k:6.3f} {a.capped:11.3f}",
        f"  ratio {ratio:.2f} (target >= 1.15); anchor {result.anchor_note}",
        f"  related links computed in {result.related_seconds:.2f}s (best of 3)",
        f"Tags ({t.papers} labelled papers, {t.held_out_papers} of them held out)",
        f"  precision {t.precision:.3f} (target >= 0.85), recall {t.recall:.3f} (target >= 0.80)",
        f"  held out only: precision {t.held_out_precision:.3f}, recall {t.held_out_recall:.3f}",
        f"  papers without a tag: {t.untagged}; largest tag {t.largest_tag!r} holds "
        f"{t.largest_share:.0%} of the catalogue (limit 25%)",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """`make eval`: the catalogue at --root scored against the labels in --labels."""
    import argparse

    from generator.pipeline import Project, build_catalogue

    parser = argparse.ArgumentParser(prog="python -m generator.bench.evaluate")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="catalogue folder")
    parser.add_argument("--labels", type=Path, help="label folder (default: tests/eval)")
    args = parser.parse_args(argv)
    project = Project(args.root.resolve())
    report = Report()
    result = evaluate(
        build_catalogue(project, report), args.labels or project.root / "tests/eval", report
    )
    report.print()
    print(format_result(result), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
