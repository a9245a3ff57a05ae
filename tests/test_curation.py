"""Curation: parsing with line numbers, and fixes that every page and export follows."""

import json
import shutil
from pathlib import Path

from generator.model import Catalogue
from generator.pipeline import Project, build_catalogue, markdown_files, site_files
from generator.read.curation import Fix, load_curation
from generator.render.paginate import Browse
from generator.report import Report
from generator.site.address import Site
from tests.golden import INPUT

ROOT = Path(__file__).resolve().parent.parent
COLBERT = "colbert-efficient-and-effective-passage-search-via-contextualized-late"
TINYSAM = "tinysam-pushing-the-envelope-for-efficient-segment-anything-model"
LIGHTNING = "various-lengths-constant-speed-efficient-language-modeling-with-lightning"
LIGHTNING_2 = "lightning-attention-2-a-free-lunch-for-handling-unlimited-sequence-lengths-in"


def project_with(tmp_path: Path, curation: str) -> Project:
    shutil.copytree(INPUT, tmp_path / "site_src")
    (tmp_path / "site_src" / "curation.yaml").write_text(curation, encoding="utf-8")
    return Project(tmp_path)


def generated(project: Project) -> tuple[Catalogue, Report, dict[str, str]]:
    """The curated catalogue, its warnings, and every generated page and download as
    the plugin hands them to MkDocs (`markdown_files`), by docs-relative path."""
    report = Report()
    catalogue = build_catalogue(project, report)
    files = markdown_files(site_files(catalogue, Site(), Browse()))
    text = {
        path: content if isinstance(content, str) else content.decode("utf-8")
        for path, content in files
    }
    return catalogue, report, text


def messages(report: Report) -> list[str]:
    return [str(p) for p in report.problems]


def test_entries_are_read_with_their_lines():
    report = Report()
    curation = load_curation(
        "fixes:\n"
        "  - paper: a\n"
        "    title: '  Better   title '\n"
        "    add_tags: quantization\n"
        "  - merge: [a, b]\n"
        "  - paper: c\n"
        "    hide: true\n",
        report,
    )
    assert messages(report) == []
    assert curation.fixes == (
        Fix(line=2, paper="a", title="Better title", add_tags=("quantization",)),
        Fix(line=6, paper="c", hide=True),
    )
    assert [(m.line, m.keep, m.drop) for m in curation.merges] == [(5, "a", "b")]


def test_malformed_entries_are_warnings_with_lines():
    report = Report()
    curation = load_curation(
        "fixes:\n"
        "  - paper: a\n"
        "    tittle: typo\n"
        "  - merge: [a]\n"
        "  - just text\n"
        "  - paper: b\n"
        "    add_tags: {x: 1}\n",
        report,
    )
    assert curation.fixes == () and curation.merges == ()
    assert messages(report) == [
        "site_src/curation.yaml:2: unknown key 'tittle'; use add_tags, hide, paper, "
        "remove_tags, title (or 'merge').",
        "site_src/curation.yaml:4: 'merge' takes exactly two papers: [keep, fold into it].",
        "site_src/curation.yaml:5: each entry needs 'paper: <slug or title>' or 'merge:'.",
        "site_src/curation.yaml:6: 'add_tags' must be a list of tag slugs.",
    ]
    report = Report()
    load_curation("fixes: [\n", report)
    assert messages(report)[0].startswith("site_src/curation.yaml:2: not valid YAML")


def test_fixes_reach_every_page_and_export(tmp_path):
    project = project_with(
        tmp_path,
        "fixes:\n"
        f"  - paper: {COLBERT}\n"
        "    title: 'ColBERT: Late Interaction <Fixed>'\n"
        "    add_tags: [Vision]\n"
        "    remove_tags: [retrieval]\n"
        "  - paper: 'TinySAM: Pushing the Envelope for Efficient Segment Anything Model'\n"
        "    hide: true\n"
        f"  - merge: [{LIGHTNING_2}, {LIGHTNING}]\n",
    )
    _, report, docs = generated(project)
    assert messages(report) == []
    papers = {p["slug"]: p for p in json.loads(docs["papers.json"])}
    # Title corrected, slug kept, tags edited (added by name, removed by slug).
    assert papers[COLBERT]["title"] == "ColBERT: Late Interaction <Fixed>"
    assert papers[COLBERT]["tags"] == ["vision"]
    page = docs[f"papers/{COLBERT}.md"]
    assert "# ColBERT&#58; Late Interaction &lt;Fixed&gt;" in page
    assert "Late Interaction &lt;Fixed&gt;" in docs["tags/vision.md"]
    assert COLBERT not in docs["tags/retrieval.md"]
    # Hidden: no page, no export, no link from anywhere.
    assert TINYSAM not in papers
    assert f"papers/{TINYSAM}.md" not in docs
    assert not any(TINYSAM in content for path, content in docs.items() if path.endswith(".md"))
    # Merged: one paper with both records' listings and sources; listings show it.
    assert LIGHTNING not in papers
    merged = papers[LIGHTNING_2]
    assert len(merged["sources"]) == 2
    assert all(LIGHTNING_2 in docs[f"listings/{slug}.md"] for slug in merged["listings"])
    assert not any(LIGHTNING in p["related"] for p in papers.values())


def test_entries_naming_nothing_known_are_warnings(tmp_path):
    project = project_with(
        tmp_path,
        "fixes:\n"
        "  - paper: no-such-paper\n"
        "    hide: true\n"
        f"  - paper: {COLBERT}\n"
        "    add_tags: [no-such-tag]\n"
        f"  - merge: [{COLBERT}, {COLBERT}]\n",
    )
    catalogue, report, _ = generated(project)
    assert messages(report) == [
        "site_src/curation.yaml:6: merge needs two different, not yet merged papers.",
        "site_src/curation.yaml:2: 'no-such-paper' names no known paper; use the slug from "
        "its page URL or its exact title.",
        "site_src/curation.yaml:4: no tag 'no-such-tag' in site_src/taxonomy.yaml.",
    ]
    plain, _, _ = generated(project_with(tmp_path / "plain", "fixes: []\n"))
    assert [p.slug for p in catalogue.papers] == [p.slug for p in plain.papers]


def test_the_seed_curation_file_names_only_known_papers():
    report = Report()
    build_catalogue(Project(ROOT), report)
    assert messages(report) == []


def test_a_curation_file_left_from_replaced_listings_says_so(tmp_path, capsys):
    from generator.cli import main
    from tests.conftest import copy_project

    project = copy_project(tmp_path, listings=INPUT / "listings")
    _, report, _ = generated(project)
    stale = [str(problem) for problem in report.problems]
    assert len(stale) == 3  # each of the seed file's two entries, and the file as a whole
    assert stale[-1] == (
        "site_src/curation.yaml: none of its 2 paper names is in this catalogue: it fixes "
        "other listings (the seed catalogue's, if yours replaced them); empty it to start afresh."
    )
    assert main(["check", "--strict", "--root", str(project.root)]) == 1
    assert "empty it to start afresh" in capsys.readouterr().err
    (project.site_src / "curation.yaml").write_text("")
    assert main(["check", "--strict", "--root", str(project.root)]) == 0


def test_a_merge_keeping_a_paper_of_its_own_symbols_retitles_the_folded_records():
    from generator.model import Listing, Record
    from generator.read.curation import Curation, Merge, curate
    from generator.read.merge import merge_papers

    records = (
        Record("Sorting in C++", "About sorting in one language.", "a.txt", 3),
        Record("Sorting in C#", "About sorting in another language.", "a.txt", 6),
        Record("Sorting in C++", "About sorting in one language.", "b.txt", 3),
    )
    listings = [
        Listing("a", "a", "a.txt", "", records[:2]),
        Listing("b", "b", "b.txt", "", records[2:]),
    ]
    report = Report()
    plus, sharp = merge_papers(listings, report)
    assert sharp.key.startswith(plus.key + "~")  # kept as a paper of its own
    curated = curate(
        listings, [plus, sharp], Curation(merges=(Merge(1, sharp.slug, plus.slug),)), report
    )
    assert [p.slug for p in curated.papers] == [sharp.slug]
    titles = [r.title for item in curated.listings for r in item.records]
    assert titles == ["Sorting in C#", "Sorting in C#", "Sorting in C#"]


def test_a_merge_folding_a_paper_of_its_own_symbols_retitles_only_its_records():
    from generator.model import Listing, Record
    from generator.read.curation import Curation, Merge, curate
    from generator.read.merge import merge_papers

    records = (
        Record("Sorting in C++", "About sorting in one language.", "a.txt", 3),
        Record("Sorting in C#", "About sorting in another language.", "a.txt", 6),
        Record("Sorting at Scale", "About sorting a lot.", "a.txt", 9),
    )
    listings = [Listing("a", "a", "a.txt", "", records)]
    report = Report()
    plus, sharp, scale = merge_papers(listings, report)
    merges = (Merge(1, scale.slug, plus.slug),)
    curated = curate(listings, [plus, sharp, scale], Curation(merges=merges), report)
    titles = [r.title for r in curated.listings[0].records]
    assert titles == ["Sorting at Scale", "Sorting in C#", "Sorting at Scale"]
