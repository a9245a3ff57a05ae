"""The hostile corpus through the pure stages: every byte parses, good papers survive,
every problem is reported with its exact text, and slugs stay safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline import read_listings
from generator.read.listing import read_listing
from generator.read.merge import merge_papers
from generator.read.slugs import SLUG_MAX
from generator.report import Report
from tests import hostile

SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CASES = hostile.cases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    """The corpus read and merged as the build does it."""
    folder = tmp_path_factory.mktemp("hostile") / "listings"
    hostile.write(folder)
    report = Report()
    listings = read_listings(folder, report)
    papers = merge_papers(listings, report)
    return listings, papers, report


def test_every_expected_warning_exactly_and_nothing_else(corpus):
    _, _, report = corpus
    expected = [warning for case in CASES for warning in case.warnings]
    assert [str(problem) for problem in report.problems] == expected


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_file_alone_gives_its_papers_and_warnings(case: hostile.Case):
    report = Report()
    listing = read_listing(case.name, case.data, report)
    titles = [record.title for record in listing.records]
    # A conflict is a property of two files; alone, the later file has no warning.
    conflict = any("same title as" in warning for warning in case.warnings)
    assert [str(p) for p in report.problems] == ([] if conflict else list(case.warnings))
    assert titles == [" ".join(title.split()) for title in case.papers + case.replaced]


def test_no_good_paper_is_lost(corpus):
    _, papers, _ = corpus
    titles = {paper.title for paper in papers}
    for case in CASES:
        for title in case.papers:
            assert title in titles, (case.name, title)


def test_conflict_is_resolved_by_the_later_listing(corpus):
    _, papers, _ = corpus
    (paper,) = [p for p in papers if p.key == "conflicting arithmetic paper"]
    assert paper.title == "Conflicting arithmetic paper."
    assert "the second version" in paper.abstract
    assert paper.listings == ("h15-conflict-a", "h16-conflict-b")
    assert paper.sources == (("h15_conflict_a.txt", 11), ("h16_conflict_b.txt", 11))


def test_invalid_bytes_are_replaced_not_dropped(corpus):
    _, papers, _ = corpus
    (paper,) = [p for p in papers if p.title == "Arithmetic with Broken Bytes"]
    assert paper.abstract.startswith("We study \ufffd\ufffd\ufffd with Broken Bytes")


def test_a_long_title_is_cut_to_its_limit_with_a_bounded_slug(corpus):
    _, papers, _ = corpus
    (paper,) = [p for p in papers if p.title == hostile.LONG_TITLE_SHOWN]
    assert len(paper.title) == 996 and paper.title.endswith("very very…")
    assert len(paper.slug) <= SLUG_MAX and SAFE_SLUG.match(paper.slug)


def test_a_megabyte_abstract_is_cut_to_its_limit(corpus):
    _, papers, _ = corpus
    (paper,) = [p for p in papers if p.title == "Arithmetic at Megabyte Length"]
    assert 19_900 < len(paper.abstract) <= 20_000 and paper.abstract.endswith(" digit…")


def test_every_slug_is_safe_unique_and_not_an_index(corpus):
    listings, papers, _ = corpus
    for slugs in ([p.slug for p in papers], [listing.slug for listing in listings]):
        assert len(set(slugs)) == len(slugs)
        assert all(SAFE_SLUG.match(slug) and len(slug) <= SLUG_MAX for slug in slugs)
        assert "index" not in slugs
    path_slugs = {p.title: p.slug for p in papers if p.title in hostile.PATH_TITLES}
    assert path_slugs["../../x"] == "x"
    assert path_slugs["注意力机制的算术推理"].startswith("zhu-yi-li-")  # transliterated
    assert path_slugs["???"].startswith("paper-") and path_slugs["🙂🙂🙂"].startswith("paper-")
    assert path_slugs["Index"] != "index"


def test_listings_with_alike_names_get_a_page_each(corpus):
    listings, _, _ = corpus
    slugs = {listing.source: listing.slug for listing in listings}
    assert slugs["h19 same stem.txt"] == "h19-same-stem"
    assert slugs["h19-same-stem.txt"].startswith("h19-same-stem-")
    assert slugs["index.txt"].startswith("index-")
    assert slugs["nested/h21_nested.txt"] == "h21-nested"


def test_binary_file_is_skipped_but_stray_nul_bytes_are_not():
    report = Report()
    text = b"Mar 1\n\nA Title\n\nAn abstract with a stray \x00 byte. It is still read.\n"
    listing = read_listing("nul.txt", text, report)
    assert [r.abstract for r in listing.records] == [
        "An abstract with a stray  byte. It is still read."
    ]
    assert [str(p) for p in report.problems] == [
        "nul.txt:5: contains NUL bytes, which were dropped; save the file as plain UTF-8 text."
    ]


def test_invisible_characters_neither_split_a_paper_nor_reorder_its_page():
    abstract = "We study hidden characters. They hide nothing here."
    listing = f"Mar 3\n\nZero\u200bWidth Trans\u00adformers\n\n{abstract}\n\n"
    listing += f"ZeroWidth Transformers\n\n{abstract}\n\n"
    listing += "Bidi \u202eEvil\u202c Title \u2067Isolated\u2069\n\nAn abstract\u202e. Words.\n"
    report = Report()
    read = read_listing("x.txt", listing.encode(), report)
    papers = merge_papers([read], report)
    assert [(p.title, p.abstract) for p in papers] == [
        ("ZeroWidth Transformers", abstract),
        ("Bidi Evil Title Isolated", "An abstract. Words."),
    ]
    assert not report.problems


def test_bad_utf16_is_named_as_such():
    report = Report()
    data = "Mar 1\n\nT\n\nA.\n".encode("utf-16-le")
    listing = read_listing("w.txt", b"\xff\xfe" + data + b"\x00\xd8", report)
    assert [r.title for r in listing.records] == ["T"]
    assert [str(p) for p in report.problems] == [
        "w.txt:6: not valid UTF-16; bad bytes were replaced with U+FFFD. Save the file as UTF-8."
    ]


def test_a_file_with_no_utf8_in_it_is_read_as_windows_1252_in_every_reader():
    from generator.read.bibtex import read_bibtex
    from generator.read.records import read_yaml_records

    text = "Mar 19\n\nCaf\u00e9 \u201cQuoted\u201d Models\n\nAn abstract \u2013 dashed.\n"
    report = Report()
    [record] = read_listing("w.txt", text.encode("cp1252"), report).records
    assert (record.title, record.abstract) == (
        "Caf\u00e9 \u201cQuoted\u201d Models",
        "An abstract \u2013 dashed.",
    )
    yaml_text = "title: Caf\u00e9 Models\nabstract: M\u00fcller's \u201cmodels\u201d.\n"
    [paper] = read_yaml_records("p.yaml", yaml_text.encode("cp1252"), report)
    assert paper.abstract == "M\u00fcller's \u201cmodels\u201d."
    bib = "@article{k,\n  title = {Caf\u00e9 Models},\n  author = {M\u00fcller, Ann},\n}\n"
    [entry] = read_bibtex("refs.bib", bib.encode("cp1252"), report)
    assert entry.authors == ("Ann M\u00fcller",)
    read_as = "not UTF-8; read as Windows-1252. Save the file as UTF-8."
    assert [str(p) for p in report.problems] == [
        f"w.txt:3: {read_as}",
        f"p.yaml:1: {read_as}",
        f"refs.bib:2: {read_as}",
    ]
    # One UTF-8 character says the file is UTF-8: its bad bytes are bad, not Windows-1252.
    report = Report()
    [record] = read_listing("u.txt", text.encode() + b"\xe9\n", report).records
    assert record.abstract == "An abstract \u2013 dashed. \ufffd"
    assert [p.message for p in report.problems] == [
        "not valid UTF-8; bad bytes were replaced with U+FFFD. Save the file as UTF-8."
    ]


def test_unreadable_and_unknown_files_are_reported_and_skipped(tmp_path: Path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("Mar 1\n\nT\n\nA.\n")
    (tmp_path / "ok.txt").write_text("Mar 1\n\nT\n\nA.\n")
    report = Report()
    listings = read_listings(tmp_path, report)
    assert [listing.source for listing in listings] == ["ok.txt"]
    assert [str(p) for p in report.problems] == [
        ".hidden.txt: hidden (its name starts with a dot); not read.",
        "notes.pdf: no reader for this file type; use one of .txt or move it out of "
        "site_src/listings.",
    ]


def test_summary_names_every_file_with_warnings(corpus):
    _, _, report = corpus
    bad = [case.name for case in CASES if case.bad]
    summary = report.summary(others=2)
    counts = ", ".join(f"{case.name} ({len(case.warnings)})" for case in CASES if case.bad)
    total = sum(len(case.warnings) for case in CASES) + 2
    assert summary == f"{total} warning(s) in {len(bad) + 1} file(s): {counts}, MkDocs (2)."
    assert Report().summary() == "No warnings."


# Pieces a scraped listing is made of, and pieces that break naive parsers.
_PIECES = st.sampled_from(
    [
        "new",
        "Subscribe",
        "Mar 19",
        "Mar 19, 2024",
        "2024-03-19",
        "",
        " ",
        "\t",
        "A Title",
        "Another Title: With a Colon",
        "We study things. We find that they work. Results hold.",
        "x" * 400,
        "<script>alert(1)</script>",
        "---",
        "\x00",
        "\ufeff",
        "\u2028",
        "\x0c",
        "🙂",
        "注意力",
        "\\(\\(\\(",
        "https://github.com/a/b).",
    ]
)
_NEWLINES = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000))
def test_any_bytes_parse_without_raising(data: bytes):
    report = Report()
    listing = read_listing("fuzz.txt", data, report)
    _check_listing(listing, report)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_PIECES, _NEWLINES), max_size=60), st.sampled_from(["utf-8", "utf-16"]))
def test_listing_shaped_text_parses_and_merges(pieces, encoding: str):
    data = "".join(piece + newline for piece, newline in pieces).encode(encoding)
    report = Report()
    listing = read_listing("fuzz.txt", data, report)
    _check_listing(listing, report)
    papers = merge_papers([listing], report)
    assert len({paper.slug for paper in papers}) == len(papers)
    assert all(SAFE_SLUG.match(paper.slug) for paper in papers)


def _check_listing(listing, report: Report) -> None:
    for record in listing.records:
        assert record.title.strip() and record.abstract.strip()
        assert record.line >= 1 and record.source == "fuzz.txt"
    for problem in report.problems:
        assert problem.source == "fuzz.txt" and problem.line >= 1
        assert problem.message.endswith(".")
