"""Paper pages are rendered when the writer reads them, and their bodies handed over once."""

from generator.paper_pages import Handed, PaperPages, body_path
from generator.render import paper_page_files, paper_path
from generator.writer import write_tree
from tests.test_render import catalogue_of


def sample():
    return catalogue_of(
        ("Sparse attention", "Sparse attention for arithmetic."),
        ("Dense attention", "Dense attention for arithmetic."),
        ("Token pruning", "Pruning tokens."),
    )


def test_each_page_is_rendered_when_read_with_its_body():
    catalogue = sample()
    bodies = Handed()
    pages = PaperPages(catalogue, bodies=bodies)
    assert sorted(pages) == sorted(paper_path(p.slug) for p in catalogue.papers)
    assert len(pages) == 3 and not bodies  # nothing rendered yet
    paper = catalogue.papers[1]
    markdown, body = paper_page_files(catalogue, paper)
    assert pages[paper_path(paper.slug)] == markdown
    assert list(bodies) == [body_path(paper.slug)]
    assert bodies[body_path(paper.slug)] == body
    assert not bodies  # handed over once


def test_unchanged_papers_are_left_out():
    catalogue = sample()
    keep = frozenset({catalogue.papers[0].slug})
    pages = PaperPages(catalogue, unchanged=keep)
    assert paper_path(catalogue.papers[0].slug) not in pages
    assert len(pages) == 2


def test_written_folders_hold_every_page_and_body(tmp_path):
    catalogue = sample()
    bodies = Handed()
    write_tree(tmp_path / "docs", PaperPages(catalogue, bodies=bodies))
    assert len(bodies) == 3
    write_tree(tmp_path / "bodies", bodies)
    assert not bodies
    for paper in catalogue.papers:
        markdown, body = paper_page_files(catalogue, paper)
        assert (tmp_path / "docs" / paper_path(paper.slug)).read_text() == markdown
        assert (tmp_path / "bodies" / body_path(paper.slug)).read_text() == body
