"""A content-addressed cache for the expensive stages, kept in `.cache/` (git-ignored).

A value is stored under the SHA-256 of everything it was computed from, so a stale entry can never
be read. Entries are pickles written atomically; an unreadable one counts as missing. Only the
newest entry per stage is kept, so the folder does not grow.

The stages a rebuild mostly repeats (`read.cache`, `vectors.cached_vectorize`,
`mentions.cached_mentions`, `taxonomy.cached_tags`, `related_cache`) also keep per-paper parts, each
found by the exact input it was computed from; they give what computing from scratch gives."""

from __future__ import annotations

import gc
import hashlib
import inspect
import pickle
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import TypeVar

import numpy
import scipy

from generator.site.writer import remove, write_atomic

T = TypeVar("T")
VERSION = "2"  # bump when a cached stage's output format or algorithm changes


def content_key(parts: Iterable[str]) -> str:
    """SHA-256 over the parts, each length-prefixed so boundaries cannot shift."""
    digest = hashlib.sha256(VERSION.encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def text_key(first: str, second: str) -> bytes:
    """A short digest of two texts (a title and an abstract), length-prefixed so the
    boundary cannot shift: one call per paper where `content_key` makes several."""
    data = f"{len(first)}:{first}{second}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while the block runs. Unpickling makes up to hundreds of
    thousands of objects, each collection on the way walking all of them again: without
    it, a 15 MB entry loads ten times faster."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class Cache:
    """Stage results by content key under `folder`; `folder=None` disables caching."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits: list[str] = []

    def load(self, stage: str, key: str, kind: type[T]) -> T | None:
        """The value stored for `stage` under `key`, or None (also when it is no `kind`)."""
        if self.folder is None:
            return None
        try:
            with collector_paused():
                value = pickle.loads((self.folder / f"{stage}-{key}.pickle").read_bytes())
        except Exception:  # missing, truncated or foreign: the caller recomputes
            return None
        return value if isinstance(value, kind) else None

    def save(self, stage: str, key: str, value: object) -> None:
        """Store `value`, replacing any older entry of the same stage."""
        if self.folder is None:
            return
        path = self.folder / f"{stage}-{key}.pickle"
        for old in self.folder.glob(f"{stage}-*.pickle"):
            if old != path:
                remove(old)
        write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def get_or_compute(self, stage: str, key: str, compute: Callable[[], T]) -> T:
        value = self.load(stage, key, object)
        if value is not None:
            self.hits.append(stage)
            return value  # type: ignore[return-value]
        value = compute()
        self.save(stage, key, value)
        return value


def code_of(*modules: str) -> str:
    """The source of these modules of `generator.analyse` and the versions of the libraries
    they compute with: a cached result is reused only under the same algorithm and arithmetic."""
    package = "generator.analyse"
    sources = "".join(inspect.getsource(import_module(f"{package}.{name}")) for name in modules)
    return f"{sources}numpy {numpy.__version__} scipy {scipy.__version__}"
