"""Related links: ranking, tie-breaking by slug, reasons, and papers sharing nothing."""

from generator.analyse.related import related_papers
from generator.analyse.vectors import document
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


def test_idf_over_a_fixed_reference_leaves_other_papers_vectors_alone():
    from generator.analyse.vectors import vectorize

    catalogue = catalogue_of(
        ("Sparse attention", "Sparse attention for long context and kernels."),
        ("Linear attention", "Linear attention kernels for long context."),
        ("Token pruning", "Pruning tokens for long context inference."),
        ("Odes", "Odes about sonnets and kernels."),
    )
    papers = list(catalogue.papers)
    more = list(
        catalogue_of(
            *[(p.title, p.abstract) for p in papers],
            ("Kernel fusion", "Fused attention kernels for long context."),
        ).papers
    )
    reference = [document(p) for p in papers]
    before, terms, _ = vectorize(papers, reference)
    after, more_terms, _ = vectorize(more, reference)
    index = {p.slug: i for i, p in enumerate(more)}
    for i, paper in enumerate(papers):
        old = before[i]
        new = after[index[paper.slug]]
        assert dict(zip(terms[old.indices], old.data, strict=True)) == dict(
            zip(more_terms[new.indices], new.data, strict=True)
        )


def test_reference_size_steps_at_two_significant_bits():
    from generator.analyse.vectors import REFERENCE_FROM, reference_size

    assert reference_size(250) == 250
    assert reference_size(REFERENCE_FROM - 1) == REFERENCE_FROM - 1
    assert [reference_size(n) for n in (9_992, 10_042, 12_288, 50_000)] == [
        8192,
        8192,
        12288,
        49152,
    ]


def test_first_seen_gives_the_text_a_paper_first_appeared_with():
    from generator.model import Listing, Record
    from generator.read.merge import first_seen, merge_papers
    from generator.report import Report

    first = Listing("a", "a", "a.txt", "", (Record("Title", "First text.", "a.txt", 3),))
    later = Listing("b", "b", "b.txt", "", (Record("Title", "Second text.", "b.txt", 3),))
    [paper] = merge_papers([first, later], Report())
    assert paper.abstract == "Second text."
    assert first_seen([first, later], [paper])[0].abstract == "First text."
    assert first_seen([first], [paper])[0].abstract == "First text."


def test_term_counts_are_what_scikit_learn_counts():
    from sklearn.feature_extraction.text import CountVectorizer

    from generator.analyse.vectors import STOP_WORDS, count_terms

    docs = [
        "Linear attention: linear-time kernels for long context, and the KV cache.",
        "The the of and; x y z 3d 4-bit quantiz-ation Ümlaut naïve",
        "",
        "Sparse attention sparse attention",
    ]
    reference = CountVectorizer(
        stop_words=STOP_WORDS, ngram_range=(1, 2), token_pattern=r"(?u)\b[a-zA-Z][\w-]+\b"
    )
    expected = reference.fit_transform(docs)
    counts, terms = count_terms(docs)
    order = [list(terms).index(t) for t in reference.get_feature_names_out()]
    assert sorted(terms) == list(reference.get_feature_names_out())
    assert (counts[:, order].toarray() == expected.toarray()).all()


def test_the_stop_words_are_scikit_learns():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from generator.analyse.stop_words import ENGLISH_STOP_WORDS as copied

    assert copied == ENGLISH_STOP_WORDS


def test_unit_rows_is_scikit_learns_normalize():
    import numpy as np
    from scipy.sparse import csr_matrix, random
    from sklearn.preprocessing import normalize

    from generator.analyse.vectors import unit_rows

    matrix = csr_matrix(random(40, 30, density=0.1, random_state=7, dtype=np.float64))
    matrix.data += 0.5
    assert np.diff(matrix.indptr).min() == 0  # empty rows, which stay empty
    got, expected = unit_rows(matrix), normalize(matrix)
    assert (got.indptr == expected.indptr).all() and (got.indices == expected.indices).all()
    assert np.allclose(got.data, expected.data, rtol=1e-15, atol=0)
    assert np.allclose(np.sqrt(got.multiply(got).sum(axis=1)).A1[np.diff(got.indptr) > 0], 1)
    assert unit_rows(csr_matrix((3, 4))).nnz == 0


def test_building_does_not_import_scikit_learn():
    import subprocess
    import sys

    code = "import sys, generator.cli; assert 'sklearn' not in sys.modules, 'imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_row_blocks_scored_on_several_threads_give_the_one_thread_result(monkeypatch):
    from generator.analyse import related, scores, vectors
    from generator.bench import synth
    from generator.read.listing import read_listing
    from generator.read.merge import merge_papers
    from generator.report import Report
    from tests.test_scale import SEEDS

    report = Report()
    files = synth.catalogue(SEEDS, 600)
    listings = [read_listing(name, text.encode(), report) for name, text in files.items()]
    papers = sorted(merge_papers(listings, report), key=lambda p: p.slug)
    tags = {p.slug: ("a",) if n % 3 else ("a", "b") for n, p in enumerate(papers)}
    monkeypatch.setattr(scores, "CELLS", 600 * 64)  # blocks of 64 rows: ten of them
    monkeypatch.setattr(scores, "EXACT_BELOW", 100)  # the candidate path, as at scale
    monkeypatch.setattr(vectors, "REFERENCE_FROM", 100)
    monkeypatch.setattr(related.os, "cpu_count", lambda: 4)
    threaded = related.related_papers(papers, tags)
    monkeypatch.setattr(related.os, "cpu_count", lambda: 1)
    assert related.related_papers(papers, tags) == threaded
    assert all(len(links) == related.RELATED_COUNT for links in threaded.values())
