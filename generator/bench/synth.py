"""Synthetic catalogues for the benchmark, made from the seed listings' own vocabulary.

Titles and abstracts are drawn from word-bigram chains trained on the real seed titles and
abstracts, so tagging, TF-IDF and page sizes behave as they would on real listings. Each
listing holds about 50 papers; about one entry in ten repeats a paper from an earlier
listing, as the real captures do. Seeded, so the same size gives the same catalogue.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from generator.read.listing import read_listing
from generator.report import Report

PER_LISTING = 50
REPEAT_SHARE = 0.1
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    "byAK and the research community\n\n"
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_END = "\x00"


class Chain:
    """A word-bigram chain: what follows each word in the training text, with repeats."""

    def __init__(self, texts: list[str]) -> None:
        self.follow: dict[str, list[str]] = defaultdict(list)
        self.starts: list[str] = []
        for text in texts:
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                words = sentence.split()
                if len(words) < 3:
                    continue
                self.starts.append(words[0])
                for a, b in zip(words, [*words[1:], _END], strict=True):
                    self.follow[a].append(b)

    def sentence(self, rng: random.Random, limit: int) -> str:
        words = [rng.choice(self.starts)]
        while len(words) < limit:
            nxt = rng.choice(self.follow.get(words[-1]) or [_END])
            if nxt == _END:
                break
            words.append(nxt)
        return " ".join(words)


def seed_texts(listings_dir: Path) -> tuple[list[str], list[str]]:
    """Titles and abstracts of the seed listings."""
    titles, abstracts = [], []
    for path in sorted(listings_dir.glob("*.txt")):
        listing = read_listing(path.name, path.read_bytes(), Report())
        for record in listing.records:
            titles.append(record.title)
            abstracts.append(record.abstract)
    return titles, abstracts


def papers(titles: Chain, abstracts: Chain, rng: random.Random) -> Iterator[tuple[str, str]]:
    """An endless stream of (title, abstract) pairs with distinct titles."""
    seen: set[str] = set()
    while True:
        title = titles.sentence(rng, 14).rstrip(".")
        if len(title) < 12 or title.lower() in seen:
            continue
        seen.add(title.lower())
        sentences = [abstracts.sentence(rng, 40) for _ in range(rng.randint(5, 9))]
        abstract = " ".join(s if s.endswith((".", "!", "?")) else s + "." for s in sentences)
        yield title, abstract


def catalogue(seed_dir: Path, count: int, seed: int = 7) -> dict[str, str]:
    """About `count` distinct papers as listing files: {file name: text}."""
    title_texts, abstract_texts = seed_texts(seed_dir)
    stream = papers(Chain(title_texts), Chain(abstract_texts), random.Random(seed))
    rng = random.Random(seed + 1)
    made: list[tuple[str, str]] = []
    files: dict[str, str] = {}
    number = 0
    while len(made) < count:
        entries = []
        for _ in range(PER_LISTING):
            if made and rng.random() < REPEAT_SHARE:
                entries.append(rng.choice(made))
            elif len(made) < count:
                made.append(next(stream))
                entries.append(made[-1])
        files[f"{number:05d}.txt"] = listing_text(entries, number)
        number += 1
    return files


def listing_text(entries: list[tuple[str, str]], number: int) -> str:
    date = f"{MONTHS[number % 12]} {number % 28 + 1}"
    body = "\n\n".join(f"{title}\n\n{abstract}" for title, abstract in entries)
    return f"{HEADER}{date}\n\n{body}\n"


def one_listing(seed_dir: Path, count: int, seed: int) -> str:
    """A further listing of `count` new papers, for the incremental-build measurement."""
    title_texts, abstract_texts = seed_texts(seed_dir)
    stream = papers(Chain(title_texts), Chain(abstract_texts), random.Random(seed))
    return listing_text([next(stream) for _ in range(count)], seed)
