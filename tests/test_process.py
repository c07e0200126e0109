"""Work in a forked child: results in order, the child's errors surface here, and the same
steps run in this process where there is no fork."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator

import pytest

from mkdocs_kb.process import Background, BackgroundError, can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="this platform cannot fork")


def pids_and_squares() -> Iterator[tuple[int, int]]:
    for number in range(3):
        yield os.getpid(), number * number


@needs_fork
def test_forked_results_arrive_in_order_from_another_process() -> None:
    background = Background(pids_and_squares, fork=True)
    results = [background.next() for _ in range(3)]
    background.close()
    assert [square for _, square in results] == [0, 1, 4]
    assert {pid for pid, _ in results} != {os.getpid()}


def test_without_fork_the_same_steps_run_here_when_asked() -> None:
    background = Background(pids_and_squares, fork=False)
    results = [background.next() for _ in range(3)]
    assert results == [(os.getpid(), 0), (os.getpid(), 1), (os.getpid(), 4)]


@needs_fork
def test_an_error_in_the_child_carries_its_traceback() -> None:
    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("no index for you")

    background = Background(failing, fork=True)
    assert background.next() == 1
    with pytest.raises(BackgroundError, match="ValueError: no index for you"):
        background.next()
    with pytest.raises(BackgroundError, match="stopped"):
        background.next()


@needs_fork
def test_a_child_killed_before_it_answers_is_an_error_not_a_hang() -> None:
    def killed() -> Iterator[int]:
        os.kill(os.getpid(), signal.SIGKILL)
        yield 1

    background = Background(killed, fork=True)
    with pytest.raises(BackgroundError, match="ended without its results"):
        background.next()


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_the_parent_can_send_what_the_steps_wait_for(fork: bool) -> None:
    def doubled(receive) -> Iterator[int]:
        yield 1
        yield receive() * 2

    background = Background(doubled, fork=fork, inbox=True)
    assert background.next() == 1
    background.send(21)
    assert background.next() == 42
    background.close()


def test_a_child_waiting_for_input_ends_as_soon_as_the_parent_closes() -> None:
    def steps(receive):
        yield receive()
        yield receive()  # never sent: the parent stops first

    background = Background(steps, fork=True, inbox=True)
    background.send("one")
    assert background.next() == "one"
    process = background._process
    background.close()
    # It saw the end of its input and stopped; close() did not have to kill it after 5 s.
    assert process is not None and process.exitcode != -signal.SIGKILL
