"""Stage timing and progress for long builds.

Every stage of the pipeline runs inside `Progress.stage`, which records its wall time (the
benchmark reads `Progress.times`). Progress lines (stage, count, rate) go to stderr only
when it is a terminal, so logs and CI output stay quiet.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

REFRESH = 0.2  # seconds between progress lines


class Progress:
    """Times named stages; shows `stage: count/total (rate/s)` on a terminal."""

    def __init__(self, out: TextIO | None = None, show: bool | None = None) -> None:
        self.out = out if out is not None else sys.stderr
        self.show = show if show is not None else _is_tty(self.out)
        self.times: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str, total: int = 0) -> Iterator[Callable[[int], None]]:
        """Run a stage; the yielded function reports `n` more items done."""
        started = last = time.perf_counter()
        done = 0

        def advance(n: int = 1) -> None:
            nonlocal done, last
            done += n
            now = time.perf_counter()
            if self.show and now - last >= REFRESH:
                last = now
                self._line(name, done, total, now - started, end="\r")

        try:
            yield advance
        finally:
            elapsed = time.perf_counter() - started
            self.times[name] = self.times.get(name, 0.0) + elapsed
            if self.show:
                self._line(name, done, total, elapsed, end="\n")

    def _line(self, name: str, done: int, total: int, elapsed: float, end: str) -> None:
        count = f"{done}/{total}" if total else (str(done) if done else "")
        rate = f" ({done / elapsed:,.0f}/s)" if done and elapsed > 0 else ""
        self.out.write(f"\x1b[2K{name:<10} {count}{rate} {elapsed:6.1f}s{end}")
        self.out.flush()


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
