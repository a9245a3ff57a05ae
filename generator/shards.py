"""MkDocs on every core: the site's pages split among processes that build at once.

MkDocs renders pages one at a time in one process. For large catalogues the pipeline
starts `workers` processes (`python -m generator.shards`), each building the same site
while rendering only its share of the pages (the split is made by the `page_cache` hook,
the same in every process): share 0 into the real output folder, the others into folders
of their own. Afterwards every file a worker wrote that share 0 did not (exactly the pages
of the worker's share) is moved in. Warnings of all processes are returned together, so
strict mode still sees every one of them.

Workers started ahead of their jobs can be told their jobs early (`Workers.prepare`, as
the build starts): each then loads MkDocs' configuration while docs/ is being written,
and uses it when the job it is given is that one.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator import mkdocs_run
from generator.page_cache import PLAN_ENV
from generator.site import read_config
from generator.writer import remove

MAX_WORKERS = 4


def workers(extra: object) -> int:
    """`extra.catalogue_build.workers` from mkdocs.yml, else one per CPU (at most 4)."""
    settings = extra.get("catalogue_build") if isinstance(extra, dict) else None
    value = settings.get("workers") if isinstance(settings, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def configured_extra(config_file: Path) -> dict:
    """mkdocs.yml's `extra` (empty when unreadable)."""
    try:
        extra = read_config(config_file).get("extra")
    except (OSError, ValueError):
        return {}
    return extra if isinstance(extra, dict) else {}


@contextmanager
def plan(
    previous: Path, bodies: Path, shard: int, shards: int, in_place: bool = False
) -> Iterator[None]:
    """Tell the page_cache hook of this process which site to reuse (and whether it is
    updated in place), where the ready HTML bodies are and which share of pages to build."""
    before = os.environ.get(PLAN_ENV)
    os.environ[PLAN_ENV] = json.dumps(
        {
            "previous": str(previous),
            "bodies": str(bodies),
            "shard": shard,
            "shards": shards,
            "in_place": in_place,
        }
    )
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PLAN_ENV, None)
        else:
            os.environ[PLAN_ENV] = before


class Workers:
    """MkDocs worker processes started ahead of their jobs (`python -m generator.shards`
    with no job): each imports MkDocs and the theme's code while docs/ is still being
    written, then waits for its job on standard input. `run` hands them their shares."""

    def __init__(self, count: int) -> None:
        self.children = [
            subprocess.Popen(
                [sys.executable, "-m", "generator.shards"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(count)
        ]

    def __len__(self) -> int:
        return len(self.children)

    def prepare(self, jobs: list[dict]) -> None:
        """Tell each worker the job it will most likely get (`jobs`, one each): it loads
        that job's configuration meanwhile. A worker given another job loads its own."""
        if len(jobs) != len(self.children):
            return
        for job, child in zip(jobs, self.children, strict=True):
            try:
                child.stdin.write(json.dumps({"prepare": job}) + "\n")
                child.stdin.flush()
            except OSError:  # it ended: `run` finds out
                continue

    def close(self) -> None:
        """End any worker that was never given a job, or is still running."""
        for child in self.children:
            if child.poll() is None:
                child.kill()
                child.wait()
            for stream in (child.stdin, child.stdout):
                if stream is not None and not stream.closed:
                    stream.close()


def run(jobs: list[dict], workers: Workers | None = None) -> list[str]:
    """Build the site as `jobs` say (`jobs`: one per process, share 0 into the real output
    folder); return the warnings. With one, MkDocs runs in this process; with more, every
    share runs in a process of its own, so what MkDocs holds goes when it ends: the
    `workers` already started, when given (as many), else new ones. A job `in_place`
    leaves out the pages unchanged in its `previous` site, and lists them
    (`page_cache.kept_pages`)."""
    count, site_dir = len(jobs), Path(jobs[0]["site_dir"])
    if count <= 1:
        return _build(jobs[0])
    folders = [Path(job["site_dir"]) for job in jobs]
    if workers is not None and len(workers) != count:
        workers.close()  # started for another split
        workers = None
    workers = workers if workers is not None else Workers(count)
    warnings: list[str] = []
    try:
        for job, folder, child in zip(jobs, folders, workers.children, strict=True):
            remove(folder)
            child.stdin.write(json.dumps(job) + "\n")
            child.stdin.flush()  # communicate() below closes it
        for child, folder in zip(workers.children, folders, strict=True):
            out, _ = child.communicate()
            if child.returncode != 0:
                raise RuntimeError(f"MkDocs worker for {folder.name} failed ({child.returncode})")
            report = json.loads(out.strip().splitlines()[-1])
            warnings += report["warnings"]
            for note in report["notes"]:
                logging.getLogger("mkdocs").info(note)
            if folder != site_dir:
                move_missing(folder, site_dir)
    finally:
        workers.close()
        for folder in folders[1:]:
            remove(folder)
    return warnings


def jobs(
    root: Path,
    site_dir: Path,
    previous: Path,
    bodies: Path,
    options: dict,
    count: int,
    in_place: bool = False,
) -> list[dict]:
    """The jobs of `run`'s `count` worker processes: share 0 builds into `site_dir`, the
    others into folders beside it."""
    folders = [site_dir] + [site_dir.with_name(f"{site_dir.name}-{n}") for n in range(1, count)]
    return [
        {
            "root": str(root),
            "site_dir": str(folder),
            "previous": str(previous),
            "bodies": str(bodies),
            "options": options,
            "shard": shard,
            "shards": count,
            "in_place": in_place,
        }
        for shard, folder in enumerate(folders)
    ]


def move_missing(source: Path, target: Path) -> int:
    """Move everything under `source` that `target` lacks into `target`: a folder missing
    there moves whole (a worker's paper pages each sit in a folder of their own), so the
    worker's folder is left nearly empty; count the entries moved."""
    moved = 0
    for folder, folders, names in os.walk(source):
        into = os.path.join(target, os.path.relpath(folder, source))
        for name in sorted(names):
            destination = os.path.join(into, name)
            if not os.path.exists(destination):
                os.replace(os.path.join(folder, name), destination)
                moved += 1
        kept = []
        for name in sorted(folders):
            destination = os.path.join(into, name)
            if os.path.exists(destination):
                kept.append(name)  # walked into next
            else:
                os.replace(os.path.join(folder, name), destination)
                moved += 1
        folders[:] = kept
    return moved


class _Notes(logging.Handler):
    """The page cache's summary line, passed on to the parent's log."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("page cache:"):
            self.messages.append(record.getMessage())


def main(argv: list[str] | None = None) -> int:
    """A worker: build one share of the site (the job given, else read from standard input
    once MkDocs is imported); print its warnings as JSON."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-8s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING)  # the notes are passed on, not printed here
    notes = _Notes()
    logging.getLogger("mkdocs").addHandler(notes)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    args = argv if argv is not None else sys.argv[1:]
    prepared: tuple[dict, mkdocs_run.Loaded | None] | None = None
    if not args:
        _warm_up()
        line = sys.stdin.readline()
        message = json.loads(line) if line.strip() else None
        if isinstance(message, dict) and isinstance(message.get("prepare"), dict):
            expected = message["prepare"]
            prepared = (expected, _load(json.loads(json.dumps(expected))))
            line = sys.stdin.readline()
        if not line.strip():
            return 0  # never given a job
    job = json.loads(args[0] if args else line)
    loaded = prepared[1] if prepared is not None and prepared[0] == job else None
    warnings = _build(job, loaded)
    print(json.dumps({"warnings": warnings, "notes": notes.messages, "prepared": bool(loaded)}))
    return 0


def _build(job: dict, loaded: mkdocs_run.Loaded | None = None) -> list[str]:
    """MkDocs' build of one job (`jobs`), with its configuration when `loaded` already."""
    place = job.get("in_place") is True
    with plan(Path(job["previous"]), Path(job["bodies"]), job["shard"], job["shards"], place):
        return mkdocs_run.run(
            Path(job["root"]) / "mkdocs.yml",
            Path(job["site_dir"]),
            options=job["options"],
            loaded=loaded,
        )


def _load(job: dict) -> mkdocs_run.Loaded | None:
    """The configuration of `job` (a copy: loading takes its options apart), or None."""
    try:
        return mkdocs_run.load(
            Path(job["root"]) / "mkdocs.yml", Path(job["site_dir"]), options=job["options"]
        )
    except (KeyError, TypeError):
        return None


def _warm_up() -> None:
    """Import what building the site will: MkDocs, the theme, Markdown's extensions."""
    import importlib

    for name in (
        "mkdocs.config.defaults",
        "mkdocs.structure.nav",
        "material.plugins.search.plugin",
        "markdown.extensions.toc",
        "pymdownx.highlight",
        "pymdownx.superfences",
        "pymdownx.emoji",
        "pygments.lexers.bibtex",
        "pygments.formatters.html",
        "generator.stamp",
    ):
        try:
            importlib.import_module(name)
        except ImportError:  # only time is lost: the build imports what it needs
            continue


if __name__ == "__main__":
    raise SystemExit(main())
