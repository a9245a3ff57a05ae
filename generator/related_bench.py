"""`make bench-related`: how long tags, mentions and related links take for N papers.

The catalogue is synthetic but realistic: each paper is a seed paper's title and abstract
with sentences of two other seed papers mixed in (a fixed random seed), so the vocabulary
and abstract lengths are the seeds'. Prints one line per stage and the peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from dataclasses import replace
from pathlib import Path

from generator.catalogue import merge_papers
from generator.mentions import find_mentions
from generator.model import Paper
from generator.pipeline import Project, load_tags, read_listings
from generator.related import related_papers
from generator.report import Report
from generator.taxonomy import tag_papers


def synthetic_papers(seeds: list[Paper], count: int, seed: int = 0) -> list[Paper]:
    rng = random.Random(seed)
    sentences = [p.abstract.split(". ") for p in seeds]
    papers = []
    for n in range(count):
        base = n % len(seeds)
        mixed = list(sentences[base])
        for other in rng.sample(range(len(seeds)), 2):
            mixed.insert(rng.randrange(len(mixed) + 1), rng.choice(sentences[other]))
        papers.append(
            replace(
                seeds[base],
                slug=f"{seeds[base].slug[:60]}-{n}",
                key=f"{seeds[base].key} {n}",
                abstract=". ".join(mixed),
            )
        )
    return sorted(papers, key=lambda p: p.slug)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.related_bench")
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--root", type=Path, default=Path.cwd())
    args = parser.parse_args(argv)
    project = Project(args.root.resolve())
    report = Report()
    seeds = merge_papers(read_listings(project.listings_dir, report), report)
    tags = load_tags(project, report)
    papers = synthetic_papers(seeds, args.papers)
    print(f"{len(papers)} synthetic papers from {len(seeds)} seeds")
    started = time.perf_counter()
    paper_tags = tag_papers(papers, tags, report)
    tagged = time.perf_counter()
    mentions = find_mentions(papers)
    named = {slug: [m.slug for m in found] for slug, found in mentions.items()}
    mentioned = time.perf_counter()
    related = related_papers(papers, paper_tags, mentions=named)
    done = time.perf_counter()
    print(f"tags      {tagged - started:7.1f}s")
    print(f"mentions  {mentioned - tagged:7.1f}s")
    print(f"related   {done - mentioned:7.1f}s ({sum(map(len, related.values()))} links)")
    print(f"total     {done - started:7.1f}s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
