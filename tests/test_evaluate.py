"""The evaluation: its metrics on small cases, its labels, and the targets on the seeds."""

from pathlib import Path

import pytest

from generator.bench.evaluate import (
    Expected,
    Labels,
    evaluate,
    load_labels,
    precision_at_k,
    relevant_sets,
    tag_scores,
)
from generator.pipeline import Project, build_catalogue
from generator.report import Report
from tests.test_render import catalogue_of

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "eval"


def test_relevant_sets_join_every_group_a_paper_is_in():
    groups = [("g1", ["a", "b", "c"]), ("g2", ["c", "d"])]
    assert relevant_sets(groups) == {
        "a": {"b", "c"},
        "b": {"a", "c"},
        "c": {"a", "b", "d"},
        "d": {"c"},
    }


def test_precision_at_k_counts_hits_and_caps_small_groups():
    relevant = {"q": {"a", "b", "c", "d", "e", "f"}, "small": {"x"}}
    ranked = {"q": ["a", "z", "b", "y", "c", "d"], "small": ["y", "x", "a", "b", "c"]}
    scores = precision_at_k(ranked, relevant, k=5)
    assert scores.p_at_k == pytest.approx(3 / 5)  # only "q" has 5 relevant papers
    assert scores.queries == 1
    assert scores.capped == pytest.approx((3 / 5 + 1 / 1) / 2)
    assert scores.all_queries == 2


def test_tag_scores_count_ok_tags_as_correct_but_not_as_expected():
    catalogue = catalogue_of(
        ("Teaching Arithmetic to Small Transformers", "Arithmetic for small transformers."),
        ("Arithmetic Without Tears", "More arithmetic."),
    )
    slug = "teaching-arithmetic-to-small-transformers"
    labels = Labels((), {slug: Expected(frozenset({"arithmetic", "theorem-proving"}))})
    scores = tag_scores(catalogue, labels)
    assert (scores.precision, scores.recall) == (1.0, 0.5)
    assert scores.held_out_papers == 0
    ok_only = Labels(
        (), {slug: Expected(frozenset({"theorem-proving"}), frozenset({"arithmetic"}), True)}
    )
    scores = tag_scores(catalogue, ok_only)
    assert (scores.precision, scores.recall) == (1.0, 0.0)
    assert (scores.held_out_precision, scores.held_out_recall, scores.held_out_papers) == (
        1.0,
        0.0,
        1,
    )


def test_a_label_naming_no_paper_is_a_warning(tmp_path):
    (tmp_path / "related.yaml").write_text(
        "groups:\n  - name: g\n    about: x\n    papers: [a, ghost]\n"
    )
    (tmp_path / "tags.yaml").write_text("papers:\n  - slug: nobody\n    tags: [x]\n")
    report = Report()
    labels = load_labels(tmp_path, {"a"}, report)
    assert labels.groups == (("g", ("a",)),)
    assert labels.tags == {}
    assert [p.message for p in report.problems] == [
        "label names no paper: 'ghost'; fix the slug.",
        "label names no paper: 'nobody'; fix the slug.",
    ]


@pytest.fixture(scope="module")
def seed_eval():
    report = Report()
    catalogue = build_catalogue(Project(ROOT), report)
    result = evaluate(catalogue, LABELS, report)
    return catalogue, result, report


def test_labels_name_only_seed_papers_and_cover_enough(seed_eval):
    _, result, report = seed_eval
    assert [str(p) for p in report.problems] == []
    assert result.tags.papers >= 60
    assert result.related.queries >= 100


def test_targets_hold_on_the_seed_catalogue(seed_eval):
    _, result, _ = seed_eval
    assert result.related.p_at_k >= 1.15 * result.anchor.p_at_k
    assert result.tags.precision >= 0.85
    assert result.tags.recall >= 0.80
    assert result.tags.untagged == 0
    assert result.tags.largest_share <= 0.25
