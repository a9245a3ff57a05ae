"""Work split among forked processes, so it uses every core and its memory goes when it ends.

A forked child starts with the parent's memory (the catalogue) shared, does its share,
sends back a small picklable result and exits: what it allocated on the way, such as
the text of thousands of rendered pages, never lands in the parent, whose memory Python
would not give back. Without `os.fork` (Windows), the shares run here, one by one.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
S = TypeVar("S")


class ChildFailed(RuntimeError):
    """A forked share raised; the message holds its traceback."""


def map_forked(work: Callable[[S], T], shares: Sequence[S]) -> list[T]:
    """`[work(share) for share in shares]`, each share in a forked child of its own."""
    if not hasattr(os, "fork") or len(shares) == 0:
        return [work(share) for share in shares]
    children = []
    # Objects the children inherit are moved out of the collector's sight first: a
    # collection walking them would write to every page holding one, and each child
    # would end up with a private copy of the parent's memory.
    gc.freeze()
    try:
        for share in shares:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns into the caller's code
                os.close(read)
                _child(work, share, write)
            os.close(write)
            children.append((pid, read))
        results = []
        while children:
            pid, read = children.pop(0)
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            failed, value = pickle.loads(data) if data else (True, f"exit status {status}")
            if failed:
                raise ChildFailed(value)
            results.append(value)
        return results
    finally:
        gc.unfreeze()
        for pid, read in children:  # after a failure: reap the rest
            with contextlib.suppress(OSError):
                os.close(read)
            os.waitpid(pid, 0)


def _child(work: Callable, share: object, write: int) -> None:
    code = 0
    try:
        try:
            message = pickle.dumps((False, work(share)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            message = pickle.dumps((True, traceback.format_exc()))
            code = 1
        with os.fdopen(write, "wb") as pipe:
            pipe.write(message)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)  # no atexit handlers, no unwinding into the parent's frames
