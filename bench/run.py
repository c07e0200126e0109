"""The build benchmark: kb against plain MkDocs + Material, on the same synthetic wikis, in one run.

    python bench/run.py [--sizes 1000,10000] [--repeat 3] [--out bench/results.md] [--work DIR] [--search]

For each size it generates a corpus with the shared deterministic generator
(../shared/bench/make_corpus.py, or $KB_CORPUS_SCRIPT) and builds it three ways:

- material-prune: plain Material with `navigation.prune`, its best setting for large sites;
- material-kb-nav: plain Material with kb's navigation (only the home page in the nav,
  articles out of it) and no kb plugin;
- kb: the full kb site;
- kb-no-search: the kb site without its search index, to show what building the index adds;
- material-prune-realistic, material-kb-nav-realistic, kb-realistic: the first three again, with
  the Markdown extensions of the example wiki (its mkdocs.yml: admonition, tables, footnotes,
  toc permalinks, pymdownx's details, superfences and Pygments highlighting, …), which is what
  real wikis' pages cost to convert.

On each kb site it then measures the largest page of each kind in chromium (bench/pages.py), and
on each corpus kb's CPU time by stage, in one process (bench/stages.py).

The two Material builds use Material's search plugin; kb builds its own search index instead
(Material's search cannot load a prebuilt index), so every build indexes the pages. It records
wall and CPU time, peak memory and output size of each build, kb's time per stage, the ratios
between the builds and the machine's conditions (steal, load), and rewrites the build section of
the results file with them (the sections other benchmarks write stay). Each variant is built once
per round, the rounds one after the other (--repeat): a figure is the median over the rounds, and
a ratio the median of the ratios within each round, whose two builds ran minutes apart on a
machine whose speed drifts (a shared host). With --search it then runs the search benchmark
(bench/search.py) on each size's kb site, writing bench/search.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPOSITORY = Path(__file__).resolve().parent.parent
CORPUS_SCRIPT = Path(os.environ.get("KB_CORPUS_SCRIPT", REPOSITORY.parent / "shared" / "bench" / "make_corpus.py"))
STAGES = ("collect", "parse", "history", "analyze", "generate", "render", "search", "search wait")

CONFIGS = {
    "material-prune": """site_name: Bench
docs_dir: content
theme:
  name: material
  features: [navigation.prune]
plugins: [search]
""",
    "material-kb-nav": """site_name: Bench
docs_dir: content
theme:
  name: material
nav: [index.md]
not_in_nav: |
  /**
plugins: [search]
""",
    "kb": """site_name: Bench
docs_dir: content
theme:
  name: material
plugins: [kb]
""",
    "kb-no-search": """site_name: Bench
docs_dir: content
theme:
  name: material
plugins:
  - kb:
      search: false
""",
}

#: The example wiki's Markdown extensions, read from its configuration so that the benchmark
#: follows what the wiki uses.
EXTENSIONS = yaml.safe_load((REPOSITORY / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
#: The variants measured both with plain Markdown and with the example wiki's extensions.
REALISTIC = ("material-prune", "material-kb-nav", "kb")
CONFIGS |= {f"{variant}-realistic": CONFIGS[variant] + yaml.safe_dump({"markdown_extensions": EXTENSIONS})
            for variant in REALISTIC}


@dataclass
class Run:
    size: int
    variant: str
    wall: float
    cpu: float
    peak_mb: float
    output_mb: float
    ok: bool
    stages: dict[str, float] = field(default_factory=dict)
    #: Which round of builds this one was in (--repeat).
    round: int = 0


def make_corpus(size: int, directory: Path) -> None:
    if not CORPUS_SCRIPT.is_file():
        raise SystemExit(f"bench: no corpus generator at {CORPUS_SCRIPT} (set KB_CORPUS_SCRIPT)")
    subprocess.run([sys.executable, str(CORPUS_SCRIPT), str(size), str(directory)], check=True, capture_output=True)


def build(size: int, corpus: Path, variant: str, keep: bool = False, settings: str | None = None, *,
          launcher: tuple[str, ...] = (), scratch: Path | None = None) -> Run:
    """Builds `corpus` with the mkdocs.yml of `variant` (or `settings`, for another variant),
    run through `launcher` (`taskset -c 0`, say). The configuration, site and figures go into
    `scratch` if given (then the settings' docs_dir must be absolute), else into the corpus."""
    place = scratch or corpus
    config = place / f"mkdocs-{variant}.yml"
    config.write_text(settings or CONFIGS[variant], encoding="utf-8")
    site = place / f"site-{variant}"
    stats = place / f"stats-{variant}.json"
    stats.unlink(missing_ok=True)
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "KB_BUILD_STATS": str(stats)}
    env.pop("CI", None)
    command = [*launcher, sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=corpus, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    output = sum(path.stat().st_size for path in site.rglob("*") if path.is_file()) if site.exists() else 0
    stages = json.loads(stats.read_text(encoding="utf-8")) if stats.exists() else {}
    if not keep:
        shutil.rmtree(site, ignore_errors=True)
    return Run(size, variant, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output / 2**20,
               process.returncode == 0, stages)


def machine() -> str:
    memory = ""
    try:
        total = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        memory = f", {int(total.split()[1]) / 2**20:.0f} GiB memory"
    except (OSError, StopIteration):
        pass
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{platform.machine()}, {os.cpu_count()} cores{memory}, {system}"


def cpu_ticks() -> tuple[int, int] | None:
    """The machine's CPU ticks so far, and those of them a virtual machine's host took (steal)."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    return sum(fields[:8]), fields[7] if len(fields) > 7 else 0


def conditions(start: tuple[int, int] | None) -> str:
    """What the machine was doing besides: the share of CPU its host took away over the run,
    and the load average at its end. The ratios hold under load; the seconds do not."""
    end, load = cpu_ticks(), os.getloadavg()
    stolen = f"{(end[1] - start[1]) / max(1, end[0] - start[0]):.0%} of the CPU time taken by the host (steal), " \
        if start and end else ""
    return f"Conditions: {stolen}load average {load[0]:.1f} (1 min) / {load[2]:.1f} (15 min) at the end."


def ratios(runs: list[Run], size: int, numerator: str, denominator: str, cpu: bool = False) -> list[float]:
    """`numerator`'s wall time (or CPU time) over `denominator`'s in each round where both builds
    succeeded."""
    found: dict[tuple[int, str], Run] = {(run.round, run.variant): run for run in runs if run.size == size and run.ok}
    paired = []
    for number in sorted({run.round for run in runs}):
        over, under = found.get((number, numerator)), found.get((number, denominator))
        if over is not None and under is not None:
            bottom = under.cpu if cpu else under.wall
            if bottom > 0:
                paired.append((over.cpu if cpu else over.wall) / bottom)
    return paired


def ratio(runs: list[Run], size: int, numerator: str, denominator: str, cpu: bool = False) -> float | None:
    """The median of `ratios`, if any round has both builds."""
    paired = ratios(runs, size, numerator, denominator, cpu)
    return statistics.median(paired) if paired else None


def _ratio_cell(paired: list[float], rounds: int) -> str:
    """A ratio's median, its range when there were several rounds, and how many rounds it is of
    when a build failed in some."""
    if not paired:
        return "n/a"
    notes = [f"{min(paired):.2f}–{max(paired):.2f}"] if len(paired) > 1 else []
    if len(paired) < rounds:
        notes.append(f"{len(paired)} of {rounds} rounds")
    return f"{statistics.median(paired):.2f}" + (f" ({'; '.join(notes)})" if notes else "")


def _median_run(runs: list[Run]) -> Run:
    """One row for a variant's builds: median wall and CPU time, the largest peak memory, every
    stage's median, of the builds that succeeded (of all, if none did); ok only if all did."""
    measured = [run for run in runs if run.ok] or runs
    first = measured[0]
    stages = {stage: statistics.median(run.stages[stage] for run in measured if stage in run.stages)
              for stage in STAGES if any(stage in run.stages for run in measured)}
    return Run(first.size, first.variant, statistics.median(run.wall for run in measured),
               statistics.median(run.cpu for run in measured), max(run.peak_mb for run in measured),
               first.output_mb, all(run.ok for run in runs), stages)


def render(runs: list[Run], sizes: list[int], measured_in: str = "") -> str:
    rounds = len({run.round for run in runs})
    variants = list(dict.fromkeys((run.size, run.variant) for run in runs))
    rows = [_median_run([run for run in runs if (run.size, run.variant) == key]) for key in variants]
    lines = [
        "# Build benchmark",
        "",
        "Written by `make bench` (`python bench/run.py`); rerunning replaces these figures.",
        f"Machine: {machine()}." + (f" {measured_in}" if measured_in else ""),
        "Corpora: `make_corpus.py N` (deterministic). The Material builds use Material's search plugin; "
        "the kb build uses kb's own search index.",
        "",
        "CPU time counts every process of a build; peak memory is the largest process's (kb forks a",
        "process for its search index and one that renders part of the pages)."
        + (f" Each variant was built {rounds} times, in {rounds} rounds one after the other: times are medians, and "
           "each ratio is the median of the ratios within a round, with their range." if rounds > 1 else ""),
        "",
        "| pages | build | wall s | CPU s | peak MB | output MB | ok |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for run in rows:
        lines.append(f"| {run.size} | {run.variant} | {run.wall:.1f} | {run.cpu:.1f} | {run.peak_mb:.0f} "
                     f"| {run.output_mb:.0f} | {'yes' if run.ok else 'FAILED'} |")
    lines += ["", "Ratios of wall time (targets at 10,000 pages: at most 0.4 and 1.25) and of CPU time (targets: at most "
              "1.0 against material-prune at 1,000 pages, 1.3 against material-kb-nav at 10,000). Markdown `plain` is "
              "MkDocs' default extensions; `realistic` adds the example wiki's (" + ", ".join(map(_extension_name, EXTENSIONS))
              + "):", "",
              "| pages | Markdown | kb / material-prune | kb / material-kb-nav | CPU kb / material-prune "
              "| CPU kb / material-kb-nav |", "|---:|---|---:|---:|---:|---:|"]
    for size in sizes:
        for markdown, suffix in (("plain", ""), ("realistic", "-realistic")):
            if not any(run.size == size and run.variant == f"kb{suffix}" for run in runs):
                continue
            cells = [ratios(runs, size, f"kb{suffix}", f"{other}{suffix}", cpu)
                     for cpu in (False, True) for other in ("material-prune", "material-kb-nav")]
            lines.append(f"| {size} | {markdown} | " + " | ".join(_ratio_cell(c, rounds) for c in cells) + " |")
    lines += ["", "What kb's search index adds to the build: wall time (target at most 15%) and its share of the build's CPU "
              "time (target at most 10%), kb against kb without search:", "",
              "| pages | kb without search, s | kb, s | added | without search, CPU s | kb, CPU s | share of CPU |",
              "|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        found = {run.variant: run for run in rows if run.size == size and run.ok}
        if "kb" in found and "kb-no-search" in found:
            without, full = found["kb-no-search"], found["kb"]
            added = [r - 1 for r in ratios(runs, size, "kb", "kb-no-search")]
            share = [1 - 1 / r for r in ratios(runs, size, "kb", "kb-no-search", cpu=True) if r > 0]
            lines.append(f"| {size} | {without.wall:.1f} | {full.wall:.1f} | "
                         + (f"{statistics.median(added):+.0%}" if added else "n/a")
                         + f" | {without.cpu:.1f} | {full.cpu:.1f} | "
                         + (f"{statistics.median(share):.0%}" if share else "n/a") + " |")
    lines += ["", "kb's stages in the kb build, seconds. Render is MkDocs rendering every page with kb's hooks, "
              "both processes; search runs in its own process, on each page's words from the end of parse, and `search wait` is "
              "how long the build waited for it at the end:", "",
              "| pages | " + " | ".join(STAGES) + " |", "|---:|" + "---:|" * len(STAGES)]
    for run in rows:
        if run.variant == "kb":
            lines.append(f"| {run.size} | " + " | ".join(
                f"{run.stages[stage]:.2f}" if stage in run.stages else "–" for stage in STAGES) + " |")
    return "\n".join(lines) + "\n"


def write_builds(results: Path, builds: str) -> None:
    """The results file with `builds` in place of its build section (everything before its first
    `## ` section): the sections other benchmarks write (memory, page weight, cores, preview)
    stay as they were measured."""
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    start = old.find("\n## ")
    results.write_text(builds.rstrip("\n") + ("\n" + old[start:] if start >= 0 else "\n"), encoding="utf-8")


def _rounds(given: str) -> int:
    """--repeat: a whole number of rounds, at least one."""
    try:
        rounds = int(given)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of rounds: {given!r}") from None
    if rounds < 1:
        raise argparse.ArgumentTypeError("at least one round")
    return rounds


def _extension_name(entry: str | dict[str, object]) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "1000,10000"))
    parser.add_argument("--out", type=Path, default=REPOSITORY / "bench" / "results.md")
    parser.add_argument("--work", type=Path, help="where corpora are made (default: a temporary directory)")
    parser.add_argument("--variants", default=",".join(CONFIGS))
    parser.add_argument("--repeat", type=_rounds, default=os.environ.get("REPEAT") or "3",
                        help="rounds of builds (default 3, or $REPEAT); each figure is the median over them")
    parser.add_argument("--search", action="store_true", help="then run bench/search.py on each kb site")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    variants = [variant for variant in args.variants.split(",") if variant in CONFIGS]
    work = args.work or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    runs: list[Run] = []
    weighed: list[str] = []
    started = cpu_ticks()
    rounds = args.repeat
    for size in sizes:
        corpus = work / f"corpus-{size}"
        if not (corpus / "content").is_dir():
            make_corpus(size, corpus)
        for number in range(rounds):
            last = number == rounds - 1
            for variant in variants:
                print(f"bench: {size} pages, round {number + 1} of {rounds}, {variant} ...", file=sys.stderr, flush=True)
                keep = last and (variant == "kb" or (args.search and variant == "material-prune"))
                run = build(size, corpus, variant, keep=keep)
                runs.append(dataclasses.replace(run, round=number))
                print(f"bench: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU", file=sys.stderr, flush=True)
                if last and variant == "kb" and run.ok:
                    weighed.append(f"{size}={corpus / 'site-kb'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_builds(args.out, render(runs, sizes, conditions(started)))
    weights_ok = True
    if weighed:
        print("bench: the weight of kb's pages ...", file=sys.stderr, flush=True)
        # In its own process, as the search benchmark's browser may be running in this one.
        done = subprocess.run([sys.executable, str(REPOSITORY / "bench" / "pages.py"), *weighed, "--out", str(args.out)],
                              stdout=subprocess.DEVNULL)
        weights_ok = done.returncode == 0
        if not args.search:
            for given in weighed:
                shutil.rmtree(given.partition("=")[2], ignore_errors=True)
    print("bench: kb's CPU by stage ...", file=sys.stderr, flush=True)
    stages = subprocess.run([sys.executable, str(REPOSITORY / "bench" / "stages.py"),
                             *(f"{size}={work / f'corpus-{size}'}" for size in sizes), "--out", str(args.out)],
                            stdout=subprocess.DEVNULL)
    print(f"bench: wrote {args.out}", file=sys.stderr)
    sites = [work / f"corpus-{size}" / "site-kb" for size in sizes]
    if args.search and all(site.is_dir() for site in sites):
        import search

        named = [site.rename(site.with_name(f"site-{size}")) for size, site in zip(sizes, sites, strict=True)]
        material = [work / f"corpus-{size}" / "site-material-prune" for size in sizes]
        options = ["--out", str(args.out.with_name("search.md"))]
        if all(site.is_dir() for site in material):
            options += ["--material", *map(str, material)]
        if importlib.util.find_spec("pagefind") is not None:
            options.append("--pagefind")
        search.main([*map(str, named), *options])
        for site in named + material:
            shutil.rmtree(site, ignore_errors=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(run.ok for run in runs) and weights_ok and stages.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
