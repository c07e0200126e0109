"""The example wiki's generated history (demo/make_history.py): eighteen months of the Larkspur
people writing, reviewing and moving pages, ending in content/ exactly as written, and a site
built from it that shows what kb does with a wiki that has lived."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest

from kb.analyse.identities import is_unclaimed
from kb.analyse.knowledge import KnowledgeBase, build_knowledge_base
from kb.analyse.review import ReviewState
from kb.read.history import read_history

from conftest import REPOSITORY, Built, demo_env, make_demo_history

CONTENT = REPOSITORY / "content"
PROFILES = sorted(path.stem for path in (CONTENT / "people").glob("*.md"))


def demo_git(history: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | demo_env(history) | {
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=REPOSITORY, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def demo_kb(demo_history: Path) -> KnowledgeBase:
    saved = {name: os.environ.get(name) for name in ("GIT_DIR", "GIT_WORK_TREE")}
    os.environ.update(demo_env(demo_history))
    try:
        history, problems = read_history(CONTENT)
        assert problems == [] and history.known
        return build_knowledge_base(CONTENT, history=history)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_its_last_commit_is_the_content_as_written(demo_history: Path) -> None:
    """Nothing in content/ (or mkdocs.yml) differs from the last commit, and nothing is new to it."""
    assert demo_git(demo_history, "status", "--porcelain", "--untracked-files=all", "--", "content", "mkdocs.yml") == ""
    tracked = demo_git(demo_history, "ls-tree", "-r", "--name-only", "HEAD").split()
    assert "mkdocs.yml" in tracked and all(path == "mkdocs.yml" or path.startswith("content/") for path in tracked)
    assert len([path for path in tracked if path.endswith(".md")]) == len(list(CONTENT.rglob("*.md")))


def test_two_runs_write_the_same_commits(demo_history: Path, tmp_path: Path) -> None:
    again = make_demo_history(tmp_path / "again.git")
    assert demo_git(again, "rev-parse", "HEAD") == demo_git(demo_history, "rev-parse", "HEAD")


def test_it_will_not_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(AssertionError, match="not a history this script made"):
        make_demo_history(tmp_path / "notes")
    assert (tmp_path / "notes" / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_the_larkspur_people_write_it_over_eighteen_months(demo_history: Path) -> None:
    log = demo_git(demo_history, "log", "--format=%ad%x1f%an%x1f%ae%x1f%s", "--date=short").splitlines()
    rows = [line.split("\x1f") for line in log]
    days = sorted(dt.date.fromisoformat(day) for day, *_ in rows)
    assert (days[-1] - days[0]).days >= 540
    authors = {name for _, name, _, _ in rows}
    names = {re.search(r"^name: (.+)$", (CONTENT / "people" / f"{p}.md").read_text(encoding="utf-8"), re.M).group(1)
             for p in PROFILES}
    assert names <= authors
    assert {"Lena Fischer", "larkspur-format-bot"} <= authors  # the one who left, and the bot
    assert any(subject.startswith("Rename ") for *_, subject in rows)
    assert any(subject.startswith("Review ") for *_, subject in rows)


def test_kb_reads_the_story_from_it(demo_kb: KnowledgeBase) -> None:
    kb = demo_kb
    # Every review was recorded by its reviewer, on the day the page says.
    for path, article in kb.articles.items():
        if article.status.is_vetted:
            recorded = [c for c in kb.changes(path) if c.date == article.reviewed_on]
            assert any(kb.identities.person_of(c.author, c.email) == article.reviewed_by for c in recorded), path
    states = {path: review.state for path, review in kb.reviews.items()}
    assert states["onboarding/buddy-program.md"] is ReviewState.CHANGED  # edited after its review
    assert states["knowledge-sharing/after-action-reviews.md"] is ReviewState.OVERDUE
    assert ReviewState.FRESH in states.values()
    # Pages keep their history through a rename.
    moved = kb.changes("onboarding/setting-up-your-laptop.md")
    assert moved[-1].date < dt.date(2025, 10, 14) and len(moved) >= 3
    # Every commit is someone's: the bot's are left out, the one who left has no profile.
    authors = {kb.identities.author_of(c.author, c.email) for path in kb.articles for c in kb.changes(path)}
    assert set(PROFILES) <= authors
    assert [kb.identities.unclaimed[a].name for a in authors if a and is_unclaimed(a)] == ["Lena Fischer"]
    assert not any("bot" in c.author for path in kb.articles for c in kb.changes(path))
    # Each person's second git address or name is theirs too.
    assert any(c.email.endswith("@users.noreply.example") for path in kb.articles for c in kb.changes(path))


def test_the_insights_page_names_the_larkspur_people_and_a_year_of_activity(demo_site: Built) -> None:
    insights = demo_site.html("insights")
    named = set(re.findall(r'href="\.\./people/([a-z-]+)/"', insights)) & set(PROFILES)
    assert len(named) >= 5, named
    contributors = insights.split('id="kb-top-contributors"', 1)[1].split("</ol>", 1)[0]
    assert len(set(re.findall(r'href="\.\./people/([a-z-]+)/"', contributors)) & set(PROFILES)) >= 5
    first, last = re.search(r"from (\d{4}-\d{2}) to (\d{4}-\d{2})\.</desc>", insights).groups()
    months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
    assert months >= 12
    assert len(re.findall(r"<title>\d{4}-\d{2}: \d+ edits", insights)) == months  # a bar for every month
    people = demo_site.html("people")
    assert "Lena Fischer" in people.split('id="kb-unclaimed"', 1)[1]
    assert "larkspur-format-bot" not in people


def test_pages_a_writer_adds_get_a_history_too_however_short(tmp_path: Path) -> None:
    """`kb new`'s page, a page of one line, one that is a heading only, one reviewed before the
    story begins and one checked out with CRLF line ends: make site must go on working."""
    import shutil
    import sys

    from conftest import commit_all, local_env

    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copy(REPOSITORY / "mkdocs.yml", tmp_path / "mkdocs.yml")
    commit_all(tmp_path)
    added = {
        "content/onboarding/tiny.md": "---\ntitle: Tiny\n---\nBody text.\n",
        "content/onboarding/heading.md": "# Only a heading\n",
        "content/onboarding/early.md": "---\ntitle: Early\nstatus: verified\nreviewed_by: amara-okafor\n"
                                       "reviewed_on: 2024-03-01\n---\nReviewed long before the story began.\n",
        "content/onboarding/crlf.md": "---\r\ntitle: Windows\r\n---\r\nWritten on a machine that checks out CRLF.\r\n",
    }
    for path, text in added.items():
        (tmp_path / path).write_bytes(text.encode("utf-8"))
    output = tmp_path / "demo.git"
    done = subprocess.run([sys.executable, str(REPOSITORY / "demo" / "make_history.py"), "--root", str(tmp_path),
                           "--output", str(output)], env=local_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    for path, text in added.items():
        assert demo_git(output, "show", f"HEAD:{path}") == text.replace("\r\n", "\n")
