"""`make bench-related`: the generator's own stages (everything before MkDocs) at scale.

`python -m generator.bench.stages --papers N` makes a synthetic project of N papers
(`generator.bench.synth`: word-bigram chains over the seed listings, as `make bench`
uses) under `.bench/stages-N/`, reads and analyses it and writes every generated page's
Markdown and the downloads into its `generated/` (as `python -m generator markdown`) from
a cold cache in a child process, and prints each stage's time and the child's peak memory.

With `--incremental` it then adds one listing of 50 new papers (as `make bench` does),
generates again with the warm cache, and reports how many existing paper pages changed
and why (a new paper entered the related list, or tags, related order moved),
then checks that a fresh build of the same input writes byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from generator.bench import synth
from generator.bench.run import ROOT, copy_project
from generator.bench.run import run_child as bench_child
from generator.site.writer import remove, write_atomic

ADDED = "zz-added.txt"
GENERATED = "generated"  # the pages' Markdown and the downloads, as the plugin makes them


def child(root: Path) -> dict:
    """Everything before MkDocs for the project at `root`: stage times (`run_child` adds
    the peak memory)."""
    from generator.pipeline import Project, build_catalogue, markdown_files, site_files
    from generator.progress import Progress
    from generator.render.paginate import Browse
    from generator.report import Report
    from generator.site.address import Site
    from generator.site.writer import write_files

    progress, report = Progress(show=False), Report()
    started = time.perf_counter()
    catalogue = build_catalogue(Project(root), report, progress)
    with progress.stage("pages"):
        made = site_files(catalogue, Site(), Browse())
        remove(root / GENERATED)
        write_files(root / GENERATED, markdown_files(made))
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "stages": {k: round(v, 2) for k, v in progress.times.items()},
        "papers": len(catalogue.papers),
        "warnings": len(report),
    }


def run_child(root: Path) -> dict:
    """`child` for the project at `root` in a child process, so peak memory is its own."""
    return bench_child("child", str(root), module="generator.bench.stages")


def make_project(root: Path, papers: int) -> None:
    remove(root)
    copy_project(root, synth.catalogue(ROOT / "site_src/listings", papers))


def hashes(docs: Path) -> dict[str, str]:
    """SHA-256 of every file under `docs`, by relative path."""
    return {
        p.relative_to(docs).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(docs.rglob("*"))
        if p.is_file()
    }


def facts(docs: Path) -> dict[str, dict]:
    """What a paper page shows that the catalogue computed: tags and related papers."""
    records = json.loads((docs / "papers.json").read_text())
    return {
        r["slug"]: {
            "abstract": r["abstract"],
            "tags": r["tags"],
            "related": r["related"],
        }
        for r in records
    }


def why_changed(before: dict, after: dict, new: set[str], rewritten: set[str]) -> str:
    """The first reason a page changed: a new paper in its related list, or a paper whose
    abstract a later listing replaced (both follow from the input), else drift."""
    if (set(after["related"]) - set(before["related"])) & new:
        return "new paper entered its related list"
    if before["abstract"] != after["abstract"]:
        return "its own abstract was replaced by the new listing"
    if (set(after["related"]) ^ set(before["related"])) & rewritten:
        return "a paper with a replaced abstract entered or left its list"
    if before["tags"] != after["tags"]:
        return "its tags changed"
    if before["related"] != after["related"]:
        return "related list changed among old papers"
    return "other"


def incremental(root: Path, log) -> dict:
    """Add one listing of 50 papers, regenerate, count and explain changed pages, and
    compare with a fresh build of the same input."""
    docs = root / GENERATED
    old_hashes, old_facts = hashes(docs), facts(docs)
    size = len(old_facts)
    extra = synth.one_listing(ROOT / "site_src/listings", synth.PER_LISTING, seed=size + 1)
    write_atomic(root / "site_src/listings" / ADDED, extra.encode())
    log("incremental generate (+50 papers, warm cache)")
    timing = run_child(root)
    new_hashes, new_facts = hashes(docs), facts(docs)
    new = set(new_facts) - set(old_facts)
    rewritten = {
        slug
        for slug, fact in old_facts.items()
        if slug in new_facts and new_facts[slug]["abstract"] != fact["abstract"]
    }
    changed = sorted(
        name
        for name, digest in new_hashes.items()
        if name.startswith("papers/")
        and name.endswith(".md")
        and old_hashes.get(name, digest) != digest
    )
    reasons: dict[str, int] = {}
    for name in changed:
        slug = name.removeprefix("papers/").removesuffix(".md")
        if slug in old_facts and slug in new_facts:
            why = why_changed(old_facts[slug], new_facts[slug], new, rewritten)
            reasons[why] = reasons.get(why, 0) + 1
    fresh = root.with_name(root.name + "-fresh")
    remove(fresh)
    copy_project(fresh, {})
    remove(fresh / "site_src/listings")
    for path in sorted((root / "site_src/listings").iterdir()):
        write_atomic(fresh / "site_src/listings" / path.name, path.read_bytes())
    log("fresh generate of the same input")
    run_child(fresh)
    fresh_hashes = hashes(fresh / GENERATED)
    differ = sorted(
        n for n in set(fresh_hashes) | set(new_hashes) if fresh_hashes.get(n) != new_hashes.get(n)
    )
    remove(fresh)
    return {
        "timing": timing,
        "new_papers": len(new),
        "changed_old_pages": len(changed),
        "old_pages": size,
        "share": round(len(changed) / size, 4),
        "why": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        "differs_from_fresh": differ[:20],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.bench.stages")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("child").add_argument("root", type=Path)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=ROOT / ".bench")
    parser.add_argument("--incremental", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "child":
        print(json.dumps(child(args.root)))
        return 0

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    root = args.work / f"stages-{args.papers}"
    log(f"{args.papers} synthetic papers in {root}")
    make_project(root, args.papers)
    log("full generate (cold cache)")
    full = run_child(root)
    print(json.dumps({"papers": args.papers, "full": full}))
    if args.incremental:
        print(json.dumps({"papers": args.papers, "incremental": incremental(root, log)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
