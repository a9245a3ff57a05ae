"""MkDocs worker processes started ahead of their jobs (generator.shards.Workers)."""

from generator import budget, shards


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
