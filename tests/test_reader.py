"""Snippet tests for the scraped-listing reader: bytes in, exact records out."""

from generator.model import Record
from generator.read.listing import read_listing
from generator.read.registry import reader_for
from generator.report import Report

HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    "byAK and the research community\n\n"
)


def read(text: str | bytes) -> tuple[object, Report]:
    report = Report()
    data = text.encode() if isinstance(text, str) else text
    return read_listing("x.txt", data, report), report


def test_reads_header_date_and_blocks_with_lines():
    listing, report = read(
        HEADER + "Mar 19\n\nTitle One\n\nAbstract one.\n\nTitle Two\n\nAbstract two, longer.\n"
    )
    assert listing.date == "Mar 19"
    assert listing.key == "x"
    assert listing.records == (
        Record("Title One", "Abstract one.", "x.txt", 11),
        Record("Title Two", "Abstract two, longer.", "x.txt", 15),
    )
    assert report.problems == []


def test_tolerates_crlf_bom_and_trailing_spaces():
    text = (HEADER + "Mar 19  \n\nTitle One   \n\nAbstract one.  \n").replace("\n", "\r\n")
    listing, report = read(b"\xef\xbb\xbf" + text.encode())
    assert listing.date == "Mar 19"
    assert listing.records == (Record("Title One", "Abstract one.", "x.txt", 11),)
    assert report.problems == []


def test_an_abstract_runs_until_the_next_blank_line():
    listing, _ = read("Mar 1\n\nA Title\n\nFirst line of abstract\ncontinues here.\n\nB\n\nC.\n")
    assert listing.records[0].abstract == "First line of abstract continues here."
    assert listing.records[1] == Record("B", "C.", "x.txt", 8)


def test_missing_date_is_reported_and_papers_still_read():
    listing, report = read("Only Title\n\nIts abstract.\n")
    assert listing.date == ""
    assert [r.title for r in listing.records] == ["Only Title"]
    assert [str(p) for p in report.problems] == [
        "x.txt:1: no capture date line (like 'Mar 19') before the first paper; "
        "the listing is shown without a date."
    ]


def test_date_with_year_is_accepted():
    listing, report = read("Mar 19, 2024\n\nT\n\nA.\n")
    assert listing.date == "Mar 19, 2024"
    assert report.problems == []


def test_title_without_abstract_is_skipped_with_its_line():
    abstract = "We study things. We find that they work well in many settings. " * 6
    listing, report = read(f"Mar 1\n\nLonely Title\n\nReal Title\n\n{abstract}\n")
    assert [r.title for r in listing.records] == ["Real Title"]
    assert [str(p) for p in report.problems] == [
        "x.txt:3: title without abstract ('Lonely Title'); add the abstract after a blank "
        "line, or delete the title."
    ]


def test_trailing_title_without_abstract_is_reported():
    listing, report = read("Mar 1\n\nT\n\nA.\n\nDangling\n")
    assert [r.title for r in listing.records] == ["T"]
    assert "x.txt:7: title without abstract ('Dangling')" in str(report.problems[0])


def test_registry_picks_reader_by_suffix():
    assert reader_for("a/b/listing.TXT") is read_listing
    assert reader_for("notes.pdf") is None
    assert reader_for("README") is None


def test_a_wrapped_title_after_a_one_line_abstract_keeps_every_paper():
    text = (
        "Mar 19\n\nFirst Paper Title\n\nA one-line abstract.\n\n"
        "A Second Paper Whose Title Was\nWrapped Over Two Lines\n\n"
        "This is the abstract of the second paper. It has several sentences.\n\n"
        "Third Paper Title\n\nAbstract three reads like prose. More words.\n"
    )
    report = Report()
    listing = read_listing("x.txt", text.encode(), report)
    assert [(r.title, r.abstract[:20]) for r in listing.records] == [
        ("First Paper Title", "A one-line abstract."),
        ("A Second Paper Whose Title Was Wrapped Over Two Lines", "This is the abstract"),
        ("Third Paper Title", "Abstract three reads"),
    ]
    assert report.problems == []
