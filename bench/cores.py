"""What more cores earn: one corpus built with `plugins: [kb]` on 1 CPU, 2 CPUs, … (`taskset -c`),
best wall time of a few builds each, with the CPU time and the wall time over the one-CPU build.

    python $KB_CORPUS_SCRIPT 1000 /tmp/corpus       # the corpus generator bench/run.py uses
    python bench/cores.py /tmp/corpus [--runs 3] [--cpus 1,2,4] [--out bench/results.md]

The build sees only the CPUs it is given (mkdocs_kb.process.cores): on one it builds serially,
on C it forks C-1 page workers (fewer if the memory left cannot hold them) and the search
process. Nothing is written into the corpus. With --out, the "Cores" section of that file is
replaced by the table (the rest of it is kept).

The machine may be shared: the load average (1 minute) before each build is reported beside the
figures, as other work on the same CPUs makes a build slower whichever way it runs.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CONFIGS, Run, build, machine  # noqa: E402

#: The parent's and workers' figures kept from each build's stages (KB_BUILD_STATS).
STAGES = ("render", "convert wait", "pages wait", "pages early", "search wait")


@dataclass
class Measured:
    cpus: list[int]
    runs: list[Run] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)

    @property
    def best(self) -> Run:
        return min((run for run in self.runs if run.ok), key=lambda run: run.wall, default=self.runs[0])


def cpu_counts(available: int) -> list[int]:
    """1, 2, 4, … and all of them."""
    counts, count = [], 1
    while count < available:
        counts.append(count)
        count *= 2
    return [*counts, available]


def load() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


def measure(corpus: Path, counts: list[int], runs: int, scratch: Path) -> list[Measured]:
    allowed = sorted(os.sched_getaffinity(0))
    settings = CONFIGS["kb"].replace("docs_dir: content", f"docs_dir: {corpus.resolve() / 'content'}")
    measured = [Measured(allowed[:count]) for count in counts]
    size = sum(1 for _ in (corpus / "content").rglob("*.md"))
    for number in range(runs):
        # One build of each count in turn, so that a busier spell of the machine spreads over all.
        for entry in measured:
            cpus = ",".join(map(str, entry.cpus))
            entry.loads.append(load())
            run = build(size, corpus, "kb", settings=settings, launcher=("taskset", "-c", cpus), scratch=scratch)
            entry.runs.append(run)
            print(f"bench: {len(entry.cpus)} CPU(s) [{cpus}], run {number + 1}: {run.wall:.1f} s wall, "
                  f"{run.cpu:.1f} s CPU{'' if run.ok else ', FAILED'} (load {entry.loads[-1]:.2f})",
                  file=sys.stderr, flush=True)
    return measured


def render(corpus: Path, measured: list[Measured], runs: int, command: str) -> str:
    one = measured[0].best.wall if measured and len(measured[0].cpus) == 1 else None
    lines = [
        "## Cores",
        "",
        f"`{command}`: `{corpus.name}` built with `plugins: [kb]` under `taskset -c` on 1, 2, … CPUs, best wall time of "
        f"{runs} builds each (CPU time: every process of that build). On one CPU the build is serial; on C it forks "
        "C-1 page workers beside the search process. Machine: " + machine() + ". Load: the 1-minute load average "
        "before each build, which other work on the machine adds to.",
        "",
        "| CPUs | wall s | CPU s | wall / 1 CPU | render s | convert wait s | pages wait s | pages early s "
        "| search wait s | load | ok |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for entry in measured:
        best = entry.best
        stages = [f"{best.stages[stage]:.2f}" if stage in best.stages else "–" for stage in STAGES]
        relative = f"{best.wall / one:.2f}" if one else "–"
        lines.append(f"| {len(entry.cpus)} | {best.wall:.1f} | {best.cpu:.1f} | {relative} | " + " | ".join(stages)
                     + f" | {min(entry.loads):.1f}–{max(entry.loads):.1f} | "
                     + ("yes" if all(run.ok for run in entry.runs) else "FAILED") + " |")
    lines += ["", "`convert wait` and `pages wait`: how long the parent waited for its workers' conversions and pages "
              "(it took too much); `pages early`: how long the workers' pages were ready before the parent reached "
              "them, summed over workers (it took too little). Target: on 2 CPUs, at most 0.6 of the one-CPU wall time."]
    return "\n".join(lines) + "\n"


def replace_section(text: str, section: str) -> str:
    """`text` with its "## Cores" section (up to the next "## " heading) replaced, or added at its end."""
    pattern = re.compile(r"^## Cores\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: section + "\n", text, count=1).rstrip("\n") + "\n"
    return text.rstrip("\n") + "\n\n" + section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpus", help="comma-separated CPU counts (default: 1, 2, 4, … and all this process may use)")
    parser.add_argument("--out", type=Path, help="replace the Cores section of this file with the table")
    args = parser.parse_args(argv)
    available = len(os.sched_getaffinity(0))
    counts = [int(count) for count in args.cpus.split(",")] if args.cpus else cpu_counts(available)
    if any(count < 1 or count > available for count in counts):
        parser.error(f"this process may use 1 to {available} CPUs")
    with tempfile.TemporaryDirectory(prefix="kb-cores-") as scratch:
        measured = measure(args.corpus, counts, args.runs, Path(scratch))
    command = "python bench/cores.py " + " ".join(argv if argv is not None else sys.argv[1:])
    section = render(args.corpus, measured, args.runs, command)
    print(section)
    if args.out:
        existing = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        args.out.write_text(replace_section(existing, section), encoding="utf-8")
    return 0 if all(run.ok for entry in measured for run in entry.runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
