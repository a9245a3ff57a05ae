"""Structured record readers (YAML, JSON, BibTeX) and their validation, good and bad input.

Every paper, person and arXiv id here is FICTIONAL (ids use numbers no month has reached).
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import PaperRecord
from generator.read.arxiv import base_id, hf_paper_url, parse_arxiv_id
from generator.read.bibtex import read_bibtex
from generator.read.records import parse_date, read_json_records, read_yaml_records
from generator.read.registry import record_reader_for
from generator.report import Report

YAML_SOURCE = "site_src/papers/fictional.yaml"


def messages(report: Report) -> list[str]:
    return [str(problem) for problem in report.problems]


def read_yaml(text: str) -> tuple[tuple[PaperRecord, ...], list[str]]:
    report = Report()
    records = read_yaml_records(YAML_SOURCE, text.encode(), report)
    return records, messages(report)


# arXiv ids and dates ---------------------------------------------------------------


def test_arxiv_ids_in_both_schemes_are_accepted():
    assert parse_arxiv_id("2401.99999") == "2401.99999"
    assert parse_arxiv_id("2401.99999v3") == "2401.99999v3"
    assert parse_arxiv_id(" arXiv:2401.99999 ") == "2401.99999"
    assert parse_arxiv_id("0704.0001") == "0704.0001"
    assert parse_arxiv_id("1412.9999") == "1412.9999"
    assert parse_arxiv_id("hep-th/9901001") == "hep-th/9901001"
    assert parse_arxiv_id("math.GT/0309136v2") == "math.GT/0309136v2"


def test_malformed_arxiv_ids_are_refused():
    for bad in (
        "1234.5",  # too few digits
        "2401.9999",  # five digits since 2015
        "1412.12345",  # four digits before 2015
        "0703.0001",  # the new scheme started in April 2007
        "2413.00001",  # no month 13
        "2401.99999v0",
        "hep-th/9913001",  # no month 13
        "hep-th/0801001",  # the old scheme ended in March 2007
        "https://arxiv.org/abs/2401.99999",
        "",
    ):
        assert parse_arxiv_id(bad) is None, bad


def test_arxiv_pages_use_the_id_without_its_version():
    assert base_id("2401.99999v2") == "2401.99999"
    assert hf_paper_url("2401.99999v2") == "https://huggingface.co/papers/2401.99999"
    assert hf_paper_url("hep-th/9901001") is None


def test_dates_must_exist_in_the_calendar():
    assert parse_date("2024-02-29") == "2024-02-29"
    assert parse_date("2024-03") == "2024-03"
    assert parse_date("2024") == "2024"
    for bad in ("2023-02-29", "2024-13", "March 2024", "24-01-01", "2024/01/01"):
        assert parse_date(bad) is None, bad


# YAML ----------------------------------------------------------------------------------


def test_yaml_record_with_every_field():
    records, problems = read_yaml(
        "title: A Fictional Study of Example Records\n"
        "abstract: We study nothing.\n"
        "authors: [Ada Example, Bob Sample]\n"
        "arxiv_id: 2401.99990\n"
        "published: 2024-01-15\n"
        "venue: Fictional Conference 2024\n"
        "links: [https://example.org/code]\n"
        "tags: [Quantization]\n"
    )
    assert problems == []
    assert records == (
        PaperRecord(
            title="A Fictional Study of Example Records",
            source=YAML_SOURCE,
            line=1,
            abstract="We study nothing.",
            authors=("Ada Example", "Bob Sample"),
            arxiv_id="2401.99990",  # YAML would read a float and drop the trailing zero
            published="2024-01-15",
            venue="Fictional Conference 2024",
            links=("https://example.org/code",),
            tags=("Quantization",),
        ),
    )


def test_yaml_list_of_records_keeps_each_records_line():
    records, problems = read_yaml(
        "# fictional\n- title: First Fictional Paper\n\n- title: Second Fictional Paper\n"
    )
    assert problems == []
    assert [(r.title, r.line) for r in records] == [
        ("First Fictional Paper", 2),
        ("Second Fictional Paper", 4),
    ]


def test_bad_fields_are_reported_with_their_line_and_the_rest_is_kept():
    records, problems = read_yaml(
        "- title: A Fictional Paper\n"
        "  autors: [Ada Example]\n"
        "  arxiv_id: '1234.5'\n"
        "  published: 2023-02-29\n"
        "  authors: Ada Example, Bob Sample\n"
        "  links: [ftp://example.org/file, https://example.org/ok]\n"
        "  venue: [not, text]\n"
    )
    assert problems == [
        f"{YAML_SOURCE}:2: unknown field 'autors'; did you mean 'authors'? it was ignored. "
        "Known fields: title, abstract, authors, arxiv_id, published, venue, links, tags.",
        f"{YAML_SOURCE}:3: bad arXiv id '1234.5'; write an arXiv id like 2307.03381, "
        "2307.03381v2 or hep-th/9901001.",
        f"{YAML_SOURCE}:4: bad date '2023-02-29'; write the publication date as YYYY-MM-DD, "
        "YYYY-MM or YYYY.",
        f"{YAML_SOURCE}:5: 'authors' must be a list, not text; write it as [first, second].",
        f"{YAML_SOURCE}:6: link 'ftp://example.org/file' is not an http(s) URL; it was dropped.",
        f"{YAML_SOURCE}:7: 'venue' must be text, not a list; put the value in quotes.",
    ]
    assert records == (
        PaperRecord(
            title="A Fictional Paper",
            source=YAML_SOURCE,
            line=1,
            links=("https://example.org/ok",),
        ),
    )


def test_record_without_title_and_non_mapping_items_are_skipped():
    records, problems = read_yaml(
        "- abstract: An abstract without a title.\n- just a string\n- title: Kept Fictional Paper\n"
    )
    assert [r.title for r in records] == ["Kept Fictional Paper"]
    assert problems == [
        f"{YAML_SOURCE}:2: a record must be a mapping of fields (title: ...); skipped.",
        f"{YAML_SOURCE}:1: record without a title was skipped; add 'title:'.",
    ]


def test_invalid_yaml_is_reported_with_its_line():
    records, problems = read_yaml("- title: Fine\n- title: [unclosed\n")
    assert records == ()
    assert len(problems) == 1
    assert problems[0].startswith(f"{YAML_SOURCE}:3: not valid YAML (")
    assert problems[0].endswith("no record in this file was read. Fix the syntax.")


def test_yaml_tags_never_run_and_aliases_never_expand():
    records, problems = read_yaml(
        "title: !!python/object/apply:os.system ['echo hacked']\n"
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "authors: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    )
    assert records == ()  # the title is a list, so the record has none
    assert f"{YAML_SOURCE}:1: 'title' must be text, not a list; put the value in quotes." in (
        problems
    )
    assert any("'authors' entry" in message for message in problems)


def test_empty_file_is_reported():
    records, problems = read_yaml("# nothing yet\n")
    assert records == ()
    assert problems == [
        f"{YAML_SOURCE}: no records found; write a record (title: ...) or a list of them."
    ]


# JSON ----------------------------------------------------------------------------------


def test_json_records_and_field_lines():
    report = Report()
    text = (
        "[\n"
        '  {"title": "First Fictional Paper", "authors": ["Ada Example"]},\n'
        '  {"title": "Second Fictional Paper",\n'
        '   "arxiv_id": 2401.9999,\n'
        '   "bogus": true}\n'
        "]\n"
    )
    records = read_json_records("site_src/papers/f.json", text.encode(), report)
    assert [(r.title, r.line, r.authors) for r in records] == [
        ("First Fictional Paper", 2, ("Ada Example",)),
        ("Second Fictional Paper", 3, ()),
    ]
    assert messages(report) == [
        "site_src/papers/f.json:4: 'arxiv_id' must be text, not a number; put the value in quotes.",
        "site_src/papers/f.json:5: unknown field 'bogus'; it was ignored. Known fields: title, "
        "abstract, authors, arxiv_id, published, venue, links, tags.",
    ]


def test_invalid_json_is_reported_with_its_line():
    report = Report()
    records = read_json_records("f.json", b'{\n "title": "x",\n}\n', report)
    assert records == ()
    assert messages(report) == [
        "f.json:3: not valid JSON (Expecting property name enclosed in double quotes); "
        "no record in this file was read. Fix the syntax."
    ]


# BibTeX --------------------------------------------------------------------------------

BIB = r"""% FICTIONAL entries
@string{fw = "Proceedings of the Fictional Workshop"}

@inproceedings{example2024,
  title = {{BERT}-Free {\"U}mlauts: 50\% of $\alpha$ in \emph{Theory}},
  author = {Example, Ada and Bob van der Sample and {\"O}zt{\"u}rk, Cem and others},
  booktitle = fw,
  year = 2024, month = mar,
  eprint = {2402.99998v1}, archivePrefix = {arXiv},
  doi = {10.9999/fictional.1},
}

@article{broken, title = {Unclosed
@article{preprint2024,
  title = "A Fictional Preprint",
  journal = {arXiv preprint arXiv:2403.99997},
  date = {2024-03-05},
}
@misc{notitle, author = {Example, Ada}}
"""


def test_bibtex_entries_become_records_with_latex_as_text():
    report = Report()
    records = read_bibtex("site_src/refs.bib", BIB.encode(), report)
    assert records[0] == PaperRecord(
        title="BERT-Free Ümlauts: 50% of α in Theory",
        source="site_src/refs.bib",
        line=4,
        authors=("Ada Example", "Bob van der Sample", "Cem Öztürk"),
        arxiv_id="2402.99998v1",
        published="2024-03",
        venue="Proceedings of the Fictional Workshop",
        links=("https://doi.org/10.9999/fictional.1",),
    )
    # An arXiv preprint's "journal" is not a venue; the id is taken from it.
    assert records[1] == PaperRecord(
        title="A Fictional Preprint",
        source="site_src/refs.bib",
        line=14,
        arxiv_id="2403.99997",
        published="2024-03-05",
    )
    assert len(records) == 2


def test_bad_bibtex_entries_are_reported_and_the_good_ones_kept():
    report = Report()
    read_bibtex("site_src/refs.bib", BIB.encode(), report)
    found = messages(report)
    assert len(found) == 2
    assert found[0].startswith("site_src/refs.bib:13: BibTeX entry could not be read (")
    assert found[0].endswith("it was skipped. Check its braces, quotes and commas.")
    assert found[1] == "site_src/refs.bib:19: entry 'notitle' has no title; it was skipped."


def test_bibtex_duplicates_and_bad_ids_are_reported():
    report = Report()
    text = (
        "@misc{a, title = {Fictional One}, eprint = {1234.5}, archivePrefix = {arXiv}}\n"
        "@misc{a, title = {Fictional Two}, year = {20x4}}\n"
    )
    records = read_bibtex("r.bib", text.encode(), report)
    assert [r.title for r in records] == ["Fictional One", "Fictional Two"]
    assert messages(report) == [
        "r.bib:2: entry key 'a' is used twice; rename one.",
        "r.bib:1: bad arXiv eprint '1234.5'; write an arXiv id like 2307.03381, 2307.03381v2 "
        "or hep-th/9901001.",
        "r.bib:2: bad year '20x4'; write the year as four digits.",
    ]


# Every reader, any bytes ---------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_record_readers_never_raise(data):
    for name in ("x.yaml", "x.json", "x.bib"):
        reader = record_reader_for(name)
        assert reader is not None
        records = reader(name, data, Report())
        assert all(isinstance(r, PaperRecord) and r.title for r in records)


def test_a_field_past_its_limit_is_cut_and_reported():
    report = Report()
    text = '[{"title": "Long", "abstract": "' + "word " * 5_000 + '"}]'
    (record,) = read_json_records("p.json", text.encode(), report)
    assert len(record.abstract) <= 20_000 and record.abstract.endswith("word…")
    assert [str(problem) for problem in report.problems] == [
        "p.json:1: abstract of 24,999 characters cut to 19,995: the limit is 20,000; "
        "shorten it in the file."
    ]
