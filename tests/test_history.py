"""The history stage on real git repositories made in temporary directories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kb.read.history import parse_log, read_history

from conftest import commit_files, git

ANN = ("Ann Lee", "ann@corp.example")
BOB = ("Bob Stone", "bob@corp.example")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
ZOE_DECOMPOSED = ("Zoe\u0308 Ame\u0301lie", "zoe@corp.example")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    commit_files(root, {"README.md": "outside the content\n", "content/ops/deploy.md": "one\ntwo\n"},
                 "Add deploy guide", ANN, "2026-01-10T09:00:00Z")
    commit_files(root, {"content/ops/deploy.md": "one\ntwo\nthree\n"}, "Add a step", BOB, "2026-02-01T09:00:00Z")
    (root / "content" / "guides").mkdir()
    git(root, "mv", "content/ops/deploy.md", "content/guides/deploying.md")
    commit_files(root, {"content/guides/deploying.md": "one\n2\nthree\n"}, "Move and fix the deploy guide",
                 ANN, "2026-03-01T09:00:00Z")
    commit_files(root, {"content/guides/deploying.md": "one\n2\nthree\nfour\n"}, "Bump", BOT, "2026-03-02T09:00:00Z")
    # A merge: its own change never counts twice.
    git(root, "checkout", "-q", "-b", "side")
    commit_files(root, {"content/side.md": "side\n"}, "Side page", ZOE_DECOMPOSED, "2026-04-01T09:00:00Z")
    git(root, "checkout", "-q", "main")
    commit_files(root, {"content/main.md": "main\n"}, "Main page", BOB, "2026-04-02T09:00:00Z")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge side", "side", author=BOB, date="2026-04-03T09:00:00Z")
    return root


def test_history_follows_renames_and_skips_bots_and_merges(repo: Path) -> None:
    history, problems = read_history(repo / "content")
    assert problems == []
    assert history.state == "ok"
    assert sorted(history.files) == ["guides/deploying.md", "main.md", "side.md"]
    changes = history.files["guides/deploying.md"]
    assert [(c.author, c.subject, c.added, c.deleted, c.date.isoformat()) for c in changes] == [
        ("Ann Lee", "Move and fix the deploy guide", 1, 1, "2026-03-01"),
        ("Bob Stone", "Add a step", 1, 0, "2026-02-01"),
        ("Ann Lee", "Add deploy guide", 2, 0, "2026-01-10"),
    ]
    assert [c.subject for c in history.commits] == ["Main page", "Side page", "Move and fix the deploy guide", "Add a step", "Add deploy guide"]
    assert history.files["side.md"][0].author == "Zo\u00eb Am\u00e9lie"  # NFC
    assert history.head_time is not None


def test_mailmap_merges_identities(repo: Path) -> None:
    (repo / ".mailmap").write_text("Ann Lee <ann@corp.example> <ann.lee@old.example>\n", encoding="utf-8")
    commit_files(repo, {".mailmap": (repo / ".mailmap").read_text(), "content/x.md": "x\n"}, "Old address",
                 ("A. Lee", "ann.lee@old.example"), "2026-05-01T09:00:00Z")
    history, _ = read_history(repo / "content")
    assert (history.files["x.md"][0].author, history.files["x.md"][0].email) == ("Ann Lee", "ann@corp.example")


def test_bot_patterns_are_configurable(repo: Path) -> None:
    history, _ = read_history(repo / "content", bots=("bob*",))
    authors = {c.author for changes in history.files.values() for c in changes}
    assert "Bob Stone" not in authors and "dependabot[bot]" in authors


def test_not_a_repository(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    history, problems = read_history(tmp_path / "content")
    assert history.state == "unavailable" and not history.files
    assert [(d.code, d.severity.value) for d in problems] == [("history.unavailable", "warning")]


def test_repository_without_commits(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    history, problems = read_history(tmp_path)
    assert (history.state, problems) == ("empty", [])


@pytest.mark.parametrize(("in_ci", "severity"), [(False, "warning"), (True, "error")])
def test_shallow_clone_gives_no_dates(repo: Path, tmp_path: Path, in_ci: bool, severity: str) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    history, problems = read_history(clone / "content", in_ci=in_ci)
    assert history.state == "shallow" and not history.known and not history.files
    assert [(d.code, d.severity.value) for d in problems] == [("history.shallow", severity)]
    assert "fetch-depth: 0" in problems[0].message


def test_result_is_reused_while_head_is_unchanged(repo: Path) -> None:
    first, _ = read_history(repo / "content")
    assert read_history(repo / "content")[0] is first
    commit_files(repo, {"content/new.md": "new\n"}, "New", ANN, "2026-06-01T09:00:00Z")
    assert read_history(repo / "content")[0] is not first


def test_parse_log_handles_binary_files_and_paths_outside_the_content() -> None:
    output = (b"\x1eabc\x1fAnn\x1fANN@X.EXAMPLE\x1f1767225600\x1fAdd\x00\n"
              b"-\t-\tcontent/img.png\x00"
              b"3\t0\tREADME.md\x00"
              b"1\t1\t\x00content/old name.md\x00content/new name.md\x00")
    history = parse_log(output, "content/", ())
    assert sorted(history.files) == ["img.png", "new name.md"]
    assert history.files["img.png"][0].added == 0
    assert history.files["new name.md"][0].email == "ann@x.example"


@pytest.mark.parametrize(
    ("name", "email", "bot"),
    [("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", True),
     ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", True),
     ("renovate-bot", "bot@renovateapp.com", True), ("Bob", "bob@corp.example", False),
     ("Abbot Ott", "abbot@corp.example", False), ("Tobot", "t@corp.example", False)],
)
def test_default_bot_patterns(name: str, email: str, bot: bool) -> None:
    from kb.read.history import DEFAULT_BOTS, _is_bot

    assert _is_bot(name, email, DEFAULT_BOTS) is bot


KEY = "AKIAIOSFODNN7EXAMPLE"
TOKEN = "ghp_" + "A1b2C3d4E5" * 4


@pytest.fixture
def leaky(tmp_path: Path) -> Path:
    """Commit messages with credentials in them, among ordinary ones."""
    root = tmp_path / "leaky"
    root.mkdir()
    commit_files(root, {"content/ops/runbook.md": "# Runbook\n", "content/old.md": "# Old\n"}, "Add the runbook", ANN,
                 "2026-01-10T09:00:00Z")
    commit_files(root, {"content/old.md": "# Old\nmore\n", "content/ops/runbook.md": "# Runbook\nStep.\n"},
                 f"Rotate the deploy key, the new one is {KEY}", BOB, "2026-02-01T09:00:00Z")
    # git joins the lines of a message's first paragraph into its subject; the body stays in git.
    commit_files(root, {"content/ops/runbook.md": "# Runbook\nStep.\nAnother.\n"},
                 f"Add a step\nfor the bot_{TOKEN}\n\nbody {KEY}", ANN, "2026-03-01T09:00:00Z")
    commit_files(root, {"content/old.md": None}, "Remove the old page", BOB, "2026-04-01T09:00:00Z")
    return root


def build(root: Path, allowed: frozenset[str] = frozenset()):
    from kb.analyse.knowledge import build_knowledge_base
    from kb.config import KbConfig
    from kb.read.history import PendingHistory

    content = root / "content"
    return build_knowledge_base(content, KbConfig(secrets_allow=allowed), "content", PendingHistory(content))


def test_a_commit_message_with_a_credential_is_withheld_and_reported_at_a_page_it_touched(leaky: Path) -> None:
    from kb.read.secrets import WITHHELD_MESSAGE, WITHHELD_NAME, fingerprint

    kb = build(leaky)
    assert [c.subject for c in kb.changes("ops/runbook.md")] == [WITHHELD_MESSAGE, WITHHELD_MESSAGE, "Add the runbook"]
    assert [c.subject for c in kb.history.commits] == [
        "Remove the old page", WITHHELD_MESSAGE, WITHHELD_MESSAGE, "Add the runbook"]
    assert [c.subject for c in kb.history.files["old.md"]] == ["Remove the old page", WITHHELD_MESSAGE, "Add the runbook"]
    assert all(KEY not in c.subject and TOKEN not in c.subject for changes in kb.history.files.values() for c in changes)
    reported = [d for d in kb.diagnostics if d.code == "secret.commit"]
    shas = git(leaky, "log", "--format=%H").split()
    # At the page that is still there (old.md, first by name, is gone), line 1, as a warning.
    assert [(d.path, d.line, d.col, d.severity.value) for d in reported] == [("content/ops/runbook.md", 1, 1, "warning")] * 2
    messages = sorted(d.message for d in reported)
    assert messages == sorted([
        f"the message or author name of commit {shas[1][:10]} holds a GitHub token; the site shows \"{WITHHELD_MESSAGE}\" "
        f"(or \"{WITHHELD_NAME}\") instead. Revoke it: it stays in the git history. If it is not a secret, allow it "
        f"with secrets_allow: ['{fingerprint(TOKEN)}']",
        f"the message or author name of commit {shas[2][:10]} holds an AWS access key; the site shows \"{WITHHELD_MESSAGE}\" "
        f"(or \"{WITHHELD_NAME}\") instead. Revoke it: it stays in the git history. If it is not a secret, allow it "
        f"with secrets_allow: ['{fingerprint(KEY)}']",
    ])
    assert not any(KEY in d.message or TOKEN in d.message for d in kb.diagnostics)


def test_an_allowed_fingerprint_shows_the_message_as_it_is(leaky: Path) -> None:
    from kb.read.secrets import WITHHELD_MESSAGE, fingerprint

    withheld = build(leaky)  # the history git read is cached: what the site shows is derived from it each time
    kb = build(leaky, frozenset({fingerprint(KEY)}))
    assert [c.subject for c in kb.changes("ops/runbook.md")][1] == f"Rotate the deploy key, the new one is {KEY}"
    assert [c.subject for c in kb.changes("ops/runbook.md")][0] == WITHHELD_MESSAGE
    assert [d.message.split(" holds ")[1][:14] for d in kb.diagnostics if d.code == "secret.commit"] == ["a GitHub token"]
    assert withheld.changes("ops/runbook.md")[1].subject == WITHHELD_MESSAGE


def test_an_author_name_with_a_credential_is_withheld(tmp_path: Path) -> None:
    from kb.read.secrets import WITHHELD_NAME

    root = tmp_path / "wiki"
    root.mkdir()
    commit_files(root, {"content/a.md": "# A\n"}, "Add a page", (KEY, "ci@example.com"), "2026-05-01T10:00:00Z")
    kb = build(root)
    assert [c.author for c in kb.changes("a.md")] == [WITHHELD_NAME]
    assert all(KEY not in c.author for c in kb.history.commits)
    assert [d.code for d in kb.diagnostics if d.code == "secret.commit"] == ["secret.commit"]
