"""Work in a forked copy of this process, with a time limit, its output in files, and nothing
left running afterwards.

A forked child starts with everything this process has imported (kb, MkDocs, Material), and
whatever it changes (plugin state, log handlers, the working directory) dies with it. It runs
in a process group of its own, so that a child that hangs is killed together with the processes
it forked, and so that processes it leaves running can be found.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Ran:
    """What one command did: its exit status and output, a traceback if an exception escaped,
    whether it had to be killed, and processes it left running."""

    command: str
    returncode: int | None = None
    stdout: str = ""
    stderr: str = ""
    raised: str | None = None
    hung: bool = False
    signal: int | None = None
    seconds: float = 0.0
    stragglers: list[str] = field(default_factory=list)
    #: For the build: its log records as (level, message); for `kb check --format json`: the
    #: paths kb holds back.
    records: list[tuple[str, str]] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    #: What the forked work returned (None if it raised, hung or died).
    value: Any = None


def forked(command: str, work: Callable[[], Any], timeout: float) -> Ran:
    """Run `work` in a forked child in its own process group, with its stdout and stderr (and
    those of every process it forks) in files; kill the group after `timeout` seconds."""
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    reading, writing = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        _child(work, out.fileno(), err.fileno(), reading, writing)
    os.close(writing)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)
    try:
        payload, hung = _read_until(reading, started + timeout)
    except BaseException:
        # Interrupted (Ctrl-C): take the child and what it forked along.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        os.close(reading)
    if hung:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    ran = Ran(command, seconds=time.monotonic() - started, hung=hung, stragglers=_stragglers(pid))
    if os.WIFSIGNALED(status) and not hung:
        ran.signal = os.WTERMSIG(status)
    out.seek(0)
    err.seek(0)
    ran.stdout = out.read().decode("utf-8", "replace")
    ran.stderr = err.read().decode("utf-8", "replace")
    if payload is not None:
        kind, value = pickle.loads(payload)
        if kind == "raised":
            ran.raised = value
        else:
            ran.value, ran.returncode = value, 0
    return ran


def _child(work: Callable[[], Any], out: int, err: int, reading: int, writing: int) -> None:  # pragma: no cover
    try:
        os.setpgid(0, 0)
        _die_with_parent()
        os.close(reading)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdout = open(1, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        try:
            payload = pickle.dumps(("ok", work()))
        except BaseException:  # noqa: BLE001 - whatever escapes is what the fuzzer looks for
            payload = pickle.dumps(("raised", traceback.format_exc()))
        sys.stdout.flush()
        sys.stderr.flush()
        data = struct.pack("!Q", len(payload)) + payload
        while data:
            data = data[os.write(writing, data):]
    finally:
        os._exit(0)


def _die_with_parent() -> None:  # pragma: no cover - the child
    """Linux: end when the process that forked this one ends (pytest stopped with Ctrl-C)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _read_until(reading: int, deadline: float) -> tuple[bytes | None, bool]:
    """The child's length-prefixed payload (None if it died first), and whether time ran out."""
    data = b""
    while True:
        if len(data) >= 8 and len(data) >= 8 + struct.unpack("!Q", data[:8])[0]:
            return data[8:], False
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None, True
        ready, _, _ = select.select([reading], [], [], remaining)
        if ready:
            chunk = os.read(reading, 1 << 16)
            if not chunk:
                return None, False
            data += chunk


def _stragglers(group: int, grace: float = 5.0) -> list[str]:
    """Processes of the child's group still running after it ended (Linux only): killed, and
    named. The build's own workers get `grace` seconds to finish."""
    deadline = time.monotonic() + grace
    while True:
        alive = _group_members(group)
        if not alive or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if alive:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)
    return alive


def _group_members(group: int) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            if fields[0] != "Z" and int(fields[2]) == group:
                found.append(f"{entry.name} {stat[stat.index('(') + 1:stat.rindex(')')]}")
    return found
