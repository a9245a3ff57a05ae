"""Work split among forked processes, so it uses every core and its memory goes when it ends.

A forked child starts with the parent's memory (the catalogue) shared, does its share,
sends back a small picklable result and exits: what it allocated on the way, such as
the text of thousands of rendered pages, never lands in the parent, whose memory Python
would not give back. A child may also send results on the way (`run_forked`), which the
parent acts on while the child goes on, or work beside the parent until it is asked for
its result (`started`). Without `os.fork` (Windows), the work runs in the caller.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
S = TypeVar("S")

_SIZE = 8  # bytes of each message's length
BESIDE_FROM = 1000  # papers from which work beside the caller is worth a process
_SENT, _DONE, _FAILED = 0, 1, 2


class ChildFailed(RuntimeError):
    """A forked share raised; the message holds its traceback."""


def map_forked(work: Callable[[S], T], shares: Sequence[S]) -> list[T]:
    """`[work(share) for share in shares]`, each share in a forked child of its own."""
    if not hasattr(os, "fork") or len(shares) == 0:
        return [work(share) for share in shares]
    with _forking():
        children = [_fork(lambda send, share=share: work(share)) for share in shares]
        try:
            return [_outcome(child, lambda message: None) for child in children]
        finally:
            for child in children:
                _reap(child)


def run_forked(work: Callable[[Callable[[object], None]], T], heard: Callable[[object], None]) -> T:
    """`work(send)` in a forked child; each `send(message)` there calls `heard(message)`
    here as soon as it arrives, while the child goes on. The result of `work` is returned."""
    if not hasattr(os, "fork"):
        return work(heard)
    with _forking():
        child = _fork(work)
        try:
            return _outcome(child, heard)
        finally:
            _reap(child)


def started(work: Callable[[], T], worth: bool = True) -> Callable[[], T]:
    """`work()` begun in a forked child now, beside the caller's own work; calling the
    function returned waits for its result. Without `os.fork`, or when the work is not
    `worth` a process (small catalogues), it runs when the result is asked for."""
    if not hasattr(os, "fork") or not worth:
        return work
    with _forking():
        child = _fork(lambda send: work())

    def result() -> T:
        try:
            return _outcome(child, lambda message: None)
        finally:
            _reap(child)

    return result


_frozen = 0  # how many `_forking` blocks are open (a child may be forked from within one)


@contextlib.contextmanager
def _forking() -> Iterator[None]:
    # Objects the children inherit are moved out of the collector's sight first: a
    # collection walking them would write to every page holding one, and each child
    # would end up with a private copy of the parent's memory. Only the outermost block
    # lets them back, or an inner one would while the outer's child still shares them.
    global _frozen
    if _frozen == 0:
        gc.freeze()
    _frozen += 1
    try:
        yield
    finally:
        _frozen -= 1
        if _frozen == 0:
            gc.unfreeze()


class _Child:
    def __init__(self, pid: int, pipe) -> None:
        self.pid = pid
        self.pipe = pipe
        self.status: int | None = None


def _fork(work: Callable[[Callable[[object], None]], object]) -> _Child:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        os.close(read)
        _child(work, write)
    os.close(write)
    return _Child(pid, os.fdopen(read, "rb"))


def _outcome(child: _Child, heard: Callable[[object], None]) -> object:
    """Read the child's messages (passing them to `heard`) up to its result."""
    while True:
        header = child.pipe.read(_SIZE)
        if len(header) < _SIZE:
            _reap(child)
            raise ChildFailed(f"exit status {child.status}")
        kind, value = pickle.loads(child.pipe.read(int.from_bytes(header, "big")))
        if kind == _FAILED:
            raise ChildFailed(value)
        if kind == _DONE:
            return value
        heard(value)


def _reap(child: _Child) -> None:
    if child.status is None:
        child.pipe.close()  # a child still writing gets a broken pipe and exits
        child.status = os.waitpid(child.pid, 0)[1]


def _child(work: Callable, write: int) -> None:
    code = 0
    try:
        with os.fdopen(write, "wb") as pipe:

            def put(kind: int, value: object) -> None:
                data = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
                pipe.write(len(data).to_bytes(_SIZE, "big") + data)
                pipe.flush()

            try:
                put(_DONE, work(lambda message: put(_SENT, message)))
            except BaseException:
                put(_FAILED, traceback.format_exc())
                code = 1
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no unwinding into the parent's frames
