"""A build's memory, whole: one corpus built with `plugins: [kb]` inside a memory cgroup of a
given limit, the cgroup and every process in it sampled twice a second.

    python $KB_CORPUS_SCRIPT 50000 /tmp/corpus      # the corpus generator bench/run.py uses
    python bench/memory.py /tmp/corpus [--limit 4G] [--out bench/results.md]

A build is several processes (the search process, page workers, git's own `log`), so one
process's peak says little: the limit is the cgroup's, as a CI job's container has. Each
process's peak is its resident set (RSS); the tree's is the sum of each one's proportional set
(PSS: a page a fork still shares counts once). Processes are named by when they appear: the
first fork of the build is the search process, later ones page workers. Which run ended within
the limit is the build's exit status and the cgroup's count of processes it killed.

Needs a cgroup this process may create: v1's memory controller, as root on a CI runner or a
machine of one's own. On v2 the cgroup it runs in must enable the memory controller for its
children (`+memory` in its cgroup.subtree_control), which the kernel allows only of a cgroup
that holds no process itself; elsewhere it stops and says so. The figures in bench/results.md
were measured on v1. With --out, the "Memory" section of that file is replaced by the table
(the rest of it is kept), unless the build failed for another reason than memory.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CONFIGS, machine  # noqa: E402

from mkdocs_kb.process import memory_cgroups  # noqa: E402

CGROUPS = Path("/sys/fs/cgroup")
UNITS = {"K": 2**10, "M": 2**20, "G": 2**30}


@dataclass
class Sampled:
    """The peaks of one build."""

    pages: int
    limit: int
    ok: bool = False
    wall: float = 0.0
    cpu: float = 0.0
    cgroup_peak: int = 0
    tree_pss_peak: int = 0
    #: Each process's peak RSS, by its name (main, search, page worker N, git).
    peaks: dict[str, int] = field(default_factory=dict)
    killed: int = 0
    #: What the build said of its page workers (kb logs it when memory allows fewer than cores).
    workers_said: str = ""
    #: The build failed for another reason than memory (its status, with nothing killed).
    failed: bool = False


class NoCgroup(OSError):
    """No memory cgroup may be made here."""


class Cgroup:
    """A memory cgroup of its own under this process's, v1 or v2, removed when closed."""

    def __init__(self, limit: int) -> None:
        levels = memory_cgroups(cgroups=CGROUPS)
        if not levels:
            raise OSError("this process is in no memory cgroup (/proc/self/cgroup)")
        base = levels[0]
        self.v2 = CGROUPS / "memory" not in (base, *base.parents)
        self.path = base / f"kb-bench-{os.getpid()}"
        self.path.mkdir()
        try:
            # v2 has memory.max only where the memory controller is delegated to this cgroup's children.
            self._write("memory.max" if self.v2 else "memory.limit_in_bytes", str(limit))
        except OSError:
            self.path.rmdir()
            raise

    def _write(self, name: str, value: str) -> None:
        (self.path / name).write_text(value, encoding="ascii")

    def _read(self, name: str) -> str:
        try:
            return (self.path / name).read_text(encoding="ascii")
        except OSError:
            return ""

    def join(self) -> None:
        """In the child, before it runs the build."""
        self._write("cgroup.procs", str(os.getpid()))

    def pids(self) -> list[int]:
        return [int(pid) for pid in self._read("cgroup.procs").split()]

    def working_set(self) -> int:
        """What the cgroup holds less the file cache not recently used, which the kernel gives
        back before it refuses memory (a build writes every page: the cache soon fills the limit)."""
        held = int(self._read("memory.current" if self.v2 else "memory.usage_in_bytes") or 0)
        stat = dict(line.split(" ", 1) for line in self._read("memory.stat").splitlines() if " " in line)
        return held - int(stat.get("total_inactive_file", stat.get("inactive_file", "0")))

    def kills(self) -> int:
        text = self._read("memory.events" if self.v2 else "memory.oom_control")
        found = re.search(r"^oom_kill (\d+)", text, re.M)
        return int(found.group(1)) if found else 0

    def close(self) -> None:
        """Every process left in it killed (a page worker outlives a build killed for want of
        memory; an interrupted benchmark leaves the build running), then the cgroup removed."""
        for _ in range(50):
            for pid in self.pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.1)
        print(f"memory.py: could not remove {self.path}", file=sys.stderr)


def proc_value(pid: int, name: str, field_name: str) -> int:
    """A "Name: N kB" field of /proc/PID/NAME, in bytes (0 if the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/{name}").read_text(encoding="ascii")
    except OSError:
        return 0
    found = re.search(rf"^{field_name}:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) * 1024 if found else 0


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
    except OSError:
        return ""


def measure(corpus: Path, limit: int, scratch: Path) -> Sampled:
    pages = sum(1 for _ in (corpus / "content").rglob("*.md"))
    sampled = Sampled(pages, limit)
    config = scratch / "mkdocs-kb.yml"
    config.write_text(CONFIGS["kb"].replace("docs_dir: content", f"docs_dir: {corpus / 'content'}"), encoding="utf-8")
    try:
        cgroup = Cgroup(limit)
    except OSError as error:
        raise NoCgroup(error) from error
    log = scratch / "build.log"
    names: dict[int, str] = {}
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    env.pop("CI", None)
    try:
        started = time.perf_counter()
        with log.open("wb") as output:
            process = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d",
                                        str(scratch / "site")], cwd=corpus, env=env, stdout=output,
                                       stderr=subprocess.STDOUT, preexec_fn=cgroup.join)
            forks, status, usage = 0, 0, None
            while True:
                # Reaped here, not by Popen, for the child's CPU time (rusage).
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                pss = 0
                for pid in cgroup.pids():
                    if pid not in names:
                        if pid == process.pid:
                            names[pid] = "main"
                        elif Path(command_of(pid)).name == "git":
                            names[pid] = "git"
                        else:
                            forks += 1
                            names[pid] = "search" if forks == 1 else f"page worker {forks - 1}"
                    rss = proc_value(pid, "status", "VmRSS")
                    sampled.peaks[names[pid]] = max(sampled.peaks.get(names[pid], 0), rss)
                    pss += proc_value(pid, "smaps_rollup", "Pss")
                sampled.tree_pss_peak = max(sampled.tree_pss_peak, pss)
                sampled.cgroup_peak = max(sampled.cgroup_peak, cgroup.working_set())
                time.sleep(0.5)
            process.returncode = os.waitstatus_to_exitcode(status)
        sampled.wall = time.perf_counter() - started
        sampled.cpu = usage.ru_utime + usage.ru_stime
        sampled.killed = cgroup.kills()
        sampled.ok = process.returncode == 0 and sampled.killed == 0
        said = re.search(r"kb: \d+ page worker\(s\) instead of .*", log.read_text(encoding="utf-8", errors="replace"))
        sampled.workers_said = said.group(0) if said else ""
        if process.returncode != 0 and not sampled.killed:
            # Not a matter of memory: say why, from the log that goes with the scratch directory.
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            print("memory.py: the build failed:\n" + "\n".join(tail), file=sys.stderr)
            sampled.failed = True
    finally:
        cgroup.close()
    return sampled


def render(corpus: Path, sampled: Sampled, command: str) -> str:
    mb = lambda value: f"{value / 2**20:,.0f}"  # noqa: E731
    others = sorted((name for name in sampled.peaks if name.startswith("page worker")), key=lambda name: int(name.split()[-1]))
    lines = [
        "## Memory", "",
        f"`{command}`: `{corpus.name}` ({sampled.pages:,} pages) built with `plugins: [kb]` inside a memory cgroup "
        f"limited to {mb(sampled.limit)} MB, sampled every 0.5 s. {machine()}. Peaks in MB: the cgroup's working "
        "set (what it held, less the file cache not recently used, which the kernel takes back first), the tree's "
        "PSS, and each process's RSS. `ok`: the build ended with status 0 "
        "and the cgroup killed no process.", "",
        "| pages | limit MB | ok | wall s | CPU s | cgroup peak | tree PSS peak | main | search | "
        + "".join(f"{name} | " for name in others) + "git | killed |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(others) + "---:|---:|",
        f"| {sampled.pages:,} | {mb(sampled.limit)} | {'yes' if sampled.ok else 'no'} | {sampled.wall:.0f} | "
        f"{sampled.cpu:.0f} | {mb(sampled.cgroup_peak)} | {mb(sampled.tree_pss_peak)} | "
        f"{mb(sampled.peaks.get('main', 0))} | {mb(sampled.peaks.get('search', 0))} | "
        + "".join(f"{mb(sampled.peaks[name])} | " for name in others)
        + f"{mb(sampled.peaks.get('git', 0))} | {sampled.killed} |", "",
    ]
    if sampled.workers_said:
        lines += [f"The build said: \"{sampled.workers_said}\".", ""]
    return "\n".join(lines)


def replace_section(text: str, section: str) -> str:
    """`text` with its "## Memory" section (up to the next "## " heading) replaced, or added at its end."""
    pattern = re.compile(r"^## Memory\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: section + "\n", text, count=1).rstrip("\n") + "\n"
    return text.rstrip("\n") + "\n\n" + section if text.strip() else section


def size(given: str) -> int:
    found = re.fullmatch(r"(\d+)([KMG]?)", given.strip().upper())
    if not found:
        raise argparse.ArgumentTypeError(f"not a size: {given!r} (say 4G, 3500M)")
    return int(found.group(1)) * UNITS.get(found.group(2), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=size, default=size("4G"), help="the cgroup's memory limit (default 4G)")
    parser.add_argument("--out", type=Path, help="replace the Memory section of this file with the table")
    args = parser.parse_args(argv)
    if not (args.corpus / "content").is_dir():
        parser.error(f"no corpus at {args.corpus} (its pages are in content/)")
    # `kill` or a CI job's timeout: the cgroup and the build in it go too (see Cgroup.close).
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    with tempfile.TemporaryDirectory(prefix="kb-memory-") as scratch:
        try:
            sampled = measure(args.corpus.resolve(), args.limit, Path(scratch))
        except NoCgroup as error:
            parser.error(f"cannot make a memory cgroup here ({error}): run as root, or where the memory "
                         "controller is delegated")
        shutil.rmtree(Path(scratch) / "site", ignore_errors=True)
    command = "python bench/memory.py " + " ".join(argv if argv is not None else sys.argv[1:])
    section = render(args.corpus, sampled, command)
    print(section)
    if args.out and not sampled.failed:
        existing = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        args.out.write_text(replace_section(existing, section), encoding="utf-8")
    return 0 if sampled.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
