"""The benchmark harness end to end on a tiny corpus: it runs, writes the table, computes ratios.
No assertion here depends on how fast anything was."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPOSITORY, commit_all

sys.path.insert(0, str(REPOSITORY / "bench"))
import cores as bench_cores  # noqa: E402
import languages as bench_languages  # noqa: E402
import memory as bench_memory  # noqa: E402
import pages as bench_pages  # noqa: E402
import preview as bench_preview  # noqa: E402
import run as bench  # noqa: E402
import search as bench_search  # noqa: E402
import stages as bench_stages  # noqa: E402

from kb.search.analysis import index_terms  # noqa: E402


@pytest.fixture
def corpus_script() -> Path:
    """The shared corpus generator beside the repository (CI puts shared/ there)."""
    if not bench.CORPUS_SCRIPT.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"no corpus generator at {bench.CORPUS_SCRIPT}")
        pytest.skip(f"no corpus generator at {bench.CORPUS_SCRIPT} (set KB_CORPUS_SCRIPT)")
    return bench.CORPUS_SCRIPT


def test_harness_builds_every_variant_and_writes_the_table(tmp_path: Path, corpus_script: Path) -> None:
    out = tmp_path / "results.md"
    assert bench.main(["--sizes", "25", "--repeat", "1", "--out", str(out), "--work", str(tmp_path / "work")]) == 0
    text = out.read_text(encoding="utf-8")
    rows = re.findall(r"^\| 25 \| ([\w-]+) \| ([\d.]+) \| ([\d.]+) \| (\d+) \| (\d+) \| yes \|$", text, re.M)
    assert [row[0] for row in rows] == ["material-prune", "material-kb-nav", "kb", "kb-no-search", "material-prune-realistic",
                                        "material-kb-nav-realistic", "kb-realistic"]
    # Wall and CPU ratios, with MkDocs' default Markdown and with the example wiki's extensions.
    ratios = re.findall(r"^\| 25 \| (plain|realistic)" + r" \| ([\d.]+)" * 4 + r" \|$", text, re.M)
    assert [row[0] for row in ratios] == ["plain", "realistic"]
    assert all(float(value) > 0 for row in ratios for value in row[1:])
    [stages] = re.findall(r"^\| 25 \|" + r" ([\d.]+) \|" * 8 + "$", text, re.M)
    assert len(stages) == 8
    [added] = re.findall(r"^\| 25 \| ([\d.]+) \| ([\d.]+) \| ([+-]\d+)% \| ([\d.]+) \| ([\d.]+) \| (-?\d+)% \|$", text, re.M)
    assert all(float(value) > 0 for value in (added[0], added[1], added[3], added[4]))
    assert "Machine: " in text and "cores" in text
    # The largest page of each kind, loaded in chromium; kb's CPU by stage.
    assert "## Page weight" in text
    assert re.search(r"^\| 25 \|" + r" [\d.]+ \|" * (len(bench_stages.STAGES) + 1) + "$", text, re.M)
    # Sizes are checked against the targets; load times are recorded, not judged: a busy machine
    # would make that a test of the machine.
    for kind in ("home", "insights", "people index", "topic page", "person page", "changes", "article"):
        found = re.search(rf"^\| {kind} \| \d+ \| `[^`]+` \| (\d+) \| ([\d,]+) \| \d+ \| (?:yes|NO) \|$", text, re.M)
        assert found, kind
        assert int(found[1]) <= 250 and int(found[2].replace(",", "")) <= 3000, kind


def test_ratio_needs_both_builds() -> None:
    runs = [bench.Run(10, "kb", 2.0, 2.0, 50, 1, True), bench.Run(10, "material-prune", 4.0, 4.0, 50, 1, True),
            bench.Run(10, "material-kb-nav", 1.0, 1.0, 50, 1, False)]
    assert bench.ratio(runs, 10, "kb", "material-prune") == 0.5
    assert bench.ratio(runs, 10, "kb", "material-kb-nav") is None  # a failed build gives no ratio
    assert "| 10 | plain | 0.50 | n/a | 0.50 | n/a |" in bench.render(runs, [10])
    # The realistic row only when its kb build ran.
    assert "| 10 | realistic |" not in bench.render(runs, [10])


def test_ratios_are_paired_within_each_round_and_shown_with_their_range() -> None:
    # The machine ran twice as fast in round 1: kb's ratio holds in both rounds.
    runs = [bench.Run(10, "material-prune", 4.0, 8.0, 50, 1, True, round=0),
            bench.Run(10, "kb", 2.0, 6.0, 50, 1, True, {"parse": 1.0}, round=0),
            bench.Run(10, "kb-no-search", 1.8, 5.4, 50, 1, True, round=0),
            bench.Run(10, "material-prune", 2.0, 4.0, 50, 1, True, round=1),
            bench.Run(10, "kb", 1.2, 3.2, 50, 1, True, {"parse": 3.0}, round=1),
            bench.Run(10, "kb-no-search", 1.0, 3.0, 50, 1, True, round=1)]
    assert bench.ratios(runs, 10, "kb", "material-prune", cpu=True) == [0.75, 0.8]
    assert bench.ratio(runs, 10, "kb", "material-prune") == pytest.approx(0.55)
    text = bench.render(runs, [10])
    assert "| 10 | plain | 0.55 (0.50–0.60) | n/a | 0.78 (0.75–0.80) | n/a |" in text
    # One row per variant: its median times, and its stages' medians.
    assert "| 10 | kb | 1.6 | 4.6 | 50 | 1 | yes |" in text
    assert "| 10 | – | 2.00 | – |" in text
    # What the search adds, from each round's pair: 11% and 20% of the wall time, 10% and 6.25% of the CPU.
    assert re.search(r"^\| 10 \| 1\.4 \| 1\.6 \| \+16% \| 4\.2 \| 4\.6 \| 8% \|$", text, re.M)
    assert "built 2 times" in text


def test_a_build_that_failed_in_one_round_is_left_out_of_that_rounds_figures() -> None:
    runs = [bench.Run(10, "material-prune", 20, 30, 50, 7, True, round=0),
            bench.Run(10, "kb", 10, 20, 80, 0, False, round=0),
            bench.Run(10, "material-prune", 20, 30, 50, 7, True, round=1),
            bench.Run(10, "kb", 4, 6, 30, 9, True, round=1)]
    text = bench.render(runs, [10])
    # The row has the build that succeeded, and says that one failed.
    assert "| 10 | kb | 4.0 | 6.0 | 30 | 9 | FAILED |" in text
    assert "| 10 | plain | 0.20 (1 of 2 rounds) | n/a | 0.20 (1 of 2 rounds) | n/a |" in text


@pytest.mark.parametrize("given", ["0", "-1", "two"])
def test_rounds_must_be_a_whole_number_of_at_least_one(given: str, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        bench.main(["--sizes", "", "--repeat", given, "--out", str(tmp_path / "results.md")])
    assert stopped.value.code == 2


def test_the_build_section_is_rewritten_and_the_other_benchmarks_sections_kept(tmp_path: Path) -> None:
    results = tmp_path / "results.md"
    bench.write_builds(results, "# Build benchmark\n\nfirst\n")
    assert results.read_text(encoding="utf-8") == "# Build benchmark\n\nfirst\n"
    results.write_text(results.read_text(encoding="utf-8") + "\n## Preview\n\nkept\n", encoding="utf-8")
    bench.write_builds(results, "# Build benchmark\n\nsecond\n")
    assert results.read_text(encoding="utf-8") == "# Build benchmark\n\nsecond\n\n## Preview\n\nkept\n"


def test_realistic_variants_add_the_example_wikis_extensions() -> None:
    for variant in bench.REALISTIC:
        realistic = bench.CONFIGS[f"{variant}-realistic"]
        assert realistic.startswith(bench.CONFIGS[variant]) and "markdown_extensions" not in bench.CONFIGS[variant]
        assert "pymdownx.highlight" in realistic and "permalink: true" in realistic


def test_harness_runs_the_search_benchmark_on_the_kb_site(tmp_path: Path, corpus_script: Path) -> None:
    out = tmp_path / "results.md"
    # The languages benchmark's section, which the search benchmark keeps when it writes the rest.
    (tmp_path / "search.md").write_text("# Old\n\n## Search in the wiki's languages\n\nKept.\n", encoding="utf-8")
    # In its own process: the browser tests' Playwright may be running in this one.
    done = subprocess.run([sys.executable, str(REPOSITORY / "bench" / "run.py"), "--sizes", "25", "--variants",
                           "kb,material-prune", "--search", "--out", str(out), "--work", str(tmp_path / "work")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "search.md").read_text(encoding="utf-8")
    assert "## site-25" in text and "# Old" not in text
    assert text.endswith("\n\n## Search in the wiki's languages\n\nKept.\n")
    rows = re.findall(r"^\| `[^`]+` \| (\d+) \| (\d+) \| (\d+) \|$", text, re.M)
    assert len(rows) == 21
    assert any(int(shown) > 0 for _, _, shown in rows)
    # Material's own search, timed the same way on the same pages.
    assert re.search(r"^\| Material \(search plugin\) \| 1 file, \d+ KB \| 3 of 3 \| \d+ \| \d+ \|$", text, re.M)
    assert not (tmp_path / "work" / "corpus-25" / "site-25").exists()
    assert not (tmp_path / "work" / "corpus-25" / "site-material-prune").exists()


def test_the_languages_benchmark_replaces_only_its_section() -> None:
    heading = bench_languages.SECTION
    new = f"{heading}\n\nNew figures.\n"
    assert bench_search.replace_section("# Search\n\n## site-10000\n\nOld.\n", heading, new) == (
        f"# Search\n\n## site-10000\n\nOld.\n\n{new}")
    before = f"# Search\n\n{heading}\n\nOld figures.\n\n## site-10000\n\nOld.\n"
    assert bench_search.replace_section(before, heading, new) == f"# Search\n\n{new}\n## site-10000\n\nOld.\n"


def test_the_languages_benchmark_rewrites_a_fifth_of_the_pages_in_each_language(tmp_path: Path, corpus_script: Path) -> None:
    corpora = [tmp_path / "one", tmp_path / "two"]
    for corpus in corpora:
        bench.make_corpus(60, corpus)
        assert {lang: bench_languages.rewrite_corpus(corpus, lang) for lang in ("de", "ja")} == {"de": 12, "ja": 9}
    pages = {path.relative_to(corpora[0]): path.read_text(encoding="utf-8") for path in corpora[0].rglob("content/*/*.md")}
    # The same bytes every time.
    assert pages == {path.relative_to(corpora[1]): path.read_text(encoding="utf-8") for path in corpora[1].rglob("content/*/*.md")}
    german = [text for text in pages.values() if "\nlang: de\n" in text]
    japanese = [text for text in pages.values() if "\nlang: ja\n" in text]
    assert len(german) == 12 and len(japanese) == 9
    # German words in their inflected forms, which the search reads back to one stem.
    assert any(re.search(r"\b(Fehlern|Änderungen|Dateien|Prozesses)\b", text) for text in german)
    assert index_terms("Änderung Änderungen", "de") == ["ander", "ander"]
    # Japanese without spaces between its words, read as pairs of characters.
    body = japanese[0].split("\n---\n", 1)[1]
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]{6,}", body) and "。" in body


@pytest.mark.parametrize(("path", "html", "kind"), [
    ("index.html", b"", "home"),
    ("people/index.html", b"", "people index"),
    ("topics/kubernetes/index.html", b"", "topic page"),
    ("topics/kubernetes/all/2/index.html", b'<p class="kb-summary kb-listing-range">', "further page of a listing"),
    ("people/ann/index.html", b"", "person page"),
    ("ops/deploy/index.html", b"", "article"),
    ("404.html", b"", None),
    ("assets/kb/x/index.html", b"", None),
])
def test_pages_are_told_apart_by_kind(path: str, html: bytes, kind: str | None) -> None:
    assert bench_pages.kind_of(path, html) == kind


def test_the_page_weight_section_says_which_pages_miss_their_targets() -> None:
    rows = [bench_pages.Measured("home", "index.html", 40 * 1024, 700, 80.0, 1),
            bench_pages.Measured("insights", "insights/index.html", 4000 * 1024, 65000, 1700.0, 1)]
    text = bench_pages.render([(10000, rows)])
    assert "| home | 1 | `index.html` | 40 | 700 | 80 | yes |" in text
    assert "| insights | 1 | `insights/index.html` | 4000 | 65,000 | 1700 | NO |" in text
    assert text.startswith("## Page weight\n")


def test_the_page_weight_section_keeps_the_sizes_a_run_did_not_measure() -> None:
    row = bench_pages.Measured("home", "index.html", 40 * 1024, 700, 80.0, 1)
    old = bench_pages.render([(10000, [row]), (50000, [dataclasses.replace(row, size=45 * 1024)])])
    new = bench_pages.render([(10000, [dataclasses.replace(row, size=41 * 1024)])],
                             bench_pages.earlier_tables(old, {10000}))
    assert "| home | 1 | `index.html` | 41 |" in new and "| home | 1 | `index.html` | 40 |" not in new
    assert "50,000 pages (measured in an earlier run" in new and "| home | 1 | `index.html` | 45 |" in new
    # Kept again by the next run, once.
    again = bench_pages.render([(10000, [row])], bench_pages.earlier_tables(new, {10000}))
    assert again.count("50,000 pages") == 1 and again.count("| 45 |") == 1


def test_the_stages_benchmark_times_each_of_kbs_stages_and_replaces_only_its_section(tmp_path: Path,
                                                                                       corpus_script: Path) -> None:
    corpus = tmp_path / "corpus"
    bench.make_corpus(25, corpus)
    out = tmp_path / "results.md"
    out.write_text("# Build benchmark\n\n## Page weight\n\nKept.\n", encoding="utf-8")
    for _ in range(2):
        assert bench_stages.main([f"25={corpus}", "--runs", "1", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.count(bench_stages.HEADING) == 1 and "## Page weight\n\nKept." in text
    [row] = re.findall(r"^\| 25 \|(.*)\|$", text, re.M)
    seconds = [float(cell) for cell in row.split("|")]
    assert len(seconds) == len(bench_stages.STAGES) + 1
    parse, total = seconds[bench_stages.STAGES.index("parse")], seconds[-1]
    assert 0 < parse <= total and total == pytest.approx(sum(seconds[:-1]), abs=0.05)


def test_cores_bench_counts_cpus_and_replaces_only_its_own_section() -> None:
    assert [bench_cores.cpu_counts(n) for n in (1, 2, 6)] == [[1], [1, 2], [1, 2, 4, 6]]
    text = "# Build\n\nfigures\n\n## Cores\n\nold\n\n## Page weight\n\nweights\n"
    replaced = bench_cores.replace_section(text, "## Cores\n\nnew\n")
    assert replaced == "# Build\n\nfigures\n\n## Cores\n\nnew\n\n## Page weight\n\nweights\n"
    assert bench_cores.replace_section("# Build\n", "## Cores\n\nnew\n") == "# Build\n\n## Cores\n\nnew\n"


def test_the_memory_bench_reads_sizes_and_replaces_only_its_own_section() -> None:
    assert [bench_memory.size(given) for given in ("4G", "3500m", "1024")] == [4 * 2**30, 3500 * 2**20, 1024]
    with pytest.raises(Exception, match="not a size"):
        bench_memory.size("four gigs")
    sampled = bench_memory.Sampled(50_000, 4 * 2**30, True, 900.0, 1200.0, 3 * 2**30, 2**31,
                                   {"main": 2**31, "search": 2**30, "git": 2**29}, 0,
                                   "kb: 0 page worker(s) instead of 1: 900 MB of memory is free")
    section = bench_memory.render(Path("corpus-50000"), sampled, "python bench/memory.py corpus-50000")
    row = next(line for line in section.splitlines() if line.startswith("| 50,000"))
    assert row == "| 50,000 | 4,096 | yes | 900 | 1200 | 3,072 | 2,048 | 2,048 | 1,024 | 512 | 0 |"
    assert "instead of 1" in section
    sampled.peaks |= {"page worker 10": 2**20, "page worker 2": 2**20}
    header = next(line for line in bench_memory.render(Path("c"), sampled, "c").splitlines() if line.startswith("| pages"))
    assert header.index("page worker 2 ") < header.index("page worker 10 ")
    text = "# Build\n\n## Memory\n\nold\n\n## Page weight\n\nweights\n"
    assert bench_memory.replace_section(text, section) == "# Build\n\n" + section + "\n## Page weight\n\nweights\n"


def test_the_memory_bench_builds_inside_a_cgroup_of_its_own(tmp_path: Path) -> None:
    """Where this process may make a memory cgroup (root, or a delegated one), a small wiki
    builds within its limit, and every process it ran was seen."""
    (tmp_path / "content").mkdir()
    for number in range(3):
        (tmp_path / "content" / f"p{number}.md").write_text(f"---\ntitle: P{number}\ntags: [t]\n---\nText {number}.\n",
                                                          encoding="utf-8")
    commit_all(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    try:
        sampled = bench_memory.measure(tmp_path, 2**30, scratch)
    except OSError as error:
        pytest.skip(f"no memory cgroup may be made here: {error}")
    assert sampled.ok and sampled.killed == 0 and sampled.pages == 3
    assert 0 < sampled.peaks["main"] < 2**30 and sampled.tree_pss_peak > 0 and sampled.cpu > 0


def test_the_preview_benchmark_reads_where_each_follow_up_spent_its_time() -> None:
    """The server logs each follow-up's stages (mkdocs_kb.preview); the benchmark reports them."""
    from kb.timing import StageClock
    from mkdocs_kb.preview import _stages

    clock = StageClock()
    clock.add("read", 1.25)
    clock.add("near pages", 0.5, 13)
    log = (f"INFO    -  kb: 13 pages next to the save are written ({_stages(clock)})\n"
           "INFO    -  kb: 40 pages the save changed are written (read 9.00 s)\n")
    assert bench_preview.follow_up_stages(log) == [{"read": 1.25, "near pages": 0.5}]
