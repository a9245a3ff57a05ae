"""Abstract clean-up and link extraction."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import Link
from generator.read.text import classify_link, clean_abstract, extract_links, title_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (r"cost by 41.5\%. These", "cost by 41.5%. These"),
        (r"we construct {\sc MwpBench}, a benchmark", "we construct MwpBench, a benchmark"),
        (r"achieving up to 5.18\times$ latency", "achieving up to 5.18× latency"),
        (r"One For All (\textsc{Ofa}), which", "One For All (Ofa), which"),
        (r"language models~(LLMs) for", "language models (LLMs) for"),
        (r"the ``tensor-type'' attention", "the “tensor-type” attention"),
        ("inference by 2times with", "inference by 2× with"),
        ("literal <EOS> and a < b stay", "literal <EOS> and a < b stay"),
        ("a ~15% improvement", "a ~15% improvement"),
    ],
)
def test_clean_abstract(raw: str, clean: str) -> None:
    assert clean_abstract(raw) == clean


def test_links_lose_glued_punctuation_and_are_classified():
    text = (
        "Code: https://github.com/xinghaochen/TinySAM and github.com/OpenNLPLab/Transnormer. "
        "Page https://mathvista.github.io/. Data at "
        "https://huggingface.co/datasets/Infi-MM/InfiMM-WebMath-40B. Model "
        "https://huggingface.co/nvidia/NV-Embed-v1. See (https://aka.ms/MInference)."
    )
    assert extract_links(text) == (
        Link("https://github.com/xinghaochen/TinySAM", "code", "xinghaochen/TinySAM"),
        Link("https://github.com/OpenNLPLab/Transnormer", "code", "OpenNLPLab/Transnormer"),
        Link("https://mathvista.github.io/", "project", "mathvista.github.io"),
        Link(
            "https://huggingface.co/datasets/Infi-MM/InfiMM-WebMath-40B",
            "dataset",
            "Infi-MM/InfiMM-WebMath-40B",
        ),
        Link("https://huggingface.co/nvidia/NV-Embed-v1", "model", "nvidia/NV-Embed-v1"),
        Link("https://aka.ms/MInference", "other", "aka.ms/MInference"),
    )


def test_balanced_parentheses_stay_in_url():
    assert (
        extract_links("see https://en.wikipedia.org/wiki/A_(b).")[0].url
        == "https://en.wikipedia.org/wiki/A_(b)"
    )


def test_only_web_urls_are_links():
    assert extract_links("javascript:alert(1) and ftp://x.org/y") == ()


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://gitee.com/mindspore/models/tree/master", "code"),
        ("https://github.com/", "other"),
        ("https://sites.google.com/view/mend-editing", "project"),
    ],
)
def test_classify(url: str, kind: str) -> None:
    assert classify_link(url) == kind


def test_title_key_ignores_case_space_and_punctuation():
    assert title_key("Teaching  Arithmetic to Small Transformers.") == title_key(
        "teaching arithmetic to small transformers"
    )


def _clean_every_pattern(raw: str) -> str:
    """clean_abstract without its shortcuts: every pattern runs on every abstract."""
    from generator.read import text as t

    out = t._INLINE_MATH.sub(r"\1", raw)
    out = t._DOLLAR_MATH.sub(r"\1", out)
    for _ in range(3):
        out = t._STYLED_GROUP.sub(r"\1", out)
        out = t._TEXT_COMMAND.sub(r"\1", out)
    out = t._ESCAPED_CHAR.sub(r"\1", out)
    out = t._SYMBOL.sub(t._symbol, out)
    out = t._STRAY_DOLLAR.sub("", out)
    out = t._FLAT_TIMES.sub("×", out)
    out = t._FLAT_OTIMES.sub("⊗", out)
    out = t._FLAT_SIM.sub("~", out)
    out = t._FLAT_MATHCAL.sub(r"\1", out)
    out = t._FLAT_LEFT_RIGHT.sub(r"\1\2\3\4", out)
    out = t._TILDE_SPACE.sub(" ", out)
    out = t._OPENING_QUOTES.sub("“", out.replace("``", "“")).replace("''", "”")
    return t._SPACES.sub(" ", out).strip()


LATEX_BITS = st.sampled_from(
    [
        "\\",
        "$",
        "{",
        "}",
        "~",
        "`",
        "'",
        "(",
        ")",
        "%",
        "sc ",
        "textbf",
        "alpha",
        "times",
        "2",
        " ",
        "x",
        "A",
        "\\(",
        "\\)",
        "\\%",
        "{\\bf ",
        "\\times",
        "sim",
        "otimes",
        "mathcal{",
        "left(",
        "right)",
        "O",
    ]
)


@settings(max_examples=500)
@given(st.lists(LATEX_BITS, max_size=30).map("".join))
def test_clean_abstract_shortcuts_change_nothing(raw):
    assert clean_abstract(raw) == _clean_every_pattern(raw)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("achieving 3.72sim4.11times inference speedup", "achieving 3.72~4.11× inference speedup"),
        ("saving sim4.4 million hours (sim50\\%)", "saving ~4.4 million hours (~50%)"),
        ("a risk of mathcal{O}(mathcal{C_Phi/m} + x)", "a risk of O(C_Phi/m + x)"),
        ("to Oleft(n^{1.5}dright) from Oleft(n^2right)", "to O(n^{1.5}d) from O(n^2)"),
        ("the paradigm ``LLMotimesKG'' treats", "the paradigm “LLM⊗KG” treats"),
        ("a ''quoted'' word, $a \\otimes b$", "a “quoted” word, a ⊗ b"),
        ("show that \\model achieves", "show that model achieves"),
        # words that only look like flattened commands stay
        ("simple similarity, the bright) day", "simple similarity, the bright) day"),
        ("leftover (x right) and sometimes 3 times", "leftover (x right) and sometimes 3 times"),
    ],
)
def test_latex_the_scraper_flattened_reads_as_text(raw, clean):
    assert clean_abstract(raw) == clean
