"""papers.json: one paper per line, valid JSON, in a fixed order."""

import json
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from generator.exports.papers import papers_json
from tests.test_render import catalogue_of


def sample():
    return catalogue_of(
        ("Sparse attention", "Sparse attention for arithmetic."),
        ("Dense attention", 'Dense attention \u2028 for arithmetic, "quoted" \U0001f600.'),
        ("Token pruning", "Pruning   tokens."),
    )


def test_papers_json_is_one_compact_line_per_paper_sorted_by_slug():
    catalogue = sample()
    data = papers_json(catalogue)
    lines = data.decode().split("\n")
    assert lines[0] == "[" and lines[-2:] == ["]", ""]
    assert len(lines) == len(catalogue.papers) + 3
    parsed = json.loads(data)
    assert [p["slug"] for p in parsed] == sorted(p.slug for p in catalogue.papers)
    for line, paper in zip(lines[1:-2], parsed, strict=True):
        assert json.loads(line.rstrip(",")) == paper
        assert line.rstrip(",") == json.dumps(
            paper, ensure_ascii=False, separators=(",", ":"), sort_keys=True
        )
    assert "\U0001f600" in data.decode()  # text as written, not \\u escapes
    assert papers_json(catalogue, ()) == b"[]\n"


def test_raw_abstract_only_when_cleaning_changed_it_and_related_best_first():
    catalogue = sample()
    by_slug = {p["slug"]: p for p in json.loads(papers_json(catalogue))}
    for paper in catalogue.papers:
        out = by_slug[paper.slug]
        if paper.raw_abstract == paper.abstract:
            assert "raw_abstract" not in out
        else:
            assert out["raw_abstract"] == paper.raw_abstract
        related = catalogue.related.get(paper.slug, ())
        assert out["related"] == [r.slug for r in related]
        assert related and "related_reasons" not in out  # the page gives the reasons
    assert any("raw_abstract" in p for p in by_slug.values())  # "Pruning   tokens."


@given(st.text(), st.text())
def test_any_title_and_abstract_stay_on_their_line(title, abstract):
    catalogue = catalogue_of(("Fixed title", "Fixed abstract."))
    paper = catalogue.papers[0]
    odd = replace(paper, title=title, abstract=abstract, raw_abstract=abstract)
    data = papers_json(catalogue, [odd]).decode()
    assert data.count("\n") == 3
    assert json.loads(data)[0]["title"] == title
