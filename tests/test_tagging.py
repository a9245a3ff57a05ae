"""Tagging rules: title-only phrases, the relative floor, borrowed tags, the fast path."""

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.analyse.taxonomy import TITLE_WEIGHT, Tagger, _matches, _phrase, tag_papers
from generator.model import Tag
from generator.pipeline import Project, load_tags, read_listings
from generator.read.merge import merge_papers
from generator.report import Report
from tests.test_render import catalogue_of

ROOT = Path(__file__).resolve().parent.parent
TAGS = (
    Tag("surveys", "Surveys", "Kinds", "Reviews.", ("this survey",), ("survey",)),
    Tag("quantization", "Quantization", "Efficient", "Bits.", ("quantiz*", "int8")),
    Tag("pruning", "Pruning", "Efficient", "Weights.", ("pruning",)),
)


def papers(*records):
    return list(catalogue_of(*records).papers)


def test_title_only_phrases_count_in_titles_but_not_in_abstracts():
    tagger = Tagger(TAGS)
    titled, untitled = papers(
        ("A Survey of Quantization", "We quantize."),
        ("Quantized Models", "A survey shows int8 quantization works; a survey again."),
    )
    assert tagger.scores(titled) == {"surveys": TITLE_WEIGHT, "quantization": TITLE_WEIGHT + 1}
    assert tagger.scores(untitled) == {"quantization": TITLE_WEIGHT + 2}


def test_a_tag_mentioned_in_passing_is_left_out():
    (paper,) = papers(
        (
            "Quantization for Everyone",
            "Quantized int8 quantization beats pruning, and pruning is slow.",
        )
    )
    assert Tagger(TAGS).scores(paper) == {"quantization": 6, "pruning": 2}
    assert Tagger(TAGS).tag(paper) == ("quantization",)  # 2 < 40% of 6


def test_a_paper_no_phrase_matches_borrows_its_nearest_papers_tag():
    report = Report()
    found = papers(
        ("Pruning Sparse Networks", "Pruning sparse networks with magnitude pruning."),
        ("Sparse Networks Again", "Magnitude based sparse networks are small."),
        ("Unrelated Poetry", "Odes and sonnets."),
    )
    tags = tag_papers(found, TAGS, report)
    assert tags["sparse-networks-again"] == ("pruning",)
    assert tags["unrelated-poetry"] == ()  # shares no word with a tagged paper
    assert [p.message[:20] for p in report.problems] == ["no tag matches 'Unre"]


def _compile(patterns) -> re.Pattern[str] | None:
    """The phrases as one regular expression: what the tagger's fast path must match."""
    parts = [re.escape(p[:-1]) + r"[\w-]*" if p.endswith("*") else re.escape(p) for p in patterns]
    if not parts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def test_the_fast_path_scores_exactly_like_the_plain_expressions():
    report = Report()
    project = Project(ROOT)
    seeds = merge_papers(read_listings(project.listings_dir, report), report)
    tags = load_tags(project, report)
    tagger = Tagger(tags)
    for paper in seeds:
        title, abstract = paper.title.lower(), paper.abstract.lower()
        expected = {}
        for tag in tags:
            in_title = _compile(tag.patterns + tag.title_patterns)
            in_abstract = _compile(tag.patterns)
            score = TITLE_WEIGHT * len(set(in_title.findall(title))) if in_title else 0
            score += min(3, len(in_abstract.findall(abstract))) if in_abstract else 0
            if score:
                expected[tag.slug] = score
        assert tagger.scores(paper) == expected, paper.slug


PHRASE = st.text(alphabet="ab -_.é*", min_size=1, max_size=5).filter(lambda p: p.removesuffix("*"))


@given(st.lists(PHRASE, min_size=1, max_size=4), st.text(alphabet="ab -_.é*x", max_size=40))
def test_phrase_matching_finds_what_the_regular_expression_finds(phrases, text):
    assert _matches(text, [_phrase(p) for p in phrases]) == _compile(phrases).findall(text)
