"""Input that used to crash or mislead the build: each is now a reported problem with its
file and line, and the good records beside it are kept."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from generator.analyse.taxonomy import load_taxonomy
from generator.pipeline import build
from generator.read.bibtex import read_bibtex
from generator.read.curation import load_curation
from generator.read.records import read_json_records, read_yaml_records
from generator.report import Problem, Report, printable
from tests.conftest import copy_project

BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


def test_a_json_number_of_thousands_of_digits_is_reported_not_raised():
    data = json.dumps([{"title": "Good One", "abstract": "Kept."}])
    data = data[:-1] + ', {"title": "Long Number", "venue": ' + "9" * 5000 + "}]"
    report = Report()
    records = read_json_records("papers/n.json", data.encode(), report)
    assert [r.title for r in records] == ["Good One", "Long Number"]
    assert any(p.line == 1 and "venue" in p.message for p in report.problems)


def test_a_lone_surrogate_escape_becomes_a_replacement_character_and_a_warning():
    data = b'[{"title": "Lone \\ud800 Surrogate", "abstract": "About it."}]'
    report = Report()
    (record,) = read_json_records("papers/s.json", data, report)
    assert record.title == "Lone \ufffd Surrogate"
    assert [p.message for p in report.problems if "surrogate" in p.message]


def test_a_superscript_month_in_bibtex_is_no_month():
    data = b"@article{k, title = {Squared Months}, year = {2023}, month = {\xc2\xb2}}\n"
    report = Report()
    (record,) = read_bibtex("refs.bib", data, report)
    assert record.title == "Squared Months" and record.published == "2023"


def test_a_yaml_record_whose_key_is_a_nested_alias_is_skipped_at_once():
    text = BOMB.replace(": &", ": &").replace("\n", "\n") + "\n"
    records = "- title: Aliased Key\n  ? *i\n  : x\n- title: Plain\n"
    started = time.perf_counter()
    report = Report()
    found = read_yaml_records(
        "papers/k.yaml",
        ("anchors:\n" + _indent(text) + "papers:\n" + _indent(records)).encode(),
        report,
    )
    assert time.perf_counter() - started < 5
    del found
    started = time.perf_counter()
    report = Report()
    data = (
        "- title: Aliased Key\n  anchors: &z ["
        + ", ".join(["q"] * 9)
        + "]\n  ? [*z, *z, *z]\n  : x\n- title: Plain\n"
    ).encode()
    records_read = read_yaml_records("papers/k.yaml", data, report)
    assert [r.title for r in records_read] == ["Aliased Key", "Plain"]
    assert any(
        p.line == 3 and "field name must be plain text" in p.message for p in report.problems
    )
    assert time.perf_counter() - started < 5


def _indent(text: str) -> str:
    return "".join("  " + line + "\n" for line in text.splitlines())


def test_alias_bombs_in_the_taxonomy_and_the_curation_are_refused_at_once():
    taxonomy = BOMB + "\nareas:\n  - name: A\n    tags:\n      - name: T\n        description: *i\n"
    started = time.perf_counter()
    report = Report()
    assert load_taxonomy("site_src/taxonomy.yaml", taxonomy, report) == ()
    assert report.problems[0].line == 2 and "aliases" in report.problems[0].message
    report = Report()
    curation = load_curation(BOMB + "\nfixes:\n  - paper: x\n    title: *i\n", report)
    assert curation.fixes == () and "aliases" in report.problems[0].message
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("value", ['"false"', '"no"', "[false]", "0"])
def test_hide_must_be_a_boolean(value):
    report = Report()
    curation = load_curation(f"fixes:\n  - paper: some-paper\n    hide: {value}\n", report)
    assert curation.fixes == ()
    assert (
        report.problems[0].line == 2
        and "'hide' must be true or false" in report.problems[0].message
    )
    assert load_curation("fixes:\n  - paper: p\n    hide: true\n", Report()).fixes[0].hide


def test_a_tag_cannot_take_the_tags_overview_page():
    report = Report()
    text = "areas:\n  - name: A\n    tags:\n      - name: Index\n        match: [x]\n"
    (tag,) = load_taxonomy("site_src/taxonomy.yaml", text, report)
    assert tag.slug == "index-tag" and "tags/index/" in report.problems[0].message


def test_printed_problems_cannot_forge_lines_or_drive_the_terminal():
    problem = Problem("evil\nWARNING  forged.txt", 3, "title \x1b[31mred\x1b[0m")
    assert "\n" not in str(problem) and "\x1b" not in str(problem)
    assert str(problem) == "evil\\nWARNING  forged.txt:3: title \\x1b[31mred\\x1b[0m"
    assert printable("caf\u00e9 \u00d7 ok") == "caf\u00e9 \u00d7 ok"


def test_a_listing_whose_file_name_is_not_utf8_is_read(tmp_path):
    project = copy_project(tmp_path)
    name = b"caf\xe9 listing.txt"
    text = "Mar 19\n\nA Paper From A Latin-1 Named File\n\nIts abstract, about arithmetic.\n"
    path = project.listings_dir / name.decode("utf-8", "surrogateescape")
    path.write_text(text)
    result = build(project)
    assert any(p.title == "A Paper From A Latin-1 Named File" for p in result.catalogue.papers)
    assert any(listing.source == "caf\ufffd listing.txt" for listing in result.catalogue.listings)


def test_a_site_url_with_markup_fails_the_build_and_keeps_the_site(tmp_path):
    project = copy_project(tmp_path)
    build(project)
    before = (project.site_dir / "index.html").read_bytes()
    bad = 'https://x.io/"><script>alert(11)</script>/'
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project.root), "build"],
        capture_output=True,
        text=True,
        env={"SITE_URL": bad, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1
    assert "site_url" in done.stderr and "Traceback" not in done.stderr
    assert (project.site_dir / "index.html").read_bytes() == before


def test_full_width_digits_are_no_arxiv_id_and_no_date():
    from generator.read.arxiv import parse_arxiv_id

    assert parse_arxiv_id("２４０１.９９９９９") is None
    assert parse_arxiv_id("2401.99999") == "2401.99999"
    report = Report()
    data = '[{"title": "Wide Digits", "published": "２０２４-０１-１５"}]'.encode()
    (record,) = read_json_records("papers/w.json", data, report)
    assert record.published == "" and report.problems


@pytest.mark.parametrize(("line", "kept"), [("Feb 30", ""), ("Apr 31", ""), ("Feb 29", "Feb 29")])
def test_a_capture_date_that_does_not_exist_is_reported(line, kept):
    from generator.read.listing import read_listing

    report = Report()
    text = f"{line}\n\nA Dated Paper\n\nIts abstract, about arithmetic.\n"
    listing = read_listing("dated.txt", text.encode(), report)
    assert listing.date == kept and len(listing.records) == 1
    assert len(report.problems) == (not kept)  # not also "no capture date line"
    if not kept:
        assert report.problems[0].line == 1 and "does not exist" in report.problems[0].message


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Tue, 19 Mar 2024", "2024-03-19"),
        ("Tuesday, March 19th, 2024", "2024-03-19"),
        ("2024/3/19", "2024-03-19"),
        ("19/03/2024", ""),  # day or month first: not guessed
        ("03/04/2024", ""),
        ("19.03.2024", ""),
        ("March 2024", ""),
    ],
)
def test_a_date_line_in_another_form_is_read_or_reported_never_a_paper(line, day):
    from generator.read.history import full_day
    from generator.read.listing import read_listing

    report = Report()
    text = f"{line}\n\nA Dated Paper\n\nIts abstract, about arithmetic.\n\nAnother\n\nMore.\n"
    listing = read_listing("dated.txt", text.encode(), report)
    assert [(r.title, r.abstract) for r in listing.records] == [
        ("A Dated Paper", "Its abstract, about arithmetic."),
        ("Another", "More."),
    ]
    assert full_day(listing.date, None, 2000) == day
    unknown = (
        f"dated.txt:1: capture date {line!r} is not in a form the reader knows (write it like "
        "'Mar 19' or 2024-03-19); the listing is shown without a date."
    )
    assert [str(p) for p in report.problems] == ([] if day else [unknown])


def test_terminal_search_prints_titles_escaped(tmp_path, capsys):
    from generator.cli import main

    project = copy_project(tmp_path)
    listing = "Mar 19\n\nArithmetic \x1b[2J Cleared Screen\n\nAn abstract about arithmetic.\n"
    (project.listings_dir / "zz.txt").write_text(listing)
    assert main(["--root", str(project.root), "search", "cleared screen"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Arithmetic \\x1b[2J Cleared Screen" in out


@pytest.mark.parametrize("command", [["generator", "build"], ["mkdocs", "build"]])
def test_a_second_build_of_a_catalogue_waits_for_the_first(tmp_path, command):
    from generator.site.publish import lock

    project = copy_project(tmp_path)
    with lock(project.root):
        second = subprocess.Popen(
            [sys.executable, "-m", *command], cwd=project.root, stderr=subprocess.PIPE, text=True
        )
        time.sleep(5)
        assert second.poll() is None  # waiting
        assert not (project.root / "site.partial").exists() and not project.site_dir.exists()
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0
    assert err.count("Another build of this catalogue is running; waiting for it.\n") == 1
    assert (project.site_dir / "index.html").is_file()


def test_every_unknown_key_of_a_curation_entry_is_named():
    report = Report()
    load_curation("fixes:\n  - paper: p\n    tittle: a\n    hdie: true\n", report)
    assert report.problems[0].message.startswith("unknown keys 'hdie', 'tittle'; use ")


def test_a_link_out_of_the_listings_folder_is_not_followed(tmp_path):
    from generator.pipeline import read_listings

    outside = tmp_path / "secret.txt"
    outside.write_text("Mar 19\n\nA Secret Paper\n\nFrom outside the catalogue.\n")
    folder = tmp_path / "listings"
    folder.mkdir()
    (folder / "a.txt").write_text("Mar 19\n\nAn Inside Paper\n\nFrom inside the catalogue.\n")
    (folder / "b.txt").symlink_to(outside)
    (folder / "c.txt").symlink_to(folder / "a.txt")  # a link within the folder is read
    report = Report()
    listings = read_listings(folder, report)
    assert [listing.source for listing in listings] == ["a.txt", "c.txt"]
    assert [(p.source, p.line) for p in report.problems] == [("b.txt", 0)]
    assert "outside the listings folder" in report.problems[0].message


def test_a_broken_link_or_a_pipe_among_inputs_is_reported_not_skipped_or_read(tmp_path):
    import os

    from generator.pipeline import Project, read_listings, read_records

    folder = tmp_path / "site_src" / "listings"
    (tmp_path / "site_src" / "papers").mkdir(parents=True)
    folder.mkdir()
    (folder / "a.txt").write_text("Mar 19\n\nAn Inside Paper\n\nFrom inside the catalogue.\n")
    (folder / "moved.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(folder / "pipe.txt")  # a read would wait for a writer forever
    os.mkfifo(tmp_path / "site_src" / "papers" / "p.yaml")
    (tmp_path / "site_src" / "papers" / "q.bib").symlink_to(tmp_path / "gone.bib")
    report = Report()
    assert [listing.source for listing in read_listings(folder, report)] == ["a.txt"]
    assert read_records(Project(tmp_path), report) == []
    message = "not a file (a link to nothing, a pipe or a device); not read."
    assert [str(p) for p in report.problems] == [
        f"moved.txt: {message}",
        f"pipe.txt: {message}",
        f"site_src/papers/p.yaml: {message}",
        f"site_src/papers/q.bib: {message}",
    ]


def test_bibtex_concatenation_and_chained_strings_are_joined_as_bibtex_joins_them():
    data = (
        b'@string{s29 = "Twenty"}\n@string{s30 = s29 # " Nine"}\n@string{loop = loop # "x"}\n'
        b'@article{k, title = s29 # " and " # {{Braced}} # s30, year = {2020}}\n'
        b'@article{m, title = loop # "!", year = 2020}\n'
    )
    report = Report()
    first, looped = read_bibtex("refs.bib", data, report)
    assert first.title == "Twenty and BracedTwenty Nine"  # no space is added
    # an @string is read in terms of those before it: `loop` is not yet one in its own
    assert looped.title == "loopx!"


def test_bibtex_strings_that_double_each_other_stay_small_and_quick():
    data = b"@string{s0 = {ab}}\n" + b"".join(
        b"@string{s%d = s%d # s%d}\n" % (n + 1, n, n) for n in range(60)
    )
    started = time.perf_counter()
    report = Report()
    (record,) = read_bibtex("refs.bib", data + b"@misc{k, title = s60 # {!}}\n", report)
    assert time.perf_counter() - started < 5
    assert record.title == ("ab" * 500)[:999] + "\u2026"  # 2**61 characters, capped, then cut
    assert [p.message[:30] for p in report.problems] == ["title of 100,000 characters cu"]


def test_a_listing_padded_with_nul_bytes_keeps_its_papers():
    from generator.read.listing import read_listing

    text = b"Mar 19\n\nA Padded Paper\n\nIts abstract, about arithmetic.\n" + b"\x00" * 4096
    report = Report()
    listing = read_listing("padded.txt", text, report)
    assert [r.title for r in listing.records] == ["A Padded Paper"]
    assert [(p.line, p.message) for p in report.problems] == [
        (6, "4096 NUL bytes at the end were ignored.")
    ]


def test_a_paper_of_a_thousand_authors_does_not_list_a_million_co_authors(tmp_path):
    from generator.pipeline import build_catalogue, site_files
    from generator.read.authors import TEAM
    from generator.render.authors import COAUTHORS_SHOWN
    from generator.render.paginate import Browse
    from generator.site.address import Site

    project = copy_project(tmp_path)
    names = " and ".join(f"Author{n:04d} Family{n:04d}" for n in range(3000))
    bib = f"@article{{big, title = {{A Very Large Collaboration}}, author = {{{names}}}}}\n"
    team = " and ".join(f"Author{n:04d} Family{n:04d}" for n in range(TEAM))
    bib += f"@article{{team, title = {{A Team of a Hundred}}, author = {{{team}}}}}\n"
    (project.site_src / "papers").mkdir()
    (project.site_src / "papers" / "big.bib").write_text(bib)
    started = time.perf_counter()
    made = site_files(build_catalogue(project, Report()), Site(), Browse())
    pages = {path: ready.markdown for path, ready in made.ready.items() if "authors/" in path}
    assert len(pages) == 3001  # each author, and the index
    one = pages["authors/author0001-family0001.md"]
    alone = pages["authors/author2999-family2999.md"]
    # co-authors from the team's paper, not from the collaboration's
    assert one.count("together)") == COAUTHORS_SHOWN
    assert f"and {TEAM - 1 - COAUTHORS_SHOWN} more, named on the papers above." in one
    assert "Co-authors" not in alone and "A Very Large Collaboration" in alone
    assert sum(map(len, pages.values())) < 20_000_000
    assert time.perf_counter() - started < 60


def test_titles_that_differ_only_in_symbols_are_different_papers_when_their_abstracts_are():
    from generator.read.listing import read_listing
    from generator.read.merge import merge_papers

    def listing(name: str, title: str, abstract: str):
        text = f"Mar 19\n\n{title}\n\n{abstract}\n"
        return read_listing(name, text.encode(), Report())

    listings = [
        listing("a.txt", "Fast Parsers in C++", "Parsing with templates."),
        listing("b.txt", "Fast Parsers in C#", "Parsing on the CLR."),
        listing("c.txt", "Fast Parsers in  C++", "Parsing with templates."),  # the first again
        listing("d.txt", "Fast Parsers in C#", "Parsing on the CLR, revised."),  # the second
        listing("e.txt", "x < y", "Less."),
        listing("f.txt", "x > y", "More."),
    ]
    report = Report()
    papers = merge_papers(listings, report)
    by_title = {p.title: p for p in papers}
    assert sorted(by_title) == ["Fast Parsers in C#", "Fast Parsers in C++", "x < y", "x > y"]
    assert by_title["Fast Parsers in C++"].listings == ("a", "c")
    assert by_title["Fast Parsers in C#"].listings == ("b", "d")
    assert len({p.slug for p in papers}) == 4
    messages = [(p.source, p.message) for p in report.problems]
    kept = "only in its symbols, and so does its abstract: kept as a paper of its own."
    assert ("b.txt", f"title differs from a.txt:3 {kept}") in messages
    assert any(source == "d.txt" and "different abstract" in m for source, m in messages)


def test_hidden_files_in_the_listings_folder_are_named():
    import tempfile
    from pathlib import Path

    from generator.pipeline import read_listings

    folder = Path(tempfile.mkdtemp())
    (folder / "a.txt").write_text("Mar 19\n\nA Paper\n\nIts abstract.\n")
    (folder / ".draft.txt").write_text("Mar 19\n\nA Draft\n\nNot ready.\n")
    (folder / ".gitkeep").write_text("")
    report = Report()
    assert [listing.source for listing in read_listings(folder, report)] == ["a.txt"]
    assert [str(p) for p in report.problems] == [
        ".draft.txt: hidden (its name starts with a dot); not read."
    ]


def test_a_listing_page_lists_look_alike_titles_as_the_papers_they_are(tmp_path):
    from generator.pipeline import Project, build_catalogue, site_files
    from generator.render.paginate import Browse
    from generator.site.address import Site

    project = copy_project(tmp_path)
    text = "Mar 19\n\nFast Parsers in C++\n\nParsing with templates.\n\n"
    text += "Fast Parsers in C#\n\nParsing on the CLR.\n"
    (project.listings_dir / "zz_lookalike.txt").write_text(text)
    catalogue = build_catalogue(Project(project.root), Report())
    listing = next(item for item in catalogue.listings if item.source == "zz_lookalike.txt")
    made = site_files(catalogue, Site(), Browse())
    page = made.ready[f"listings/{listing.slug}.md"].markdown
    slug = {p.title: p.slug for p in catalogue.listing_papers[listing.slug]}
    assert len(slug) == 2 and all(f"papers/{one}.md" in page for one in slug.values())
    plus, sharp = (
        page.index(f"papers/{slug[t]}.md") for t in ("Fast Parsers in C++", "Fast Parsers in C#")
    )
    assert plus < sharp  # in the listing's order


def test_a_bibtex_title_or_abstract_past_its_limit_is_cut_and_reported():
    data = "@misc{k, title = {" + "Long " * 300 + "}, abstract = {" + "word " * 5000 + "}}\n"
    report = Report()
    (record,) = read_bibtex("refs.bib", data.encode(), report)
    assert len(record.title) <= 1_000 and record.title.endswith("Long…")
    assert len(record.abstract) <= 20_000 and record.abstract.endswith("word…")
    assert [str(problem) for problem in report.problems] == [
        "refs.bib:1: title of 1,499 characters cut to 995: the limit is 1,000; "
        "shorten it in the file.",
        "refs.bib:1: abstract of 24,999 characters cut to 19,995: the limit is 20,000; "
        "shorten it in the file.",
    ]


def test_bibtex_braces_nested_past_what_latex_decoding_takes_are_grouping_not_title():
    data = "@misc{k, title = {" + "{" * 5000 + "Deep} Title" + "}" * 4999 + "}}\n"
    data += "@misc{ok, title = {Shallow {GPT} Title}}\n"
    report = Report()
    records = read_bibtex("refs.bib", data.encode(), report)
    assert [record.title for record in records] == ["Deep Title", "Shallow GPT Title"]


def test_json_nan_and_infinity_are_numbers_where_text_is_needed():
    data = b'{"title": "Not A Number", "venue": NaN, "authors": ["Ada", Infinity]}'
    report = Report()
    (record,) = read_json_records("papers/n.json", data, report)
    assert record.title == "Not A Number" and record.venue == ""
    assert record.authors == ("Ada",)
    assert [problem.message for problem in report.problems] == [
        "'venue' must be text, not a number; put the value in quotes.",
        "'authors' entry inf is not text; it was dropped.",
    ]


def test_a_json_field_given_twice_is_reported_and_the_last_used():
    data = b'[{"title": "First", "title": "Second",\n "abstract": "Text."}, {"title": "Once"}]'
    report = Report()
    records = read_json_records("papers/d.json", data, report)
    assert [record.title for record in records] == ["Second", "Once"]
    assert [str(problem) for problem in report.problems] == [
        "papers/d.json:1: field 'title' given twice; the last is used."
    ]


def test_taxonomy_problems_name_their_line_and_phrases_that_cannot_match_are_reported():
    text = (
        "areas:\n"
        "  - name: A\n"
        "    tags:\n"
        "      - name: Good\n"
        "        match: [good phrase, '(', '**', '']\n"
        "      - description: no name\n"
        "      - name: Listed\n"
        "        match: words\n"
        "      - name: Good\n"
        "        match: [again]\n"
        "      - name: '   '\n"
        "  - just text\n"
    )
    report = Report()
    good, listed = load_taxonomy("site_src/taxonomy.yaml", text, report)
    assert good.name == "Good" and good.patterns == ("good phrase",)
    assert listed.name == "Listed" and listed.patterns == ()
    assert [str(problem) for problem in report.problems] == [
        "site_src/taxonomy.yaml:4: tag 'Good': phrase(s) '(', '**', '' in 'match' hold no "
        "letter a-z or digit, which a phrase needs; ignored.",
        "site_src/taxonomy.yaml:6: tag entry {'description': 'no name'} needs a 'name'.",
        "site_src/taxonomy.yaml:7: tag 'Listed': 'match' must be a list of phrases.",
        "site_src/taxonomy.yaml:9: tag 'Good' is defined twice; rename one.",
        "site_src/taxonomy.yaml:11: tag entry {'name': '   '} needs a 'name'.",
        "site_src/taxonomy.yaml:12: area 'just text' needs a 'name' and a 'tags' list.",
    ]


def test_a_curated_title_is_held_to_the_title_limit_and_a_blank_one_is_refused():
    report = Report()
    text = f"fixes:\n  - paper: p\n    title: {'Long ' * 300}\n  - paper: q\n    title: '  '\n"
    (fix,) = load_curation(text, report).fixes
    assert len(fix.title) <= 1_000 and fix.title.endswith("Long\u2026")
    assert [str(problem) for problem in report.problems] == [
        "site_src/curation.yaml:2: title of 1,499 characters cut to 995: the limit is 1,000; "
        "shorten it in the file.",
        "site_src/curation.yaml:4: 'title' must be the corrected title as text.",
    ]
