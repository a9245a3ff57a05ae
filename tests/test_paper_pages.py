"""Paper pages are written in shares (forked processes), and the folders end up as if one
process had written everything."""

import pytest

from generator.forked import ChildFailed, map_forked
from generator.paper_pages import body_path, write_share
from generator.render import paper_page_files, paper_path
from generator.site import UNKNOWN
from generator.writer import merge_written, write_tree
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
    docs, bodies = tmp_path / "docs", tmp_path / "bodies"
    done = map_forked(
        lambda share: write_share(catalogue, UNKNOWN, docs, bodies, share), [slugs[:2], slugs[2:]]
    )
    pages = merge_written(d[0] for d in done)
    assert sorted(pages.entries) == sorted(paper_path(slug) for slug in slugs)
    (docs / "stale.md").write_text("gone")
    stats = write_tree(docs, {"index.md": "# Home\n"}, (), pages)
    write_tree(bodies, {}, (), merge_written(d[1] for d in done))
    assert (stats.written, stats.removed) == (4, 1)
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) == sorted(
        ["index.md", *(paper_path(slug) for slug in slugs)]
    )
    for paper in catalogue.papers:
        markdown, body = paper_page_files(catalogue, paper)
        assert (docs / paper_path(paper.slug)).read_text() == markdown
        assert (bodies / body_path(paper.slug)).read_text() == body
    # written again unchanged: nothing rewritten, the manifest recognises every file
    again = write_share(catalogue, UNKNOWN, docs, bodies, slugs)
    assert (again[0].written, again[0].unchanged) == (0, 3)


def test_a_failing_share_fails_the_caller_with_its_traceback():
    def work(share: int) -> int:
        if share == 2:
            raise ValueError("share two is bad")
        return share * 10

    assert map_forked(work, [1, 3]) == [10, 30]
    with pytest.raises(ChildFailed, match="share two is bad"):
        map_forked(work, [1, 2, 3])
