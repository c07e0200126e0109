"""The wiki's CI workflow and pre-commit hook: valid YAML, commands that exist, a deploy only
to the audience the repository chose, and the pull-request job run here on a repository with a
broken page."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kb.commands.cli import build_parser

from conftest import REPOSITORY, commit_files, git

WORKFLOW = REPOSITORY / ".github" / "workflows" / "wiki.yml"


def jobs() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def run_steps(job: str) -> list[str]:
    return [step["run"] for step in jobs()[job]["steps"] if "run" in step]


def uses(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


_TOKEN = re.compile(r"\s*('[^']*'|&&|\|\||==|!=|!|\(|\)|[A-Za-z_][\w.-]*)")


def runs(condition: str, **context: str) -> bool:
    """Whether a GitHub Actions `if:` made of ==, !=, !, &&, || and parentheses holds, with the
    context values given (`vars_KB_AUDIENCE` for `vars.KB_AUDIENCE`; unset ones are ''). Strings
    compare ignoring case, as GitHub compares them; anything else in the condition fails the test."""
    text, python, position = condition.strip().removeprefix("${{").removesuffix("}}"), [], 0
    words = {"&&": "and", "||": "or", "!": "not", "==": "==", "!=": "!=", "(": "(", ")": ")"}
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        assert match, f"cannot read {condition!r} at {text[position:]!r}"
        token, position = match.group(1), match.end()
        if token in words:
            python.append(words[token])
        elif token.startswith("'"):
            python.append(repr(token[1:-1].lower()))
        else:
            assert "." in token, f"unexpected {token!r} in {condition!r}"
            python.append(repr(context.get(token.replace(".", "_"), "").lower()))
    return bool(eval(" ".join(python), {"__builtins__": {}}))


def test_workflow_parses_and_checks_out_the_whole_history() -> None:
    workflow = jobs()
    assert set(workflow) == {"check", "build", "pages", "internal-host"}
    for name in ("check", "build"):
        [checkout] = uses(workflow[name], "actions/checkout")
        assert checkout["with"]["fetch-depth"] == 0


AUDIENCES = ["", "internal-host", "private-pages", "public", "Public", "yes", "true", "internal"]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_nothing_is_deployed_to_pages_unless_the_audience_is_chosen(audience: str) -> None:
    """Pages is public on most GitHub plans: only KB_AUDIENCE public or private-pages deploys
    there, and on a pull request nothing deploys at all."""
    workflow = jobs()
    deploying = {name for name, job in workflow.items() if uses(job, "actions/deploy-pages")}
    assert deploying == {"pages"}
    assert {name for name, job in workflow.items() if "pages" in job.get("permissions", {})} == {"pages"}
    pages = workflow["pages"]
    chosen = audience.lower() in ("public", "private-pages")
    assert runs(pages["if"], github_event_name="push", vars_KB_AUDIENCE=audience) is chosen
    assert not runs(pages["if"], github_event_name="pull_request", vars_KB_AUDIENCE=audience)
    internal = audience == "internal-host"
    assert runs(workflow["internal-host"]["if"], github_event_name="push", vars_KB_AUDIENCE=audience) is internal
    assert not runs(workflow["internal-host"]["if"], github_event_name="pull_request", vars_KB_AUDIENCE=audience)
    assert runs(workflow["build"]["if"], github_event_name="push", vars_KB_AUDIENCE=audience)


def test_the_build_keeps_the_site_as_an_artifact_that_the_deploy_jobs_take() -> None:
    workflow = jobs()
    [upload] = uses(workflow["build"], "actions/upload-artifact")
    assert upload["with"]["path"] == "site" and not uses(workflow["build"], "actions/upload-pages-artifact")
    for name in ("pages", "internal-host"):
        assert workflow[name]["needs"] == "build"
        [download] = uses(workflow[name], "actions/download-artifact")
        assert download["with"] == {"name": upload["with"]["name"], "path": "site"}
    assert uses(workflow["pages"], "actions/upload-pages-artifact")[0]["with"]["path"] == "site"


def test_private_pages_stops_before_deploying_while_the_pages_site_is_public() -> None:
    steps = jobs()["pages"]["steps"]
    guard = next(index for index, step in enumerate(steps) if "gh api" in step.get("run", ""))
    deploy = next(index for index, step in enumerate(steps) if step.get("uses", "").startswith("actions/deploy-pages"))
    assert guard < deploy
    step = steps[guard]
    assert runs(step["if"], vars_KB_AUDIENCE="private-pages") and not runs(step["if"], vars_KB_AUDIENCE="public")
    assert 'gh api "repos/$GITHUB_REPOSITORY/pages" --jq .public' in step["run"]
    assert '[ "$public" != "false" ]' in step["run"] and "exit 1" in step["run"]


def test_the_internal_host_job_copies_the_site_over_ssh_with_a_known_host_key() -> None:
    [script] = run_steps("internal-host")
    assert "StrictHostKeyChecking=yes" in script and "UserKnownHostsFile=" in script
    assert 'site/ "$TARGET"' in script and "--delete-after --delay-updates" in script
    assert "${TARGET:?" in script  # an unset destination stops the job instead of copying nowhere


def test_every_kb_and_mkdocs_command_in_the_workflow_exists() -> None:
    commands = [cmd for job in ("check", "build") for cmd in run_steps(job)]
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


def test_the_guides_gitlab_pipeline_publishes_pages_only_to_the_chosen_audience() -> None:
    guide = (REPOSITORY / "content" / "kb" / "checks-on-pull-requests.md").read_text(encoding="utf-8")
    gitlab = guide.split("## GitLab CI", 1)[1]
    pipeline = yaml.safe_load(gitlab.split("```yaml\n", 1)[1].split("```", 1)[0])
    assert pipeline["variables"]["GIT_DEPTH"] == 0
    assert pipeline["site"]["artifacts"]["paths"] == ["site"]
    [rule] = pipeline["pages"]["rules"]
    assert rule["if"] == '$CI_COMMIT_BRANCH == "main" && ($KB_AUDIENCE == "private-pages" || $KB_AUDIENCE == "public")'
    assert pipeline["pages"]["needs"] == ["site"] and pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert "Only project members" in " ".join(gitlab.split())  # access control is a project setting, not the pipeline's
    for command in pipeline["check"]["script"] + pipeline["site"]["script"]:
        words = shlex.split(command.replace("$CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main"))
        if words[0] == "kb":
            build_parser().parse_args(words[1:])


def test_the_guide_and_the_workflow_state_the_choice_at_the_top() -> None:
    guide = (REPOSITORY / "content" / "kb" / "checks-on-pull-requests.md").read_text(encoding="utf-8")
    top = " ".join(guide.split("---\n", 2)[2].split("\n## ", 1)[0].split())
    for choice in ("Private GitHub Pages", "GitHub Enterprise Cloud", "An internal host", "GitLab Pages with access control",
                   "**public**"):
        assert choice in top, choice
    header = " ".join(WORKFLOW.read_text(encoding="utf-8").split("\nname:", 1)[0].replace("#", " ").split())
    for choice in ("PUBLIC", "internal-host", "private-pages", "public", "GitHub Enterprise Cloud"):
        assert choice in header, choice
