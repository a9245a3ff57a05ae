"""Mentions: where an abstract names another catalogued paper by its coined name (the part of its
title before the colon, with an inner capital or a digit: "MathVista", "ColBERT"). A rebuild
(`cached_mentions`) scans only the abstracts whose result can have changed (ARCHITECTURE.md,
"Mentions")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.cache import Cache, code_of, content_key
from generator.model import Mention, Paper

MAX_NAME_WORDS = 3
# Acronyms every other abstract uses: never a paper's own name.
GENERIC = frozenset(
    {
        *("AI", "LLM", "LLMs", "LM", "LMs", "NLP", "GPU", "GPUs", "ML", "DNN", "DNNs"),
        *("CNN", "CNNs", "RNN", "RNNs", "GPT", "BERT", "MLLM", "MLLMs", "VLM", "VLMs"),
        *("LMM", "LMMs", "SOTA", "API", "APIs"),
    }
)
_TOKEN = re.compile(r"\S+")
_LEADING = "([{\"'“‘"
_TRAILING = ",.;:!?\"'”’]}"


def coined(word: str) -> bool:
    """A word made up for a name: an inner capital or a digit, and not a generic acronym."""
    parts = [p for p in re.split(r"[-–]", word.strip("()")) if p]
    return any(
        len(part) >= 2
        and part not in GENERIC
        and (any(c.isupper() for c in part[1:]) or any(c.isdigit() for c in part))
        for part in parts
    ) and any(c.isalpha() for c in word)


def paper_name(title: str) -> str | None:
    """The coined name a title starts with ("MathVista: Evaluating ..."), or None."""
    if ":" not in title:
        return None
    name = " ".join(title.split(":", 1)[0].split())
    words = name.split()
    # A lone generic acronym is not coined, so it is no name either.
    if not 1 <= len(words) <= MAX_NAME_WORDS or not any(coined(w) for w in words):
        return None
    return name


def paper_names(papers: Sequence[Paper]) -> dict[tuple[str, ...], str]:
    """Each name (its words) exactly one of the papers has, and that paper's slug."""
    owners: dict[tuple[str, ...], list[str]] = {}
    for paper in papers:
        name = paper_name(paper.title)
        if name:
            owners.setdefault(tuple(name.split()), []).append(paper.slug)
    return {words: slugs[0] for words, slugs in owners.items() if len(slugs) == 1}


def name_index(names: Mapping[tuple[str, ...], str]) -> dict[str, list[tuple[str, ...]]]:
    """The names by their first word, longest first (the longest name wins)."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for words in sorted(names, key=lambda w: (-len(w), w)):
        by_first.setdefault(words[0], []).append(words)
    return by_first


def scan(
    paper: Paper,
    names: Mapping[tuple[str, ...], str],
    by_first: Mapping[str, list[tuple[str, ...]]],
) -> tuple[Mention, ...]:
    """Where one paper's abstract names another of `names` (`name_index` gives
    `by_first`), in text order."""
    raw = [(m.group(), m.start()) for m in _TOKEN.finditer(paper.abstract)]
    found: list[Mention] = []
    i = 0
    while i < len(raw):
        token, start = raw[i]
        # Most tokens are plain words that start no name: skip them without stripping.
        if token not in by_first and not _punctuated(token):
            i += 1
            continue
        for words in by_first.get(_strip(token, start)[0], ()):
            span = [_strip(t, s) for t, s in raw[i : i + len(words)]]
            if tuple(t for t, _, _ in span) == words and names[words] != paper.slug:
                found.append(Mention(span[0][1], span[-1][2], names[words]))
                i += len(words) - 1
                break
        i += 1
    return tuple(found)


def _punctuated(token: str) -> bool:
    """Whether `_strip` could change the token."""
    return token[0] in _LEADING or token[-1] in _TRAILING or token[-1] in ")s"


def _strip(token: str, start: int) -> tuple[str, int, int]:
    """A token without surrounding punctuation (and a possessive 's), with its span."""
    end = start + len(token)
    while token and token[0] in _LEADING:
        token, start = token[1:], start + 1
    while token:
        if token.endswith(("'s", "’s")):
            token, end = token[:-2], end - 2
        elif token[-1] in _TRAILING or (token[-1] == ")" and token.count("(") < token.count(")")):
            token, end = token[:-1], end - 1
        else:
            break
    return token, start, end


@dataclass(frozen=True)
class MentionState:
    """The names of one build and, by slug, each paper's abstract and its mentions."""

    names: dict[tuple[str, ...], str]
    found: dict[str, tuple[str, tuple[Mention, ...]]]


def cached_mentions(papers: Sequence[Paper], cache: Cache) -> dict[str, tuple[Mention, ...]]:
    """For each paper, the places its abstract names another paper, in text order; scanning
    again only what can have changed since the build `cache` holds (none: `Cache(None)`)."""
    key = content_key([code_of("mentions")])
    names = paper_names(papers)
    by_first = name_index(names)
    before = cache.load("mentions", key, MentionState) or MentionState({}, {})
    changed = names.items() ^ before.names.items()  # names added, dropped or moved
    # Only abstracts the last build scanned can be kept, so only those are searched.
    old = [p for p in papers if p.slug in before.found and before.found[p.slug][0] == p.abstract]
    longest = {max(words, key=len) for words, _ in changed}  # in any match of the name
    kept = {p.slug for p in old if not (longest and any(w in p.abstract for w in longest))}
    found = {
        p.slug: before.found[p.slug] if p.slug in kept else (p.abstract, scan(p, names, by_first))
        for p in papers
    }
    if (state := MentionState(names, found)) != before:
        cache.save("mentions", key, state)
    return {slug: mentioned for slug, (_, mentioned) in found.items() if mentioned}
