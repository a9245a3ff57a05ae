"""The scale machinery: stage cache, progress output, terminal search, synthetic input."""

import io
import pickle
from pathlib import Path

import pytest

from generator.analyse.related_cache import cached_related
from generator.analyse.taxonomy import cached_tags, load_taxonomy, tag_papers
from generator.bench import synth
from generator.cache import Cache, content_key
from generator.cli import main
from generator.pipeline import read_listings
from generator.progress import Progress
from generator.read.listing import read_listing
from generator.read.merge import merge_papers
from generator.report import Report
from tests.conftest import ROOT, copy_project
from tests.test_render import TAGS

SEEDS = ROOT / "site_src" / "listings"


def seed_papers():
    report = Report()
    papers = merge_papers(read_listings(SEEDS, report), report)
    return sorted(papers, key=lambda p: p.slug)


def test_content_key_depends_on_boundaries_and_content():
    assert content_key(["ab", "c"]) != content_key(["a", "bc"])
    assert content_key(["a"]) == content_key(["a"])
    assert content_key(["a"]) != content_key(["b"])


def real_tags():
    text = (ROOT / "site_src" / "taxonomy.yaml").read_text()
    return load_taxonomy("taxonomy.yaml", text, Report())


def test_cached_stages_match_uncached_and_hit_on_second_run(tmp_path):
    papers = seed_papers()[:40]
    cache = Cache(tmp_path)
    tags = cached_tags(papers, real_tags(), Report(), cache)
    assert tags == tag_papers(papers, real_tags(), Report())
    first = cached_related(papers, tags, cache)
    again = Cache(tmp_path)
    assert cached_tags(papers, real_tags(), Report(), again) == tags
    assert cached_related(papers, tags, again) == first
    assert again.hits == ["tags", "related"]
    # One changed abstract is a different input: related is recomputed, not reused.
    changed = [papers[0].__class__(**{**papers[0].__dict__, "abstract": "arithmetic"})]
    third = Cache(tmp_path)
    cached_related(changed + papers[1:], tags, third)
    assert "related" not in third.hits
    assert len(list(tmp_path.glob("related-*.pickle"))) == 1  # the old entry was replaced


def test_untagged_papers_are_reported_again_from_cache(tmp_path):
    papers = seed_papers()[:30]
    first, second = Report(), Report()
    cached_tags(papers, TAGS, first, Cache(tmp_path))
    cached_tags(papers, TAGS, second, Cache(tmp_path))
    assert len(first) > 0
    assert [str(p) for p in first.problems] == [str(p) for p in second.problems]


def test_a_corrupt_cache_entry_is_recomputed(tmp_path):
    cache = Cache(tmp_path)
    cache.save("x", "k", [1, 2])
    (tmp_path / "x-k.pickle").write_bytes(b"not a pickle")
    assert cache.get_or_compute("x", "k", lambda: [3]) == [3]
    assert pickle.loads((tmp_path / "x-k.pickle").read_bytes()) == [3]


def test_progress_times_stages_and_is_quiet_off_a_terminal():
    out = io.StringIO()
    progress = Progress(out)
    with progress.stage("read", 3) as advance:
        advance(3)
    assert set(progress.times) == {"read"} and progress.times["read"] >= 0
    assert out.getvalue() == ""
    shown = Progress(out, show=True)
    with shown.stage("tags", 2) as advance:
        advance(2)
    last = out.getvalue().replace("\r", "\n").rstrip().splitlines()[-1]
    assert last.startswith("tags      : 100%") and "2/2" in last


def test_search_command_ranks_title_matches_first(tmp_path, capsys):
    project = copy_project(tmp_path)
    assert main(["--root", str(project.root), "search", "ColBERT"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ColBERT: Efficient and Effective Passage Search")
    assert (
        lines[1]
        .strip()
        .startswith("https://paper-catalogue.github.io/paper-catalogue/papers/colbert-")
    )
    assert main(["--root", str(project.root), "search", "quantization", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    assert all("quantiz" in title.lower() for title in lines[::2])  # stemmed, as lunr does
    # A stray lunr operator is searched as words, never a crash; no match exits 1.
    assert main(["--root", str(project.root), "search", "colbert^ title:"]) == 0
    assert main(["--root", str(project.root), "search", "zzzqqqxxy"]) == 1
    assert "No paper matches 'zzzqqqxxy'." in capsys.readouterr().err


def test_search_answers_from_the_sites_catalogue(tmp_path, capsys, monkeypatch):
    project = copy_project(tmp_path)
    (project.site_src / "curation.yaml").write_text(
        "fixes:\n  - paper: ecoformer-energy-saving-attention-with-linear-complexity\n"
        "    hide: true\n"
    )
    (project.site_src / "papers").mkdir()
    (project.site_src / "papers" / "r.yaml").write_text(
        "title: A Record-Only Paper On Zebrafish Arithmetic\nabstract: Zebrafish count.\n"
    )
    monkeypatch.setenv("SITE_URL", "https://example.org/cat/")
    assert main(["search", "zebrafish", "--root", str(project.root)]) == 0  # --root anywhere
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "A Record-Only Paper On Zebrafish Arithmetic"
    assert out[1].strip().startswith("https://example.org/cat/papers/a-record-only-paper")
    assert main(["--root", str(project.root), "search", "EcoFormer"]) in (0, 1)
    assert "EcoFormer:" not in capsys.readouterr().out  # hidden from the site, and here
    assert main(["--root", str(project.root), "search", "  "]) == 2
    assert capsys.readouterr().err == 'Give words to search for, e.g. search "linear attention".\n'


def test_a_folder_that_is_not_a_catalogue_gets_one_line_and_nothing_written(tmp_path, capsys):
    monkeypatch_root = tmp_path / "elsewhere"
    monkeypatch_root.mkdir()
    for command in (["build"], ["check"], ["search", "x"], ["dist"]):
        assert main(["--root", str(monkeypatch_root), *command]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "is not a catalogue (no mkdocs.yml there)" in err
    assert list(monkeypatch_root.iterdir()) == []


def test_synthetic_catalogue_is_deterministic_and_reads_cleanly():
    files = synth.catalogue(SEEDS, 120)
    assert files == synth.catalogue(SEEDS, 120)
    report = Report()
    listings = [read_listing(name, text.encode(), report) for name, text in files.items()]
    assert len(report) == 0
    papers = merge_papers(listings, report)
    assert len(papers) == 120
    assert len(report) == 0
    records = sum(len(listing.records) for listing in listings)
    assert records > len(papers)  # some papers appear in several listings
    assert all(len(listing.records) <= synth.PER_LISTING for listing in listings)
    assert Path(SEEDS).is_dir()


def plugin_config(root: Path, options: str = "", papers: int = 12, offline: bool = False):
    """A project at `root` of `papers` synthetic papers in one listing, whose mkdocs.yml
    gives the catalogue plugin `options` (YAML lines under it), configured as MkDocs
    configures a build: the config loaded, then every plugin's `on_config`."""
    from mkdocs.config import load_config

    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n")
    listings = root / "site_src" / "listings"
    listings.mkdir(parents=True)
    (listings / "one.txt").write_text(synth.one_listing(SEEDS, papers, seed=5))
    (root / "mkdocs.yml").write_text(
        "site_name: X\ntheme:\n  name: material\nextra:\n  keep: 1\n"
        f"plugins:\n  - catalogue:\n      source: site_src\n{options}"
        f"  - search\n  - offline:\n      enabled: {str(offline).lower()}\n"
    )
    config = load_config(str(root / "mkdocs.yml"))
    return config.plugins.on_config(config)


def test_pagefind_replaces_material_search_above_the_plugins_threshold(tmp_path):
    from generator.search.pagefind import DEFAULT_ABOVE, DEFAULT_FILTERS_ABOVE

    config = plugin_config(tmp_path / "default")  # the hosted site: Pagefind at every size
    plugin, search = config.plugins["catalogue"], config.plugins["material/search"]
    assert plugin.config.pagefind_above == DEFAULT_ABOVE == 0 and len(plugin.catalogue.papers) == 12
    assert plugin.pagefind and search.config.enabled is False
    assert plugin.config.pagefind_filters_above == DEFAULT_FILTERS_ABOVE and not plugin.filters
    config = plugin_config(tmp_path / "filters", "      pagefind_filters_above: 11\n")
    assert config.plugins["catalogue"].filters  # the Papers page filters through Pagefind
    config = plugin_config(tmp_path / "at", "      pagefind_above: 12\n")  # not above: Material
    assert not config.plugins["catalogue"].pagefind
    assert config.plugins["material/search"].config.enabled
    config = plugin_config(tmp_path / "above", "      pagefind_above: 11\n")
    plugin, search = config.plugins["catalogue"], config.plugins["material/search"]
    assert plugin.pagefind and search.config.enabled is False
    assert config.extra["search_engine"] == "pagefind" and config.extra["keep"] == 1
    assert config.plugins["material/offline"].config.enabled is False  # other plugins stay
    # A site for file:// (the offline plugin on) keeps Material's search, which works there.
    config = plugin_config(tmp_path / "offline", "      pagefind_above: 11\n", offline=True)
    assert not config.plugins["catalogue"].pagefind
    assert config.plugins["material/search"].config.enabled
    assert "search_engine" not in config.extra


@pytest.mark.parametrize("name", ["per_page", "bundle_papers"])
def test_plugin_counts_below_one_are_refused(tmp_path, name):
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match=f"{name} must be at least 1"):
        plugin_config(tmp_path, f"      {name}: 0\n")


def test_plugin_options_of_the_wrong_type_are_refused(tmp_path):
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        plugin_config(tmp_path, "      pagefind_above: many\n")


def test_pagefind_record_escapes_the_input():
    from generator.search.pagefind import record
    from tests.test_render import catalogue_of

    catalogue = catalogue_of(("<script>Arithmetic</script>", "a < b & c"))
    html = record(catalogue, catalogue.papers[0])
    assert "<script>" not in html and "&lt;script&gt;Arithmetic" in html
    assert "a &lt; b &amp; c" in html


def test_phrase_tags_are_cached_per_paper_so_new_papers_alone_run_the_tagger(tmp_path, monkeypatch):
    from generator.analyse import taxonomy

    papers = seed_papers()[:31]
    cached_tags(papers[:30], real_tags(), Report(), Cache(tmp_path))
    # The tagger runs in a forked process: it names the papers it tags in a file.
    tagged = tmp_path / "tagged.txt"
    original = taxonomy.Tagger.tag
    monkeypatch.setattr(
        taxonomy.Tagger,
        "tag",
        lambda self, paper: tagged.open("a").write(paper.slug + "\n") and original(self, paper),
    )
    result = cached_tags(papers, real_tags(), Report(), Cache(tmp_path))
    assert tagged.read_text().split() == [papers[30].slug]
    monkeypatch.setattr(taxonomy.Tagger, "tag", original)
    assert result == tag_papers(papers, real_tags(), Report())


def test_tree_memory_counts_helper_processes_alongside_the_build():
    import os
    import subprocess
    import sys
    import time

    from generator.bench.run import TreeMemory, tree_memory

    alone = tree_memory(os.getpid())
    code = "import sys, time; x = bytearray(80 * 2**20); x[::4096] = b'1' * len(x[::4096]); "
    code += "print(1, flush=True); time.sleep(30)"
    with TreeMemory(interval=0.05) as tree:
        helper = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
        try:
            assert helper.stdout.readline().strip() == b"1"  # its 80 MB are touched
            time.sleep(0.3)
            both = tree_memory(os.getpid())
        finally:
            helper.kill()
            helper.wait()
            helper.stdout.close()
    assert both - alone > 70 * 2**20
    assert tree.peak >= both - 10 * 2**20


def test_tree_memory_counts_pages_a_forked_child_shares_once():
    import os
    import time

    from generator.bench.run import tree_memory

    held = bytearray(80 * 2**20)
    held[::4096] = b"1" * len(held[::4096])  # touched: resident in this process
    alone = tree_memory(os.getpid())
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child only reads what it shares with its parent
        os.close(read)
        os.write(write, bytes([held[0]]))
        time.sleep(30)
        os._exit(0)
    try:
        os.close(write)
        assert os.read(read, 1) == b"1"
        time.sleep(0.2)
        both = tree_memory(os.getpid())
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(read)
    assert both - alone < 40 * 2**20  # not another 80 MB: the pages are shared


def test_bench_rebuilds_the_largest_size_up_to_ten_thousand():
    from generator.bench.run import incremental_size

    assert incremental_size([1000, 10_000, 50_000]) == 10_000
    assert incremental_size([1000]) == 1000
    assert incremental_size([500, 3000]) == 3000
    assert incremental_size([50_000]) is None


def test_bench_table_gives_medians_and_every_run():
    from generator.bench.run import table

    search = {
        "engine": "pagefind",
        "bytes": 451_000,
        "results_ms_after_page": 440,
        "runs_ms_after_page": [470, 440, 431, 502, 436],
    }
    full = {
        "seconds": 32.0,
        "cpu_seconds": 62.0,
        "stages": {"read": 2.0},
        "peak_mb": 1100.0,
        "site_mb": 194.0,
        "bytes_per_paper_page": 11_900,
        "search": search,
    }
    row = {
        "size": 10_000,
        "pairs": [0.91, 0.86, 1.12],
        "full_runs": [32.0, 30.0, 40.0],
        "anchor_runs": [35.0, 35.0, 36.0],
        "full": full,
        "incremental": {"seconds": 8.0, "cpu_seconds": 9.0, "runs": [7.1, 8.0, 8.1]},
        "anchor": {"seconds": 35.0, "cpu_seconds": 35.0},
    }
    line = table({"sizes": [row]}).splitlines()[-1]
    assert "| 8.0 s, 9 s CPU (25%) [7.1; 8.0; 8.1] |" in line
    assert "| pagefind 451 KB, 440 ms [470; 440; 431; 502; 436] |" in line
    assert "| 0.91 [0.91; 0.86; 1.12] |" in line  # the median pair's full / anchor, and all
    assert "| 32.0 s (62 s CPU) [32.0; 30.0; 40.0] |" in line
    assert "| 35.0 s (35 s CPU) [35.0; 35.0; 36.0] |" in line
