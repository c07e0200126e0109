"""The wiki's CI workflow and pre-commit hook: valid YAML, commands that exist, and the
pull-request job run here on a repository with a broken page."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from kb.cli import build_parser

from conftest import REPOSITORY, commit_files, git

WORKFLOW = REPOSITORY / ".github" / "workflows" / "wiki.yml"


def run_steps(job: str) -> list[str]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return [step["run"] for step in data["jobs"][job]["steps"] if "run" in step]


def test_workflow_parses_and_checks_out_the_whole_history() -> None:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(data["jobs"]) == {"check", "publish"}
    for job in data["jobs"].values():
        checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout"))
        assert checkout["with"]["fetch-depth"] == 0
    assert any(step.get("uses", "").startswith("actions/deploy-pages") for step in data["jobs"]["publish"]["steps"])


def test_every_kb_and_mkdocs_command_in_the_workflow_exists() -> None:
    commands = [cmd for job in ("check", "publish") for cmd in run_steps(job)]
    assert commands
    for command in commands:
        words = shlex.split(re.sub(r"\$\{\{[^}]*\}\}", "main", command))
        if words[0] == "kb":
            build_parser().parse_args(words[1:])  # exits on an unknown command or option
        elif words[0] == "mkdocs":
            assert words[1:] == ["build", "--strict"]
        else:
            assert words[:2] == ["pip", "install"]


def test_pre_commit_hook_runs_kb_check() -> None:
    [hook] = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"].split()[:2] == ["kb", "check"] and hook["pass_filenames"] is False
    build_parser().parse_args(hook["entry"].split()[1:])


def test_pull_request_job_annotates_a_broken_page(tmp_path: Path) -> None:
    root = tmp_path / "wiki"
    root.mkdir()
    shutil.copytree(REPOSITORY / "tests" / "sites" / "basic", root, dirs_exist_ok=True)
    commit_files(root, {"docs/guides/best.md": (root / "docs/guides/best.md").read_text(encoding="utf-8")},
                 "Start", ("Ann Lee", "ann.private@corp.example"), "2026-06-01T10:00:00Z")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Everything", author=("Ann Lee", "ann.private@corp.example"), date="2026-06-01T11:00:00Z")
    git(root, "checkout", "-q", "-b", "change")
    broken = "---\ntitle: [unclosed\n---\nBody\n"
    commit_files(root, {"docs/guides/broken.md": broken,
                        "docs/guides/deploy.md": (root / "docs/guides/deploy.md").read_text(encoding="utf-8") + "More.\n"},
                 "A pull request", ("Bob", "bob@corp.example"), "2026-06-02T10:00:00Z")
    outputs = []
    bin_dir = Path(sys.executable).parent
    for command in run_steps("check")[1:]:  # after installing kb
        # In the job, origin/<base> is the branch the pull request goes into; here it is main.
        words = shlex.split(command.replace("origin/${{ github.base_ref }}", "main"))
        executable = str(bin_dir / words[0]) if (bin_dir / words[0]).exists() else shutil.which(words[0])
        outputs.append(subprocess.run([executable, *words[1:]], cwd=root, capture_output=True, text=True,
                                      env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "HOME": str(tmp_path),
                                           "NO_MKDOCS_2_WARNING": "1"}))
    check, since, build = outputs
    assert check.returncode == 1
    assert ("::error file=docs/guides/broken.md,line=3,col=1,title=frontmatter.yaml::the front matter cannot be read"
            in check.stdout)
    assert since.returncode == 0
    assert since.stdout.startswith("::notice file=docs/guides/deploy.md,line=6,col=1,title=review.reset::")
    assert build.returncode != 0 and "frontmatter.yaml" in build.stderr
