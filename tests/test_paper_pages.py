"""Paper pages are written in shares (forked processes), and docs/ and the bodies database
end up as if one process had written everything."""

import sqlite3

import pytest

from generator.forked import ChildFailed, map_forked
from generator.paper_pages import body_path, write_share
from generator.pipeline import build_catalogue, current_paper_pages, generate
from generator.render import paper_page_files, paper_path
from generator.report import Report
from generator.site import UNKNOWN
from generator.writer import body_paths, keep_bodies, merge_written, write_bodies, write_tree
from tests.conftest import copy_project
from tests.test_render import catalogue_of


def sample():
    return catalogue_of(
        ("Alpha Attention", "Linear attention for long sequences."),
        ("Beta Quantization", "Eight-bit quantization of transformers."),
        ("Gamma Retrieval", "Late interaction retrieval with ColBERT."),
    )


def test_shares_written_in_forked_processes_fill_the_folders(tmp_path):
    catalogue = sample()
    slugs = [paper.slug for paper in catalogue.papers]
    docs, bodies = tmp_path / "docs", tmp_path / "bodies.sqlite"
    write_bodies(bodies, [("papers/stale.html", "gone")])
    done = map_forked(
        lambda share: write_share(catalogue, UNKNOWN, docs, bodies, share), [slugs[:2], slugs[2:]]
    )
    pages = merge_written(d[0] for d in done)
    assert sorted(pages.entries) == sorted(paper_path(slug) for slug in slugs)
    (docs / "stale.md").write_text("gone")
    stats = write_tree(docs, {"index.md": "# Home\n"}, (), pages)
    assert keep_bodies(bodies, [path for d in done for path in d[1]]) == 1  # the stale one
    assert (stats.written, stats.removed) == (4, 1)
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) == sorted(
        ["index.md", *(paper_path(slug) for slug in slugs)]
    )
    for paper in catalogue.papers:
        markdown, body = paper_page_files(catalogue, paper)
        assert (docs / paper_path(paper.slug)).read_text() == markdown
        assert stored(bodies, body_path(paper.slug)) == body
    assert body_paths(bodies) == {body_path(slug) for slug in slugs}
    # written again unchanged: nothing rewritten, the manifest recognises every file
    again = write_share(catalogue, UNKNOWN, docs, bodies, slugs)
    assert (again[0].written, again[0].unchanged) == (0, 3)


def stored(db, path):
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT data FROM bodies WHERE path = ?", (path,)).fetchone()[0]


def test_a_broken_bodies_database_is_made_afresh(tmp_path):
    db = tmp_path / "bodies.sqlite"
    db.write_bytes(b"not a database" * 100)
    assert body_paths(db) == set()
    assert write_bodies(db, [("a.html", "A")]) == ["a.html"]
    assert stored(db, "a.html") == "A" and body_paths(db) == {"a.html"}


def test_a_failing_share_fails_the_caller_with_its_traceback():
    def work(share: int) -> int:
        if share == 2:
            raise ValueError("share two is bad")
        return share * 10

    assert map_forked(work, [1, 3]) == [10, 30]
    with pytest.raises(ChildFailed, match="share two is bad"):
        map_forked(work, [1, 2, 3])


def test_a_paper_page_gone_from_docs_is_not_counted_unchanged(tmp_path):
    project = copy_project(tmp_path)
    generate(project, Report())
    catalogue = build_catalogue(project, Report())
    keys, unchanged = current_paper_pages(project, catalogue)
    assert unchanged == frozenset(keys) and len(keys) == len(catalogue.papers) > 2
    gone, folder = sorted(keys)[:2]
    (project.docs_dir / paper_path(gone)).unlink()
    (project.docs_dir / paper_path(folder)).unlink()
    (project.docs_dir / paper_path(folder)).mkdir()  # not a page: written again
    assert current_paper_pages(project, catalogue)[1] == frozenset(keys) - {gone, folder}
