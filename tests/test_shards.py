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
