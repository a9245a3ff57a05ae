"""Stage timing, and progress for long builds (tqdm): `Progress.stage` records a stage's
wall time (the benchmark reads `Progress.times`) and, on a terminal, shows its count and
rate while it runs."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm


class Progress:
    """Times named stages; shows `stage: count/total [rate]` on a terminal."""

    def __init__(self, out: TextIO | None = None, show: bool | None = None) -> None:
        self.out = out if out is not None else sys.stderr
        self.show = show if show is not None else _is_tty(self.out)
        self.times: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str, total: int = 0) -> Iterator[Callable[[int], object]]:
        """Run a stage; the yielded function reports `n` more items done."""
        started = time.perf_counter()
        bar = self.bar(name, total)
        try:
            yield bar.update
        finally:
            self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - started
            bar.close()

    def bar(self, name: str, total: int = 0) -> tqdm:
        """A progress bar of `total` items (unknown when 0), shown only on a terminal."""
        return tqdm(
            total=total or None,
            desc=f"{name:<10}",
            file=self.out,
            disable=not self.show,
            mininterval=0.2,
            unit="",
            dynamic_ncols=True,
        )


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
