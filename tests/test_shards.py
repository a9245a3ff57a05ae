"""MkDocs worker processes started ahead of their jobs (generator.shards.Workers)."""

import json
import logging

import pytest

from generator import budget, mkdocs_run, shards


def test_a_worker_never_given_a_job_ends_cleanly():
    workers = shards.Workers(2)
    first, second = workers.children
    first.stdin.close()  # the build failed before MkDocs: no job comes
    assert first.wait(timeout=60) == 0
    workers.close()  # and the other is stopped
    assert second.poll() is not None
    assert all(child.stdin.closed and child.stdout.closed for child in workers.children)


def test_workers_start_early_only_when_they_fit_beside_the_writers(monkeypatch):
    monkeypatch.setattr(budget, "resident_mb", lambda: 250.0)  # after the catalogue, 10k
    assert budget.workers_early({}, 10_000, 2, 6_000)
    monkeypatch.setattr(budget, "resident_mb", lambda: 509.0)  # at 50,000 (make bench)
    assert not budget.workers_early({}, 50_000, 2, 0)


def test_workers_start_before_reading_when_the_last_build_was_large(tmp_path, monkeypatch):
    from generator.pipeline import Project, early_workers

    monkeypatch.setattr(budget, "resident_mb", lambda: 100.0)  # a build's start
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: X\nextra:\n  catalogue_search:\n    pagefind_above: 10\n"
        "  catalogue_build:\n    workers: 2\n"
    )
    project = Project(tmp_path)
    assert early_workers(project, None) is None  # no build before
    assert early_workers(project, "many") is None  # a cache entry not written by us
    assert early_workers(project, 10) is None  # Material's search: one MkDocs process
    workers = early_workers(project, 11)
    try:
        assert workers is not None and len(workers) == 2
        assert all(child.poll() is None for child in workers.children)  # importing MkDocs
    finally:
        workers.close()
    monkeypatch.setattr(budget, "resident_mb", lambda: 1e9)  # they would not fit
    assert early_workers(project, 11) is None


def _tiny_site(root):
    (root / "docs").mkdir()
    (root / "docs/index.md").write_text("# Hello\n")
    (root / "mkdocs.yml").write_text("site_name: Tiny\nnot_a_setting: 1\n")  # one warning
    return shards.jobs(root, root / "site", root / "old", root / "bodies.sqlite", {}, 1)[0]


def _report(child, *lines):
    out, _ = child.communicate("".join(json.dumps(line) + "\n" for line in lines), timeout=120)
    assert child.returncode == 0
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize("same", [True, False])
def test_a_worker_told_its_job_early_loads_its_configuration_before_it_comes(tmp_path, same):
    job = _tiny_site(tmp_path)
    told = job if same else dict(job, site_dir=str(tmp_path / "elsewhere"))
    workers = shards.Workers(1)
    try:
        report = _report(workers.children[0], {"prepare": told}, job)
    finally:
        workers.close()
    assert report["prepared"] is same  # another job than it was told: it loads that one
    # What loading logged is still reported, once: strict mode counts it.
    assert sum("not_a_setting" in w for w in report["warnings"]) == 1
    assert "Hello" in (tmp_path / "site/index.html").read_text()
    assert not (tmp_path / "elsewhere").exists()


def test_a_worker_told_a_job_that_never_comes_ends_cleanly(tmp_path):
    workers = shards.Workers(1)
    child = workers.children[0]
    workers.prepare([_tiny_site(tmp_path)])
    child.stdin.close()
    assert child.wait(timeout=60) == 0
    workers.close()


def test_a_configuration_that_cannot_be_loaded_early_says_nothing(tmp_path, caplog):
    job = _tiny_site(tmp_path)
    (tmp_path / "docs").rename(tmp_path / "later")  # docs/ is not there yet
    config, site = tmp_path / "mkdocs.yml", tmp_path / "site"
    with caplog.at_level(logging.DEBUG):
        assert mkdocs_run.load(config, site, options=job["options"]) is None
    assert caplog.records == []  # the build loads it again and says what is wrong
    (tmp_path / "later").rename(tmp_path / "docs")
    with caplog.at_level(logging.WARNING):
        loaded = mkdocs_run.load(config, site)
    assert loaded is not None and caplog.records == []  # held back for the build
    warnings = mkdocs_run.run(config, site, loaded=loaded)
    assert sum("not_a_setting" in w for w in warnings) == 1
    assert (site / "index.html").is_file()
