"""What reading the listings costs a rebuild: each listing file's parse kept by its bytes, and each
title's and abstract's clean-up kept by its raw text (`ReadMemo`).

Reading 10,000 papers spends most of its time cleaning abstracts (flattened LaTeX, links) and making
slugs, the same work on the same text every build. The memo is one cache entry (`read`), keyed by
the code that computes what it holds, so a stale entry is never read; within it, a parse is found
only by the file's name, reader and bytes, and a clean-up only by the exact raw text, so what comes
out is what computing it gives. After a build the entry holds exactly what that build used (it does
not grow), and it is rewritten only when that changed."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from generator.cache import Cache, content_key
from generator.model import Link, Listing
from generator.read.registry import Reader
from generator.read.slugs import base_slug
from generator.read.text import clean_abstract, clean_title, extract_links, title_key
from generator.report import Problem, Report

T = TypeVar("T")


@dataclass(frozen=True)
class TitleText:
    """What a raw title gives: its identity, its cleaned form and the slug that asks for."""

    key: str
    title: str
    slug_base: str


@dataclass(frozen=True)
class AbstractText:
    """What a raw abstract gives: its cleaned text and the links found in it."""

    text: str
    links: tuple[Link, ...]


@dataclass
class _Memo:
    # A listing file's parse and the warnings it raised, by its name, reader and bytes.
    files: dict[tuple[str, str, bytes], tuple[Listing, tuple[Problem, ...]]] = field(
        default_factory=dict
    )
    titles: dict[str, TitleText] = field(default_factory=dict)
    abstracts: dict[str, AbstractText] = field(default_factory=dict)


def title_text(raw: str) -> TitleText:
    """`title_key`, `clean_title` and `base_slug` of one raw title."""
    title = clean_title(raw)
    return TitleText(title_key(raw), title, base_slug(title))


def abstract_text(raw: str) -> AbstractText:
    """`clean_abstract` and `extract_links` of one raw abstract."""
    return AbstractText(clean_abstract(raw), extract_links(raw))


class TextMemo:
    """Computes titles' and abstracts' derived text, once per distinct text; without a
    cache this is all it does (`merge_papers` uses it either way)."""

    def __init__(self, before: _Memo | None = None) -> None:
        self._before = before or _Memo()
        self._now = _Memo()

    def title(self, raw: str) -> TitleText:
        return self._memo("titles", raw, title_text)

    def abstract(self, raw: str) -> AbstractText:
        return self._memo("abstracts", raw, abstract_text)

    def _memo(self, kind: str, raw: str, make: Callable[[str], T]) -> T:
        """This build's answer for `raw`: the last build's, else made now."""
        now = getattr(self._now, kind)
        found = now.get(raw)
        if found is None:
            found = getattr(self._before, kind).get(raw) or make(raw)
            now[raw] = found
        return found


class ReadMemo(TextMemo):
    """`TextMemo` and the listing files' parses, loaded from and saved to `cache`."""

    def __init__(self, cache: Cache) -> None:
        # Every module of this package (the readers, the clean-up, this memo), and the
        # slugify library and Unicode's tables that slugs and title keys also follow.
        code = [path.read_text() for path in sorted(Path(__file__).parent.glob("*.py"))]
        code += [metadata.version("python-slugify"), unicodedata.unidata_version]
        self.cache, self.key = cache, content_key(code)
        super().__init__(cache.load("read", self.key, _Memo))

    def listing(self, name: str, data: bytes, reader: Reader, report: Report) -> Listing:
        """`reader(name, data, report)`, or its result from the last build for these bytes
        (its warnings reported again)."""
        file = (name, f"{reader.__module__}.{reader.__qualname__}", hashlib.sha256(data).digest())
        found = self._before.files.get(file)
        if found is None:
            own = Report()
            found = (reader(name, data, own), tuple(own.problems))
        self._now.files[file] = found
        report.problems.extend(found[1])
        return found[0]

    def save(self) -> None:
        """Keep exactly what this build used, when that is not what is stored already (what
        was kept is the stored object itself, so comparing it costs nothing)."""
        if self._now != self._before:
            self.cache.save("read", self.key, self._now)
