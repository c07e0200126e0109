"""Work in a forked child: results in order, the child's errors surface here, and the same
steps run in this process where there is no fork."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import mkdocs_kb.search_index
from kb.timing import StageClock
from mkdocs_kb.process import Background, BackgroundError, can_fork, memory_available, resident

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


def fake_machine(root: Path, cgroup: str, files: dict[str, str], available_kb: int | None = 20_000_000) -> tuple[Path, Path]:
    """A /proc and a /sys/fs/cgroup in `root`, holding `files` (paths under the cgroup mount)."""
    proc, cgroups = root / "proc", root / "cgroup"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "cgroup").write_text(cgroup, encoding="ascii")
    if available_kb is not None:
        (proc / "meminfo").write_text(f"MemTotal: 24000000 kB\nMemAvailable: {available_kb} kB\n", encoding="ascii")
    for path, text in files.items():
        (cgroups / path).parent.mkdir(parents=True, exist_ok=True)
        (cgroups / path).write_text(text, encoding="ascii")
    return proc, cgroups


GiB, MiB = 2**30, 2**20


def test_memory_available_is_a_v1_cgroups_limit_less_what_it_holds_with_idle_file_cache_free(tmp_path: Path) -> None:
    proc, cgroups = fake_machine(tmp_path, "9:pids:/job\n4:memory:/job\n0::/\n", {
        "memory/job/memory.limit_in_bytes": f"{4 * GiB}\n",
        "memory/job/memory.usage_in_bytes": f"{3 * GiB}\n",
        "memory/job/memory.stat": f"cache {512 * MiB}\ntotal_inactive_file {256 * MiB}\n",
        # The root has no limit: v1 says so with the largest page-aligned number.
        "memory/memory.limit_in_bytes": "9223372036854771712\n",
        "memory/memory.usage_in_bytes": f"{9 * GiB}\n",
    })
    assert memory_available(proc, cgroups) == GiB + 256 * MiB


def test_memory_available_takes_the_least_of_the_machine_and_every_cgroup_above(tmp_path: Path) -> None:
    # cgroup v2: the job's own cgroup has no limit ("max"), the slice above it has.
    proc, cgroups = fake_machine(tmp_path, "0::/ci.slice/job.scope\n", {
        "ci.slice/job.scope/memory.max": "max\n",
        "ci.slice/job.scope/memory.current": f"{GiB}\n",
        "ci.slice/memory.max": f"{3 * GiB}\n",
        "ci.slice/memory.current": f"{2 * GiB}\n",
        "ci.slice/memory.stat": "anon 1\ninactive_file 0\n",
    })
    assert memory_available(proc, cgroups) == GiB
    # Little memory left on the machine counts, whatever the cgroups allow.
    machine = tmp_path / "small"
    proc, cgroups = fake_machine(machine, "0::/ci.slice\n", {"ci.slice/memory.max": f"{3 * GiB}\n",
                                                            "ci.slice/memory.current": "0\n"}, available_kb=1024)
    assert memory_available(proc, cgroups) == MiB


def test_memory_available_in_a_container_reads_the_cgroup_it_can_see(tmp_path: Path) -> None:
    """A container lists the host's path of its cgroup, but has only its own mounted, at the root."""
    proc, cgroups = fake_machine(tmp_path, "0::/docker/0123abcd\n", {"memory.max": f"{2 * GiB}\n",
                                                                     "memory.current": f"{GiB // 2}\n"})
    assert memory_available(proc, cgroups) == GiB + GiB // 2


def test_memory_available_is_unknown_where_the_kernel_does_not_say(tmp_path: Path) -> None:
    assert memory_available(tmp_path / "proc", tmp_path / "cgroup") is None
    proc, cgroups = fake_machine(tmp_path, "0::/\n", {}, available_kb=None)
    assert memory_available(proc, cgroups) is None
    proc, cgroups = fake_machine(tmp_path / "meminfo-only", "0::/\n", {})
    assert memory_available(proc, cgroups) == 20_000_000 * 1024


def test_this_process_knows_its_size_and_its_memory() -> None:
    if not Path("/proc/self/statm").exists():
        pytest.skip("no /proc here")
    size, free = resident(), memory_available()
    assert size is not None and 10 * MiB < size < 64 * GiB
    assert free is not None and free > 0


def one_large_result() -> Iterator[str]:
    yield "x" * (1 << 20)  # more than a pipe holds: the child waits until it is read


@needs_fork
def test_ready_says_a_result_is_there_and_taking_it_lets_the_child_end() -> None:
    background = Background(one_large_result, fork=True)
    process = background._process
    deadline = time.monotonic() + 60
    while not background.ready():
        assert time.monotonic() < deadline, "the child never sent its result"
        time.sleep(0.01)
    # Sent but not read, the result keeps the child waiting (and holding its memory).
    process.join(timeout=0.5)
    assert process.is_alive()
    assert background.next() == "x" * (1 << 20)
    process.join(timeout=60)
    assert not process.is_alive()
    background.close()
    assert not Background(one_large_result, fork=False).ready()


@needs_fork
def test_the_search_index_takes_the_search_processs_files_as_soon_as_they_are_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taken while the pages are still rendered, the search process ends then, not at the
    build's end; the index's files are the same."""

    def steps(receive: Callable[[], object], **_: object) -> Iterator[tuple[list[str], float]]:
        receive()
        yield [f"search/t/{number}.json" for number in range(100_000)], 1.0

    monkeypatch.setattr(mkdocs_kb.search_index, "_search_steps", steps)
    index = mkdocs_kb.search_index.SearchIndex(("en",), StageClock(), str(tmp_path), fork=True)
    process = index.background._process
    index.take_if_sent()
    index.pages_parsed([])
    deadline = time.monotonic() + 60
    while index._sent is None:
        assert time.monotonic() < deadline, "the search process never sent its files"
        index.take_if_sent()
        time.sleep(0.01)
    process.join(timeout=60)
    assert not process.is_alive()
    index.write(lambda: pytest.fail("the index was built again"))  # type: ignore[arg-type, return-value]
    assert index.clock.seconds["search"] == 1.0


def test_memory_available_never_raises_where_a_cgroup_may_not_be_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A confined sandbox (AppArmor, SELinux, a directory of mode 700) answers EACCES, which
    Path.is_dir raises: the build goes on with what the machine says."""
    proc, cgroups = fake_machine(tmp_path, "4:memory:/job/inner\n", {
        "memory/job/memory.limit_in_bytes": f"{4 * GiB}\n", "memory/job/memory.usage_in_bytes": f"{GiB}\n"})
    real = Path.is_dir

    def is_dir(path: Path) -> bool:
        if path.name == "inner":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    assert memory_available(proc, cgroups) == 3 * GiB


def test_memory_available_counts_the_active_file_cache_free_too(tmp_path: Path) -> None:
    """A cgroup whose file cache has filled it keeps most of it on the active list; the kernel
    reclaims it before it kills, so it is no reason to fork fewer workers."""
    proc, cgroups = fake_machine(tmp_path, "4:memory:/job\n", {
        "memory/job/memory.limit_in_bytes": f"{GiB}\n",
        "memory/job/memory.usage_in_bytes": f"{900 * MiB}\n",
        "memory/job/memory.stat": f"total_rss {60 * MiB}\ntotal_active_file {800 * MiB}\ntotal_inactive_file {40 * MiB}\n",
    })
    assert memory_available(proc, cgroups) == GiB - 60 * MiB
    # Except what is not yet written back to disk, which the kernel cannot drop.
    (cgroups / "memory/job/memory.stat").write_text(
        f"total_active_file {800 * MiB}\ntotal_inactive_file {40 * MiB}\ntotal_dirty {100 * MiB}\n", encoding="ascii")
    assert memory_available(proc, cgroups) == GiB - 160 * MiB
