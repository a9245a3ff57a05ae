"""The benchmark: full build, incremental build and the anchor, per catalogue size.

For each size N a project is made under `.bench/N/` (synthetic listings from
`synth`, this project's mkdocs.yml, taxonomy and docs/; the catalogue plugin brings its
theme layer). Every build runs in a child process so peak memory is per build: `child`
builds the site as `make build` does (`pipeline.build`: MkDocs with the catalogue plugin)
and reports its stage times; `anchor` builds the same papers as plain Markdown pages
(title and abstract, out of the nav) with a bare mkdocs-material configuration. After the
full build of the largest size up to 10,000, one listing of 50 new papers is added and the
site rebuilt. Results go to `.bench/results.json` and `.bench/results.md` (git-ignored);
the README keeps the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from generator.bench import synth
from generator.bench.search import CHROMIUM, reader_costs, search_cost
from generator.read.slugs import PAGE
from generator.site.writer import remove, write_atomic

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = ("mkdocs.yml", "site_src/taxonomy.yaml")
PROJECT_DIRS = ("docs",)  # the hand-written pages
INCREMENTAL_AT = 10_000
# Rebuilds after adding a listing, each of new papers and taken out again after (an untimed
# build): their median is reported, since on a shared machine one run can vary by a third.
INCREMENTAL_RUNS = 3
# Full builds and anchors at the rebuild's size, in turns: the anchor alone varied from 30 to
# 43 s within a quarter of an hour here, so one pair decided a ratio by luck.
PAIRS = 3
ANCHOR_CONFIG = """site_name: Anchor
site_url: https://example.org/anchor/
theme:
  name: material
  font: false
plugins:
  - search
nav:
  - Home: index.md
not_in_nav: |
  /papers/*.md
"""


class TreeMemory:
    """The peak of the memory of process `pid` (this one by default) and all its descendants
    together (the Pagefind runs beside MkDocs), sampled every `interval` seconds from /proc
    while the block runs. getrusage cannot give it: a child started by vfork and exec
    reports the parent's size at that moment as its own peak, so the sum of peaks
    overstates; and a forked child shares its parent's pages, which summed resident sizes
    would count once per process (see `tree_memory`). The bench samples a build from
    outside it, the anchor's too, once a second (the peaks last longer): reading a large
    process's memory map takes the kernel about 20 ms, which a thread sampling inside the
    build every 0.2 s added to its time alone (6% at 10,000 papers)."""

    def __init__(self, pid: int | None = None, interval: float = 1.0) -> None:
        self.pid, self.interval, self.peak = pid or os.getpid(), interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, tree_memory(self.pid))
            if self._stop.wait(self.interval):
                return


def tree_memory(root: int) -> int:
    """Bytes of memory process `root` and its descendants take together, from /proc: the
    sum of their proportional set sizes (a page shared by n of them counts 1/n in each,
    as after a fork), or of their resident sizes where the kernel gives no PSS."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue  # it ended meanwhile
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            total += process_memory(pid)
        except (OSError, ValueError):
            continue
    return total


def process_memory(pid: int) -> int:
    """One process's proportional set size in bytes (resident size without smaps_rollup)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        rollup = ""
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and every child it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def copy_project(target: Path, listings: dict[str, str]) -> None:
    """This project's configuration, taxonomy and pages plus the synthetic listings at
    `target` (the plugin and its theme layer come with the installed `generator`)."""
    for name in PROJECT_FILES:
        write_atomic(target / name, (ROOT / name).read_bytes())
    for folder in PROJECT_DIRS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                write_atomic(target / path.relative_to(ROOT), path.read_bytes())
    remove(target / "site_src/listings")
    for name, text in listings.items():
        write_atomic(target / "site_src/listings" / name, text.encode())
    (target / "docs").mkdir(exist_ok=True)


def child_build(root: Path) -> dict:
    """One real build of the project at `root` (run in a child process)."""
    from generator.pipeline import Project, build
    from generator.progress import Progress

    progress = Progress(show=False)
    started, cpu = time.perf_counter(), cpu_seconds()
    result = build(Project(root), progress=progress)
    total = time.perf_counter() - started
    papers = len(result.catalogue.papers)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": round(total, 2),
        "cpu_seconds": round(cpu_seconds() - cpu, 1),
        "stages": {k: round(v, 2) for k, v in progress.times.items()},
        "papers": papers,
        "warnings": result.warnings,
        "main_mb": round(own, 1),  # the build process alone; `run_child` adds the tree's
    }


def child_anchor(root: Path, listings_dir: Path) -> dict:
    """The same papers as plain pages, built with a bare mkdocs-material configuration."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator.pipeline import read_listings
    from generator.read.merge import merge_papers
    from generator.render.escape import md_inline
    from generator.report import Report

    report = Report()
    papers = merge_papers(read_listings(listings_dir, report), report)
    remove(root)
    write_atomic(root / "mkdocs.yml", ANCHOR_CONFIG.encode())
    write_atomic(root / "docs/index.md", b"# Anchor\n")
    for paper in papers:
        page = f"# {md_inline(paper.title)}\n\n{md_inline(paper.abstract)}\n"
        write_atomic(root / "docs/papers" / f"{paper.slug}.md", page.encode())
    started, cpu = time.perf_counter(), cpu_seconds()
    mkdocs_build(load_config(str(root / "mkdocs.yml")))
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(cpu_seconds() - cpu, 1),
        "papers": len(papers),
        "site_mb": round(folder_bytes(root / "site") / 2**20, 1),
        "bytes_per_paper_page": page_bytes(root / "site"),
    }


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def page_bytes(site: Path) -> int:
    """Mean size of a paper page (papers/<slug>/index.html; not the Papers list's later
    pages, papers/page-<n>/, a name no paper takes)."""
    pages = site.glob("papers/*/index.html")
    sizes = [p.stat().st_size for p in pages if not PAGE.fullmatch(p.parent.name)]
    return round(sum(sizes) / len(sizes)) if sizes else 0


def run_child(*args: str, module: str = "generator.bench") -> dict:
    """Run `python -m <module> <args>` and parse the JSON it prints last, with the peak
    memory of its process tree (`peak_mb`)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", module, *args]
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    with child, TreeMemory(child.pid) as tree:
        out, err = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"bench child {args} failed:\n{err[-4000:]}")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_mb": tree.peak_mb}


def incremental_size(sizes: list[int]) -> int | None:
    """The size whose rebuild is measured: the largest up to INCREMENTAL_AT."""
    return max((size for size in sizes if size <= INCREMENTAL_AT), default=None)


def measure(size: int, work: Path, log, rebuild: bool = False) -> dict:
    """Full build and anchor for one size, and with `rebuild` the incremental build.

    With `rebuild` (the size where the targets compare times), full builds (each from
    nothing) and anchors take turns PAIRS times: each pair sees the machine in the same
    phase, and the medians are reported, with every pair's ratio (`pairs`)."""
    root = work / str(size)
    listings = synth.catalogue(ROOT / "site_src/listings", size)
    fulls, anchors = [], []
    for turn in range(PAIRS if rebuild else 1):
        remove(root)
        copy_project(root, listings)
        log(f"N={size}: full build" + (f" {turn + 1} of {PAIRS}" if rebuild else ""))
        fulls.append(run_child("child", str(root)))
        log(f"N={size}: anchor")
        anchors.append(
            run_child("anchor", str(work / f"{size}-anchor"), str(root / "site_src/listings"))
        )
    full = median(fulls)
    site = root / "site"  # the last full build's, the one the rebuilds start from
    full["site_mb"] = round(folder_bytes(site) / 2**20, 1)
    full["bytes_per_paper_page"] = page_bytes(site)
    full["search"] = search_cost(site)
    full.update(reader_costs(site))
    row: dict[str, Any] = {
        "size": size,
        "load": os.getloadavg()[0],
        "full": full,
        "anchor": median(anchors),
    }
    if len(fulls) > 1:
        row["pairs"] = [
            round(one["seconds"] / other["seconds"], 2)
            for one, other in zip(fulls, anchors, strict=True)
        ]
        row["full_runs"] = [one["seconds"] for one in fulls]
        row["anchor_runs"] = [other["seconds"] for other in anchors]
    if rebuild:
        row["incremental"] = incremental(root, size, log)
        # each rebuild against the full build nearest it in time: the last one
        row["incremental"]["of_last_full"] = round(
            row["incremental"]["seconds"] / fulls[-1]["seconds"], 3
        )
    return row


def median(results: list[dict], key: str = "seconds") -> dict:
    """The result with the median `key` (the later of the two middle ones)."""
    return dict(sorted(results, key=lambda result: result[key])[len(results) // 2])


def incremental(root: Path, size: int, log) -> dict:
    """The median of INCREMENTAL_RUNS rebuilds of `root`, each after adding a listing of
    papers never seen before (`synth.one_listing`), which an untimed build after each
    takes out again; every run's seconds in `runs`."""
    added = root / "site_src/listings/zz-added.txt"
    seeds = ROOT / "site_src/listings"
    runs = []
    for run in range(INCREMENTAL_RUNS):
        extra = synth.one_listing(seeds, synth.PER_LISTING, seed=size + 1 + run)
        write_atomic(added, extra.encode())
        log(f"N={size}: incremental build {run + 1} after adding {synth.PER_LISTING} papers")
        runs.append(run_child("child", str(root)))
        added.unlink()
        if run + 1 < INCREMENTAL_RUNS:
            run_child("child", str(root))  # back to the catalogue before: not timed
    return {**median(runs), "runs": [result["seconds"] for result in runs]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.bench")
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("child")
    child.add_argument("root", type=Path)
    anchor = sub.add_parser("anchor")
    anchor.add_argument("root", type=Path)
    anchor.add_argument("listings", type=Path)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--work", type=Path, default=ROOT / ".bench")
    parser.add_argument("--out", type=Path, default=ROOT / ".bench")
    args = parser.parse_args(argv)
    if args.command == "child":
        print(json.dumps(child_build(args.root)))
        return 0
    if args.command == "anchor":
        print(json.dumps(child_anchor(args.root, args.listings)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not os.access(CHROMIUM, os.X_OK):  # before minutes of building, not after
        print(f"{CHROMIUM} not found: run `make chromium` (or `make bench`)", file=sys.stderr)
        return 2
    rows = []
    rebuilt = incremental_size(sizes)
    for size in sizes:
        log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
        rows.append(measure(size, args.work, log, rebuild=size == rebuilt))
        print(json.dumps(rows[-1]), file=sys.stderr)
    results = {"machine": machine(), "sizes": rows}
    write_atomic(args.out / "results.json", (json.dumps(results, indent=1) + "\n").encode())
    write_atomic(args.out / "results.md", table(results).encode())
    print(table(results))
    return 0


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def table(results: dict) -> str:
    """The results as a Markdown table, one row per size."""
    head = (
        "| papers | full build (median [runs]) | stages (s) | anchor (median [runs]) "
        "| full/anchor (median [pairs]) | +50 papers (median [runs]) "
        "| peak MB | site MB | KB/paper page | one search (median [runs]) "
        "| first visit KB | similar papers KB |\n"
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines = []
    for row in results["sizes"]:
        full, anchor = row["full"], row["anchor"]
        stages = ", ".join(f"{k} {v:.1f}" for k, v in full["stages"].items())
        search = full["search"]
        runs = search.get("runs_ms_after_page", ())
        search_runs = f" [{'; '.join(map(str, runs))}]" if len(runs) > 1 else ""
        pairs = row.get("pairs", ())
        ratio = (
            f"{sorted(pairs)[len(pairs) // 2]:.2f} [{'; '.join(f'{p:.2f}' for p in pairs)}]"
            if pairs
            else f"{full['seconds'] / anchor['seconds']:.2f}"
        )
        full_runs = _runs(row.get("full_runs", ()))
        anchor_runs = _runs(row.get("anchor_runs", ()))
        inc = row.get("incremental")
        inc_text = "–"
        if inc:
            spread = "; ".join(f"{seconds:.1f}" for seconds in inc.get("runs", ()))
            inc_text = f"{inc['seconds']:.1f} s, {inc['cpu_seconds']:.0f} s CPU"
            inc_text += f" ({inc['seconds'] / full['seconds']:.0%})"
            inc_text += f" [{spread}]" if spread else ""
        lines.append(
            f"| {row['size']:,} | {full['seconds']:.1f} s ({full['cpu_seconds']:.0f} s CPU)"
            f"{full_runs} | {stages} | {anchor['seconds']:.1f} s "
            f"({anchor['cpu_seconds']:.0f} s CPU){anchor_runs} | {ratio} | {inc_text} "
            f"| {full['peak_mb']:.0f} "
            f"| {full['site_mb']:.0f} | {full['bytes_per_paper_page'] / 1000:.1f} "
            f"| {search['engine']} {search['bytes'] / 1000:.0f} KB, "
            f"{search['results_ms_after_page']} ms{search_runs} "
            f"| {full.get('first_visit_bytes', 0) / 1000:.0f} "
            f"| {full.get('similar_bytes', 0) / 1000:.0f} |"
        )
    return head + "\n".join(lines) + "\n"


def _runs(seconds: list[float]) -> str:
    return f" [{'; '.join(f'{s:.1f}' for s in seconds)}]" if len(seconds) > 1 else ""
