"""The fault barrier: a page whose reading or analysis raises, or takes too long, is reported at
its file and held back, and everything else is built."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import kb.analyse.knowledge
import kb.read.parse
from kb.analyse.knowledge import build_knowledge_base
from kb.barrier import Budget, InternalError, PageTimeout
from kb.commands.cli import main
from kb.config import KbConfig
from kb.read.limits import Limits


def write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def test_a_page_whose_parsing_raises_is_held_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = kb.read.parse.scan_body

    def scan_body(body: str, first_line: int):  # a bug that only this page sets off
        if "TRIGGER" in body:
            raise IndexError("list index out of range")
        return real(body, first_line)

    monkeypatch.setattr(kb.read.parse, "scan_body", scan_body)
    base = build_knowledge_base(write(tmp_path, {"ok.md": "[[bad]]\n", "bad.md": "TRIGGER\n"}), display_root="c")
    assert sorted(base.articles) == ["ok.md"]
    assert "bad.md" in base.withheld and base.held_back["bad.md"] == "internal.error"
    [failure] = [d for d in base.diagnostics if d.code == "internal.error"]
    assert failure.format().startswith("c/bad.md:1:1: error: kb failed while reading this page (IndexError: list index "
                                       "out of range); the page is held back")
    assert "Traceback" in failure.detail and "scan_body" in failure.detail
    assert [d.code for d in base.diagnostics if d.path == "c/ok.md"] == ["link.wanted"]


def test_a_page_whose_analysis_raises_is_found_and_held_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = kb.analyse.knowledge.review_of

    def review_of(article, base):
        if article.title == "Trigger":
            raise ZeroDivisionError("division by zero")
        return real(article, base)

    monkeypatch.setattr(kb.analyse.knowledge, "review_of", review_of)
    root = write(tmp_path, {"a.md": "---\ntags: [ops]\n---\n[[Trigger]]\n", "t.md": "---\ntitle: Trigger\ntags: [ops]\n---\n"})
    base = build_knowledge_base(root, display_root="c")
    assert sorted(base.articles) == ["a.md"]
    assert base.topics["ops"].articles == ("a.md",)  # derived again without the page
    [failure] = [d.format() for d in base.diagnostics if d.code == "internal.error"]
    assert failure.startswith("c/t.md:1:1: error: kb failed while analysing this page (ZeroDivisionError: division")
    # The link to it is now to a page that is not published.
    assert [d.code for d in base.diagnostics if d.path == "c/a.md"] == ["link.draft"]


def test_a_failure_no_page_explains_is_an_internal_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*facts):
        raise RuntimeError("no page to blame")

    monkeypatch.setattr(kb.analyse.knowledge, "build_insights", broken)
    write(tmp_path, {"a.md": "Text.\n"})
    with pytest.raises(InternalError, match="no page to blame"):
        build_knowledge_base(tmp_path)
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "kb: internal error: kb failed while analysing the wiki (RuntimeError: no page to blame)" in err
    assert "Traceback" not in err
    assert main(["check", "--verbose", str(tmp_path)]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_check_shows_tracebacks_only_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(kb.read.parse, "scan_body", lambda body, line: 1 / 0)
    write(tmp_path, {"a.md": "Text.\n"})
    assert main(["check", str(tmp_path)]) == 1
    quiet = capsys.readouterr()
    assert "[internal.error]" in quiet.out and "Traceback" not in quiet.out + quiet.err
    main(["check", "--verbose", str(tmp_path)])
    assert "Traceback" in capsys.readouterr().err


def test_a_page_over_its_time_budget_is_reported_not_waited_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = kb.read.parse.scan_body

    def scan_body(body: str, first_line: int):
        while "SLOW" in body:  # stands for a pathological input that never finishes
            time.sleep(0.01)
        return real(body, first_line)

    monkeypatch.setattr(kb.read.parse, "scan_body", scan_body)
    config = KbConfig(limits=Limits(page_seconds=0.2))
    base = build_knowledge_base(write(tmp_path, {"slow.md": "SLOW\n", "fast.md": "Fast.\n"}), config, display_root="c")
    assert sorted(base.articles) == ["fast.md"]
    assert [d.format() for d in base.diagnostics] == [
        "c/slow.md:1:1: error: reading this page took more than 0.2 s, the limit for one page; it is held back. "
        "Split it into smaller pages, or raise limits.page_seconds [page.slow]"]


def test_the_budget_is_disarmed_after_each_page() -> None:
    with Budget(0.05) as budget:
        with budget.page():
            pass
        time.sleep(0.1)  # no alarm goes off between pages
        with pytest.raises(PageTimeout), budget.page():
            time.sleep(1)
