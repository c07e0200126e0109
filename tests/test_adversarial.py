"""The hostile corpus (tests/adversarial.py): every case gets its expected outcome in one build,
nothing withheld leaks, nothing unsafe reaches the HTML, and no script runs in a browser."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from adversarial import CASES, FOUND, LEAK, Cleaned, Rendered, Report, Withheld, write_corpus
from fuzz_found import Found, load
from fuzz_property import PropertyFailure, run_property
from html_safety import ARTICLE, unsafe_in_article

from kb.diagnostics import printable

from conftest import Built, commit_all


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_corpus(root)
    commit_all(root)
    return root


@pytest.fixture(scope="module")
def report(corpus: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-m", "kb.commands.cli", "check", "--verbose"], cwd=corpus, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1  # there are errors, and the check says so
    return done.stdout.splitlines()


@pytest.fixture(scope="module")
def site(corpus: Path) -> Built:
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    # The bound: a whole corpus of pathological pages builds in well under this.
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=corpus, env=env, capture_output=True, text=True,
                          timeout=300)
    built = Built(corpus, done.returncode, done.stdout + done.stderr)
    assert built.returncode == 0, built.log  # no case crashes the build
    return built


def test_a_strict_build_fails_and_reports_every_case_at_its_file_and_line(corpus: Path, tmp_path: Path) -> None:
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "strict")],
                          cwd=corpus, env=env, capture_output=True, text=True, timeout=300)
    log = done.stdout + done.stderr
    assert done.returncode == 1 and "Aborted with" in log and "Traceback" not in log
    for case in CASES:
        for expectation in case.expect:
            if isinstance(expectation, Report):
                where = printable(f"{case.place(expectation.path)}:{expectation.line}:")
                assert any(f"docs/{where}" in line and f"[{expectation.code}]" in line for line in log.splitlines()), where


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case_outcome(case, report: list[str], site: Built) -> None:
    for expectation in case.expect:
        if isinstance(expectation, Report):
            where = printable(f"docs/{case.place(expectation.path)}:{expectation.line}:")
            assert any(line.startswith(where) and line.endswith(f"[{expectation.code}]") for line in report), (
                where, expectation.code, [line for line in report if f"docs/{case.place('')}" in line])
            assert any(where in line for line in site.log.splitlines()), "the build logs it too"
        elif isinstance(expectation, Withheld):
            place = case.place(expectation.path)
            assert not (site.site / place.rsplit(".", 1)[0]).exists()
            assert not (site.site / place).exists()
        elif isinstance(expectation, Rendered):
            html = site.html(expectation.url)
            assert expectation.text in html
        elif isinstance(expectation, Cleaned):
            published = (site.site / case.place(expectation.path)).read_text(encoding="utf-8")
            assert [text for text in expectation.absent if text in published] == [], published


_DIAGNOSTIC = re.compile(r"^(?:ERROR|WARNING|INFO) +-  (\S.*:\d+:\d+: (?:error|warning|info): .*\[[\w.-]+\])$")


def test_kb_check_and_the_build_report_the_same_problems(report: list[str], site: Built) -> None:
    in_build = [match.group(1) for line in site.log.splitlines() if (match := _DIAGNOSTIC.match(line))]
    assert sorted(in_build) == sorted(report)


def test_nothing_withheld_leaks_into_any_output(site: Built) -> None:
    texts = site.all_text()
    assert "search/search_index.json" in texts and "sitemap.xml" in texts and "feed.xml" in texts
    assert [path for path, text in texts.items() if LEAK in text] == []


def test_a_content_file_in_kbs_place_leaves_kbs_own(site: Built) -> None:
    """The withheld assets/kb/kb.css hid the theme's file of that name from MkDocs."""
    theme_css = Path(__file__).parent.parent / "theme" / "assets" / "kb" / "kb.css"
    assert (site.site / "assets" / "kb" / "kb.css").read_bytes() == theme_css.read_bytes()


def test_nothing_unsafe_reaches_any_article(site: Built) -> None:
    for path in sorted(site.site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if ARTICLE not in html:
            continue
        assert unsafe_in_article(html) == [], path
        assert html.count('id="__config"') == 1, path  # Material's own, once


def test_no_script_runs_in_a_browser(browser, site: Built) -> None:
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site.site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        svgs = [case.place(path) for case in CASES for expectation in case.expect if isinstance(expectation, Cleaned)
                for path in (expectation.path,) if path.endswith(".svg")]
        for url in ("html-script/p/", "html-javascript-urls/p/", "title-html/p/", "tag-html/p/",
                    "topics/script-alert-1-script/", "html-base-meta-form-iframe/p/", "html-config-id/p/", *svgs):
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{url}")
            for link in page.locator("article a").all():
                # A preview card shown for one link may cover the next: close it first, and hover
                # where the link is whatever lies on top (the hover is to run what a link may hold).
                page.keyboard.press("Escape")
                link.hover(force=True)
            page.wait_for_timeout(100)
            assert page.evaluate("window.location.host") == f"127.0.0.1:{server.server_address[1]}"
        assert dialogs == []
        page.close()
    finally:
        server.shutdown()


def test_differently_written_tags_are_one_topic(site: Built) -> None:
    cafe = [path.name for path in (site.site / "topics").iterdir() if "caf" in path.name]
    assert cafe == ["café-culture"]


@pytest.mark.parametrize("found", [
    pytest.param(case, marks=[pytest.mark.xfail(raises=PropertyFailure, strict=False, reason=f"kb still fails it: {case.signature}")]
                 if case.open else [])
    for case in FOUND
], ids=lambda case: case.name)
def test_found_case_holds_every_property(found: Found) -> None:
    """A wiki the fuzzer once broke kb with builds without a crash, publishes none of its drafts,
    and reports every problem at a line that exists (all of tests/fuzz_oracle.py). A case stays
    an expected failure while case.json says `open`; the campaign clears that when it passes."""
    run_property(load(found.folder), build=True)
