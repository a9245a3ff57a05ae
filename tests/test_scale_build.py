"""Large-catalogue mode on the seed catalogue (Pagefind lowered to 100 papers, its index in
bundles of about 100): the page cache reuses unchanged pages and gives the same site as a
full build; `?q=` searches every bundle, also when the site lives under a sub-path."""

import json
import logging
import os
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator import pipeline, shards
from generator.pagefind_search import bundle_count, bundle_of
from generator.pipeline import Project, build, generate
from generator.writer import body_paths
from tests.conftest import RECORD_DATA_IDS, copy_project, data_ids, serve

pytestmark = pytest.mark.slow

ADDED = """Mar 20

Zebra Finch Song Learning with Sparse Attention

We study sparse attention for modelling zebra finch song. It learns quickly. Results hold.
"""


def pagefind_project(target: Path) -> Project:
    target.mkdir(parents=True, exist_ok=True)
    project = copy_project(target)
    text = project.config_file.read_text()
    assert "pagefind_above: 2000" in text
    text = text.replace("pagefind_above: 2000", "pagefind_above: 100\n    bundle_papers: 100")
    project.config_file.write_text(text)
    return project


def html_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory) -> Project:
    project = pagefind_project(tmp_path_factory.mktemp("pagefind"))
    result = build(project, strict=True)
    assert result.warnings == 0
    return project


def test_large_mode_uses_pagefind_not_material_search(pagefind_site):
    site = pagefind_site.site_dir
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    assert not (site / "search" / "search_index.json").exists()
    page = next(site.glob("papers/colbert-*/index.html")).read_text()
    assert "static/pagefind-search.js" in page and "<!-- page-key " in page


def test_rebuild_reuses_unchanged_pages_and_equals_a_full_build(pagefind_site, tmp_path, caplog):
    project = pagefind_project(tmp_path / "incremental")
    shutil.rmtree(project.root / "docs")
    shutil.copytree(pagefind_site.docs_dir, project.docs_dir)
    shutil.copytree(pagefind_site.site_dir, project.site_dir)
    (project.listings_dir / "zz_added.txt").write_text(ADDED)
    page = next(project.site_dir.glob("papers/colbert-*/index.html")).relative_to(project.site_dir)
    inode = (project.site_dir / page).stat().st_ino
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        assert build(project, strict=True).warnings == 0
    reused = [r.getMessage() for r in caplog.records if "page cache:" in r.getMessage()]
    count = sum(int(message.split()[2]) for message in reused)  # one line per MkDocs process
    pages = len(list(project.site_dir.rglob("index.html")))
    assert 200 < count < pages  # most pages reused; the new paper and its neighbours not
    fresh = pagefind_project(tmp_path / "fresh")
    (fresh.listings_dir / "zz_added.txt").write_text(ADDED)
    build(fresh, strict=True)
    got, want = html_files(project.site_dir), html_files(fresh.site_dir)
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []
    assert (project.site_dir / "papers/zebra-finch-song-learning-with-sparse-attention").is_dir()
    # the site is updated in place: a reused page is the very file it was, not a copy
    assert (project.site_dir / page).stat().st_ino == inode
    assert build(project, strict=True).warnings == 0
    assert (project.site_dir / page).stat().st_ino == inode
    assert html_files(project.site_dir) == got


def tree(site: Path) -> list[str]:
    found = (p.relative_to(site).as_posix() + "/" * p.is_dir() for p in site.rglob("*"))
    return sorted(name for name in found if not name.startswith("pagefind/"))  # overlays


def test_a_site_updated_in_place_keeps_nothing_a_fresh_build_would_not_make(tmp_path):
    project = pagefind_project(tmp_path / "in-place")
    (project.listings_dir / "zz_added.txt").write_text(ADDED)
    assert build(project, strict=True).warnings == 0
    inodes = {p: p.stat().st_ino for p in project.site_dir.glob("papers/*/index.html")}
    (project.listings_dir / "zz_added.txt").unlink()  # its paper's page goes
    assert build(project, strict=True).warnings == 0
    assert not (
        project.site_dir / "papers/zebra-finch-song-learning-with-sparse-attention"
    ).exists()
    same = [p for p, inode in inodes.items() if p.exists() and p.stat().st_ino == inode]
    assert len(same) > 200  # reused where they were, not copied
    page = same[0]
    fresh = pagefind_project(tmp_path / "fresh")
    assert build(fresh, strict=True).warnings == 0
    assert tree(project.site_dir) == tree(fresh.site_dir)  # no folder or file left over
    assert html_files(project.site_dir) == html_files(fresh.site_dir)
    # a strict build that fails leaves the site as it was
    before = html_files(project.site_dir)
    (project.listings_dir / "zz_bad.txt").write_text("Mar 1\n\nOnly a title\n")
    assert build(project, strict=True).warnings > 0
    assert html_files(project.site_dir) == before and page.stat().st_ino == inodes[page]


def test_a_build_that_dies_while_updating_the_site_is_made_good_by_the_next(tmp_path, monkeypatch):
    project = pagefind_project(tmp_path / "dies")
    assert build(project, strict=True).warnings == 0
    (project.listings_dir / "zz_added.txt").write_text(ADDED)
    real_replace, real_apply = os.replace, pipeline.apply

    def dying_apply(new, target, kept, trash):
        moved = []

        def replace(source, destination):
            if "/papers/" in str(destination):
                moved.append(destination)
                if len(moved) > 3:
                    raise OSError("killed")
            real_replace(source, destination)

        monkeypatch.setattr(os, "replace", replace)
        try:
            real_apply(new, target, kept, trash)
        finally:
            monkeypatch.setattr(os, "replace", real_replace)

    monkeypatch.setattr(pipeline, "apply", dying_apply)
    with pytest.raises(OSError, match="killed"):
        build(project)
    monkeypatch.undo()
    assert build(project, strict=True).warnings == 0
    fresh = pagefind_project(tmp_path / "fresh")
    (fresh.listings_dir / "zz_added.txt").write_text(ADDED)
    assert build(fresh, strict=True).warnings == 0
    assert tree(project.site_dir) == tree(fresh.site_dir)
    assert html_files(project.site_dir) == html_files(fresh.site_dir)


def cache_lines(caplog) -> tuple[int, int]:
    """Pages reused, and of them unread, by all MkDocs processes (a line each)."""
    found = []
    for record in caplog.records:
        match = re.match(
            r"page cache: (\d+) page\(s\) reused .* \((\d+) unread\)", record.getMessage()
        )
        if match:
            found.append((int(match.group(1)), int(match.group(2))))
    assert found
    return sum(n for n, _ in found), sum(n for _, n in found)


def test_unchanged_pages_are_recognised_without_reading_them(tmp_path, caplog):
    project = pagefind_project(tmp_path / "unread")
    assert build(project, strict=True).warnings == 0
    first = html_files(project.site_dir)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        assert build(project, strict=True).warnings == 0
    reused, unread = cache_lines(caplog)
    assert reused > 200 and unread == reused  # every reused page recognised unread
    assert html_files(project.site_dir) == first
    # A page changed in the site since it was built is not recognised: it is read (its
    # key comment is gone) and rendered again.
    page = next(project.site_dir.glob("papers/colbert-*/index.html"))
    page.write_text("tampered")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        assert build(project, strict=True).warnings == 0
    reused_now, unread_now = cache_lines(caplog)
    assert (reused_now, unread_now) == (reused - 1, unread - 1)
    assert html_files(project.site_dir) == first
    # A page gone from docs/ (its listing removed) could be a link target: nothing is
    # recognised unread, every reused page's links are checked again.
    removed = sorted(project.listings_dir.iterdir())[-1]
    removed.unlink()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        assert build(project, strict=True).warnings == 0
    reused_after, unread_after = cache_lines(caplog)
    assert reused_after > 0 and unread_after == 0


def with_workers(project: Project, count: int) -> Project:
    text = project.config_file.read_text()
    marker = "  catalogue_search:\n"
    assert marker in text
    project.config_file.write_text(
        text.replace(marker, f"  catalogue_build:\n    workers: {count}\n" + marker)
    )
    return project


def test_pages_split_among_processes_equal_a_one_process_build(tmp_path):
    one = with_workers(pagefind_project(tmp_path / "one"), 1)
    three = with_workers(pagefind_project(tmp_path / "three"), 3)
    assert build(one, strict=True).warnings == 0
    assert build(three, strict=True).warnings == 0
    # the page keys differ (mkdocs.yml is part of them); the pages may not
    unkeyed = re.compile(rb"<!-- page-key [0-9a-f]+ -->\n$")
    got = {k: unkeyed.sub(b"", v) for k, v in html_files(three.site_dir).items()}
    want = {k: unkeyed.sub(b"", v) for k, v in html_files(one.site_dir).items()}
    assert sorted(got) == sorted(want) and len(want) > 250
    assert [name for name in want if got[name] != want[name]] == []
    for name in ("sitemap.xml", "papers.json", "static/catalogue.css"):  # first process's
        assert (three.site_dir / name).read_bytes() == (one.site_dir / name).read_bytes()
    # and every download, written by forked processes in one build and not the other
    downloads = [p.relative_to(one.site_dir) for p in one.site_dir.rglob("*.bib")]
    downloads += [p.relative_to(one.site_dir) for p in one.site_dir.rglob("*.xml")]
    downloads += [p.relative_to(one.site_dir) for p in (one.site_dir / "tags").glob("*.json")]
    assert len(downloads) > 20
    for name in downloads:
        assert (three.site_dir / name).read_bytes() == (one.site_dir / name).read_bytes(), name
    assert not list(three.root.glob("site.partial*"))


@pytest.mark.browser
def test_query_in_url_searches_with_pagefind(browser, pagefind_site):
    fetched: list[str] = []
    for base in serve(pagefind_site.site_dir):
        page = browser.new_page()
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(base + "tags/quantization/?q=late+interaction+ColBERT")
        result = page.locator(".pagefind-ui__result").first
        # a result shows placeholders until its fragment loads; its link comes with it
        result.locator(".pagefind-ui__result-link").wait_for(timeout=15000)
        assert "ColBERT" in result.inner_text()
        assert page.locator(".pagefind-ui__search-input").input_value() == (
            "late interaction ColBERT"
        )
        assert not any("search_index.json" in url for url in fetched)
        # the search and each bundle's files once (the early start and the dialog share
        # them; Pagefind takes the files its worker fetched early)
        paths = [url.split("?")[0] for url in fetched if "/pagefind/" in url]
        paths = [path for path in paths if not path.endswith("/bundles.json")]
        assert len(paths) == len(set(paths))
        assert len([path for path in paths if path.endswith(".pf_meta")]) > 1
        # one worker: the one the page started from <head>, handed to Pagefind
        assert [w.url.split("/", 3)[3] for w in page.workers] == ["pagefind/pagefind-worker.js"]
        result.locator("a").first.click()
        page.wait_for_load_state()
        assert "/papers/colbert-" in page.url
        assert page.locator("h1").inner_text().startswith("ColBERT")
        page.close()


# The query the page gives its early worker, changed before the worker sees it (as a page
# whose own Pagefind then asks for something else): the worker's head start is not used.
_OTHER_EARLY_QUERY = """(() => {
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.pagefindEarly) {
      message = {pagefindEarly: {...message.pagefindEarly, %s}};
    }
    return post.call(this, message, ...rest);
  };
})();"""


# Every result of the first page of results for `term` is listed.
_ALL_SHOWN = """term => {
  const status = document.querySelector('.pf-search__status');
  if (!status || !status.textContent.includes(term)) return false;
  const count = parseInt(status.textContent.replace(/,/g, ''), 10) || 0;
  return document.querySelectorAll('.pagefind-ui__result-link').length === Math.min(count, 10);
}"""


@pytest.mark.browser
def test_early_search_answers_are_pagefinds_own(browser, pagefind_site):
    """A `?q=` page's worker starts the search before the page asks for it. The page sees
    the same results, and a later search in the dialog works, whether the worker's start
    was the page's search (answered from it) or not (the page's messages run again)."""
    seen = {}
    for changed in ("", "query: 'quantization'", "language: 'fr'"):
        for base in serve(pagefind_site.site_dir):
            page = browser.new_page()
            page.add_init_script(RECORD_DATA_IDS)
            if changed:
                page.add_init_script(_OTHER_EARLY_QUERY % changed)
            page.goto(base + "tags/quantization/?q=late+interaction+ColBERT")
            links = page.locator(".pagefind-ui__result-link")
            page.wait_for_function(_ALL_SHOWN, arg="late interaction ColBERT", timeout=15000)
            first = links.all_inner_texts()
            early = [i.startswith("data_early_") for i in data_ids(page)]
            assert early and all(early) == (not changed) and any(early) == (not changed)
            page.locator(".pf-search__input").fill("retrieval augmented generation")
            page.wait_for_function(_ALL_SHOWN, arg="retrieval augmented generation", timeout=15000)
            seen[changed] = (first, links.all_inner_texts())
            page.close()
    first, again = seen[""]
    assert "ColBERT" in first[0] and len(again) > 1 and again != first
    assert seen["query: 'quantization'"] == seen["language: 'fr'"] == seen[""]


@pytest.mark.browser
def test_only_a_page_opened_with_a_query_starts_pagefind_early(browser, pagefind_site):
    for base in serve(pagefind_site.site_dir):
        page = browser.new_page()
        page.goto(base + "tags/quantization/")
        page.wait_for_load_state("load")
        assert page.workers == []
        # the search dialog still starts Pagefind, with its own worker
        page.keyboard.press("/")
        page.locator(".pf-search__input").fill("ColBERT")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15000)
        assert [w.url.split("/", 3)[3] for w in page.workers] == ["pagefind/pagefind-worker.js"]
        page.close()


@pytest.mark.browser
def test_search_dialog_keyboard_more_results_and_address_bar(browser, pagefind_site):
    for base in serve(pagefind_site.site_dir):
        page = browser.new_page()
        page.goto(base + "papers/")
        page.keyboard.press("/")  # opens the dialog, focus in its field
        field = page.locator(".pf-search__input")
        field.wait_for()
        assert "pf-search__input" in page.evaluate("document.activeElement.className")
        field.type("attention")
        page.wait_for_function("new URL(location.href).searchParams.get('q') === 'attention'")
        shown = "document.querySelectorAll('.pagefind-ui__result-link').length"
        page.wait_for_function(f"{shown} === 10")
        status = page.locator(".pf-search__status").inner_text()
        assert re.fullmatch(r"\d+ results for “attention”", status)
        assert int(status.split()[0]) > 10
        excerpts = page.locator(".pagefind-ui__result-excerpt").all_inner_texts()
        assert not any("zzcatalogpaperzz" in text for text in excerpts)
        assert page.locator(".pagefind-ui__result-excerpt mark").count() > 0
        page.locator(".pf-search__more").click()
        page.wait_for_function(f"{shown} > 10")
        # arrow keys: from the field to the first result, on to the next, back to the field
        field.focus()
        page.keyboard.press("ArrowDown")
        first = page.locator(".pagefind-ui__result-link").first
        focused = "document.activeElement.className"
        assert "pagefind-ui__result-link" in page.evaluate(focused)
        assert page.evaluate("document.activeElement.textContent") == first.inner_text()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert "pf-search__input" in page.evaluate(focused)
        page.keyboard.press("Escape")  # closes it and takes the query out of the address
        assert page.locator(".pf-search").is_hidden()
        assert "q=" not in page.url
        page.locator(".pf-search__open").click()
        assert page.locator(".pf-search").is_visible()
        page.locator(".pf-search__close").click()
        assert page.locator(".pf-search").is_hidden()
        assert "pf-search__open" in page.evaluate(focused)  # focus back on its button
        page.close()


def test_unchanged_paper_pages_are_not_rendered_again(tmp_path, monkeypatch):
    from generator import render

    project = with_workers(pagefind_project(tmp_path / "keys"), 1)  # rendered in this process
    generate(project)
    rendered: list[str] = []
    original = render.paper_page_files

    def counting(catalogue, paper, site=render.UNKNOWN):
        rendered.append(paper.slug)
        return original(catalogue, paper, site)

    monkeypatch.setattr(render, "paper_page_files", counting)
    docs = {p: p.read_bytes() for p in project.docs_dir.rglob("*.md")}
    generate(project)
    assert rendered == []  # nothing changed: no paper page rendered, none rewritten
    assert {p: p.read_bytes() for p in project.docs_dir.rglob("*.md")} == docs
    (project.listings_dir / "zz_added.txt").write_text(ADDED)
    generate(project)
    assert "zebra-finch-song-learning-with-sparse-attention" in rendered
    assert 0 < len(rendered) < 100  # the new paper and the pages whose related list changed


def test_generated_pages_render_from_their_ready_html(tmp_path, caplog, monkeypatch):
    project = pagefind_project(tmp_path / "ready")
    text = project.config_file.read_text()
    project.config_file.write_text(text.replace("per_page: 500", "per_page: 40"))
    monkeypatch.chdir(tmp_path)  # a relative project root works too
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        assert build(Project(Path("ready")), strict=True).warnings == 0
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("page cache:")]
    ready = sum(int(re.search(r"(\d+) from ready HTML", line).group(1)) for line in lines)
    bodies = sorted(body_paths(project.bodies_db))
    assert {path.split("/")[0] for path in bodies} >= {"papers", "tags", "listings"}
    assert any(path.endswith("/page-2.html") for path in bodies)  # numbered, with A-Z jumps
    assert ready == len(bodies)  # none went through Markdown


def bundle_of_paper(project: Project) -> dict[str, str]:
    """Each paper's Pagefind bundle (100 papers a bundle)."""
    papers = json.loads((project.site_dir / "papers.json").read_text())
    count = bundle_count(len(papers), 100)
    return {
        p["slug"]: bundle_of(SimpleNamespace(slug=p["slug"], listings=p["listings"]), count)
        for p in papers
    }


@pytest.mark.browser
def test_results_rank_across_bundles_and_link_under_a_sub_path(browser, pagefind_site, tmp_path):
    where = bundle_of_paper(pagefind_site)
    assert len(set(where.values())) > 1
    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "sub").symlink_to(pagefind_site.site_dir)
    for base in serve(tmp_path / "host"):
        page = browser.new_page()
        page.add_init_script(RECORD_DATA_IDS)
        page.goto(base + "sub/papers/?q=attention")
        page.locator(".pagefind-ui__result").first.wait_for(timeout=15000)
        page.wait_for_function(
            "document.querySelectorAll('.pagefind-ui__result-link').length === 10"
        )
        # the worker's head start was the page's search, under the sub-path too
        assert data_ids(page) and all(i.startswith("data_early_") for i in data_ids(page))
        links = page.eval_on_selector_all(
            ".pagefind-ui__result-link", "as => as.map(a => [a.pathname, a.textContent])"
        )
        assert all(path.startswith("/sub/papers/") for path, _ in links)
        slugs = [path.rstrip("/").split("/")[-1] for path, _ in links]
        assert len({where[slug] for slug in slugs}) > 1  # results of several bundles
        # a title match outweighs abstract matches, whichever bundle holds it
        in_title = ["attention" in title.lower() for _, title in links]
        assert in_title[0] and in_title == sorted(in_title, reverse=True)
        page.locator(".pagefind-ui__result-link").first.click()
        page.wait_for_load_state()
        assert page.url.startswith(base + "sub/papers/")
        assert "attention" in page.locator("h1").inner_text().lower()
        page.goto(base + "sub/papers/?code=1")  # the Papers page's filters, A to Z
        page.wait_for_function("document.querySelectorAll('.facets__list > li').length > 0")
        hrefs = page.eval_on_selector_all(
            ".facets__list > li > a:first-child", "as => as.map(a => a.pathname)"
        )
        assert hrefs and all(href.startswith("/sub/papers/") for href in hrefs)
        page.close()


def test_a_failed_mkdocs_run_leaves_no_search_index_behind(tmp_path, monkeypatch):
    project = pagefind_project(tmp_path)
    (project.site_dir / "kept.txt").parent.mkdir(parents=True)
    (project.site_dir / "kept.txt").write_text("the previous site")

    def fail(*args, **kwargs):
        raise RuntimeError("MkDocs exploded")

    monkeypatch.setattr(shards, "run", fail)
    with pytest.raises(RuntimeError, match="MkDocs exploded"):
        build(project)
    assert not list(project.root.glob("site.partial*"))  # nor the index made beside MkDocs
    assert [p.name for p in project.site_dir.iterdir()] == ["kept.txt"]
