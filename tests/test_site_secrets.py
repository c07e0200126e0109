"""Credentials in a real build: however a key is written, in a page, an attachment of any name or
a commit message, it reaches no file of the site, and kb check reports what the build reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.read.secrets import WITHHELD_MESSAGE

from conftest import Built, commit_files, kb_cli, mkdocs_build

KEY = "AKIAIOSFODNN7EXAMPLE"
TOKEN = "ghp_" + "A1b2C3d4E5" * 4
ANN = ("Ann Lee", "ann@corp.example")
#: What must not be anywhere in the site: the keys, and what is left of them once a first letter is encoded.
LEAKS = (KEY, KEY[1:], TOKEN, TOKEN[4:])

FILES = {
    "mkdocs.yml": "site_name: Secrets\nsite_url: https://wiki.example.com/\ntheme: material\nplugins:\n  - kb\n",
    "docs/index.md": "# Home\n",
    "docs/ops/runbook.md": "---\ntitle: Runbook\ntags: [ops]\n---\nRestart the service.\n",
    "docs/ops/entities.md": "---\ntitle: Entities\ntags: [ops]\n---\nThe key is &#65;KIAIOSFODNN7EXAMPLE.\n",
    "docs/ops/percent.md": "---\ntitle: Percent\ntags: [ops]\n---\n[Console](https://console.example/?k=%41KIAIOSFODNN7EXAMPLE)\n",
    "docs/ops/identifier.md": f"---\ntitle: Identifier\ntags: [ops]\n---\n`aws_{KEY}`\n",
    "docs/infra/main.tf": f'provider "aws" {{\n  access_key = "{KEY}"\n}}\n',
    "docs/infra/app.ts": f"export const token = '{TOKEN}';\n",
    "docs/keys/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
    "docs/notes": f"Written down for later: {KEY}\n",
}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("secrets")
    commit_files(root, FILES, "Example content", ANN, "2026-01-10T09:00:00Z")
    commit_files(root, {"docs/ops/runbook.md": FILES["docs/ops/runbook.md"] + "Then check the logs.\n"},
                 f"Check the logs with {KEY}", ANN, "2026-02-01T09:00:00Z")
    commit_files(root, {"docs/ops/runbook.md": FILES["docs/ops/runbook.md"] + "Then check the dashboards.\n"},
                 f"Use the dashboards\nsigned in as bot_{TOKEN}", ANN, "2026-03-01T09:00:00Z")
    return root


@pytest.fixture(scope="module")
def site(root: Path) -> Built:
    built = mkdocs_build(root, strict=False)
    assert built.returncode == 0, built.log
    return built


def test_no_key_reaches_any_file_of_the_site(site: Built) -> None:
    files = [path for path in sorted(site.site.rglob("*")) if path.is_file()]
    assert len(files) > 20
    leaked = [(path.relative_to(site.site).as_posix(), leak) for path in files for leak in LEAKS
              if leak.encode() in path.read_bytes()]
    assert leaked == []
    for withheld in ("ops/entities", "ops/percent", "ops/identifier", "infra/main.tf", "infra/app.ts", "keys/id_rsa",
                     "notes"):
        assert not (site.site / withheld).exists()
    assert (site.site / "ops" / "runbook" / "index.html").exists()


def test_the_site_shows_a_neutral_text_for_each_withheld_commit_message(site: Built) -> None:
    changes = site.html("changes")
    assert changes.count(WITHHELD_MESSAGE) == 2 and "Example content" in changes
    feed = (site.site / "feed.xml").read_text(encoding="utf-8")
    assert f"<summary>{WITHHELD_MESSAGE}</summary>" in feed
    assert WITHHELD_MESSAGE in (site.site / "feeds" / "ops.xml").read_text(encoding="utf-8")


_DIAGNOSTIC = re.compile(r"^(?:ERROR|WARNING|INFO) +-  (\S.*:\d+:\d+: (?:error|warning|info): .*\[[\w.-]+\])$")


def test_kb_check_reports_what_the_build_reports(root: Path, site: Built) -> None:
    done = kb_cli(root, "check")
    assert done.returncode == 1
    reported = done.stdout.splitlines()
    assert sorted(reported) == sorted(m.group(1) for line in site.log.splitlines() if (m := _DIAGNOSTIC.match(line)))
    where = [(line.split(": ", 1)[0], line.rsplit(" ", 1)[1]) for line in reported]
    assert sorted(where) == [
        ("docs/infra/app.ts:1:23", "[secret.found]"),
        ("docs/infra/main.tf:2:17", "[secret.found]"),
        ("docs/keys/id_rsa:1:1", "[secret.found]"),
        ("docs/notes:1:25", "[secret.found]"),
        ("docs/ops/entities.md:5:12", "[secret.found]"),
        ("docs/ops/identifier.md:5:6", "[secret.found]"),
        ("docs/ops/percent.md:5:38", "[secret.found]"),
        ("docs/ops/runbook.md:1:1", "[secret.commit]"),
        ("docs/ops/runbook.md:1:1", "[secret.commit]"),
    ]
    assert not any(leak in done.stdout + done.stderr + site.log for leak in LEAKS)
