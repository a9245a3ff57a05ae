"""A forked child's messages on the way reach the parent while the child still works."""

import gc
import os
import time

import pytest

from generator.forked import ChildFailed, map_forked, run_forked, started


def test_messages_arrive_while_the_child_works_and_the_result_follows(tmp_path):
    go_on = tmp_path / "go-on"
    heard = []

    def work(send):
        send({"tags": [1, 2]})
        deadline = time.monotonic() + 20
        while not go_on.exists():  # only the parent, having heard, lets it finish
            if time.monotonic() > deadline:
                raise TimeoutError("the parent never heard the message")
            time.sleep(0.01)
        send("second")
        return os.getpid()

    def hear(message):
        heard.append(message)
        go_on.touch()

    child = run_forked(work, hear)
    assert heard == [{"tags": [1, 2]}, "second"]
    assert child != os.getpid()  # it ran in another process


def test_a_child_failing_after_a_message_fails_the_caller_with_its_traceback():
    heard = []

    def work(send):
        send("first")
        raise ValueError("broke after the first message")

    with pytest.raises(ChildFailed, match="broke after the first message"):
        run_forked(work, heard.append)
    assert heard == ["first"]


def test_a_parent_failing_on_a_message_still_reaps_the_child():
    def work(send):
        send("first")
        send("x" * 1_000_000)  # more than a pipe holds: the child blocks until reaped
        return "never read"

    def hear(message):
        raise KeyError(message)

    with pytest.raises(KeyError):
        run_forked(work, hear)


def test_results_too_large_for_a_pipe_come_back_whole():
    big = ["y" * 100_000 for _ in range(30)]
    assert map_forked(lambda n: big[:n], [1, 30]) == [big[:1], big]
    assert run_forked(lambda send: big, lambda message: None) == big


def test_started_work_runs_beside_the_caller_until_its_result_is_asked_for(tmp_path):
    mark = tmp_path / "caller-went-on"

    def work():
        deadline = time.monotonic() + 20
        while not mark.exists():  # finishes only once the caller has gone on
            if time.monotonic() > deadline:
                raise TimeoutError("the caller waited for the work")
            time.sleep(0.01)
        return os.getpid()

    result = started(work)
    mark.touch()
    assert result() != os.getpid()
    failing = started(lambda: 1 / 0)
    with pytest.raises(ChildFailed, match="ZeroDivisionError"):
        failing()


def test_a_child_started_while_another_runs_leaves_the_parent_frozen_until_both_end():
    seen = []

    def heard(message):
        inner = started(lambda: message * 2)
        seen.append((inner(), gc.get_freeze_count() > 0))

    def work(send):
        send(21)
        return "done"

    assert run_forked(work, heard) == "done"
    assert seen == [(42, True)]  # still frozen: the outer child was running
    assert gc.get_freeze_count() == 0
