"""Mentions: which titles carry a coined name, where abstracts name it, how it renders."""

import pytest

from generator.analyse.mentions import cached_mentions, paper_name
from generator.cache import Cache
from generator.render.pages import render_paper
from tests.test_render import catalogue_of


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("MathVista: Evaluating Mathematical Reasoning", "MathVista"),
        ("ColBERT: Efficient and Effective Passage Search", "ColBERT"),
        ("HiP Attention: Sparse Sub-Quadratic Attention", "HiP Attention"),
        ("LLM.int8(): 8-bit Matrix Multiplication", "LLM.int8()"),
        ("CLEX: Continuous Length Extrapolation", "CLEX"),
        ("CodeGen2: Lessons for Training LLMs", "CodeGen2"),
        ("Alchemy: Amplifying Theorem-Proving Capability", None),  # a plain word
        ("Polymath: A Challenging Benchmark", None),
        ("Compressing LLMs: The Truth is Rarely Pure", None),  # generic acronym only
        ("In-Context Language Learning: Architectures and Algorithms", None),
        ("A Survey of Quantization Methods for Efficient Inference", None),  # no colon
        ("Physics of Language Models: Part 3.3, Knowledge Capacity", None),  # too long
    ],
)
def test_paper_name_only_for_coined_names(title, name):
    assert paper_name(title) == name


def test_abstracts_link_names_of_other_papers_only():
    catalogue = catalogue_of(
        ("MathVista: Evaluating Math in Visual Contexts", "A benchmark. MathVista is ours."),
        (
            "Open Eyes: Visual Math in MLLMs",
            "We beat GPT-4V on MathVista, and MathVista's harder split; not mathvista.",
        ),
        ("Alchemy: Theorem Proving", "An alchemy of methods. Alchemy again."),
        ("Uses Alchemy", "We use Alchemy and MathVistas."),
    )
    mentions = cached_mentions(list(catalogue.papers), Cache(None))
    assert set(mentions) == {"open-eyes-visual-math-in-mllms"}
    found = mentions["open-eyes-visual-math-in-mllms"]
    abstract = catalogue.by_slug["open-eyes-visual-math-in-mllms"].abstract
    assert [abstract[m.start : m.end] for m in found] == ["MathVista", "MathVista"]
    assert {m.slug for m in found} == {"mathvista-evaluating-math-in-visual-contexts"}


def test_mention_links_render_escaped_with_spaces_kept():
    catalogue = catalogue_of(
        ("DynaMath_2: A <Benchmark>", "Dynamic *math*."),
        ("Robust Math", "Tested on DynaMath_2 <b>and</b> more."),
    )
    page = render_paper(catalogue, catalogue.by_slug["robust-math"])
    assert (
        "Tested on [DynaMath\\_2](dynamath-2-a-benchmark.md) &lt;b&gt;and&lt;/b&gt; more\\.\n"
        in page
    )
    assert "names this paper" not in page
    assert "named in this abstract" in page
