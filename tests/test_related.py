"""Related links: ranking, tie-breaking by slug, reasons, and papers sharing nothing."""

from generator.related import related_papers
from tests.test_render import catalogue_of


def test_ranking_reasons_and_ties():
    catalogue = catalogue_of(
        ("Linear Attention for Long Context", "Linear attention scales to long context."),
        ("Lightning Linear Attention", "Linear attention kernels for long context, fast."),
        ("Twin B", "Odes about sonnets."),
        ("Twin A", "Odes about sonnets."),
        ("Poems", "Odes about sonnets and more odes."),
    )
    papers = list(catalogue.papers)
    related = related_papers(papers, catalogue.paper_tags, count=2)
    assert related == related_papers(papers, catalogue.paper_tags, count=2)  # deterministic
    first = related["linear-attention-for-long-context"][0]
    assert first.slug == "lightning-linear-attention"
    assert "attention" in " ".join(first.shared_terms)
    assert [r.slug for r in related["poems"]] == ["twin-a", "twin-b"]  # tie: slug order
    assert all(p.slug not in [r.slug for r in related[p.slug]] for p in papers)


def test_named_papers_are_related_and_flagged():
    catalogue = catalogue_of(
        ("MathVista: Visual Math", "A benchmark of diagrams."),
        ("Something Else", "We evaluate on MathVista."),
        ("Unrelated", "Odes about sonnets."),
    )
    related = catalogue.related["something-else"]
    assert related[0].slug == "mathvista-visual-math" and related[0].named
    assert not any(r.named for r in catalogue.related["unrelated"])


def test_papers_sharing_nothing_still_get_links():
    catalogue = catalogue_of(("Alpha", "Odes."), ("Beta", "Sonnets."))
    assert [r.slug for r in catalogue.related["alpha"]] == ["beta"]
    assert catalogue.related["alpha"][0].shared_terms == ()
