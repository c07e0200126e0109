"""Shared helpers: example sites copied to a temporary directory and built for real."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

SITES = Path(__file__).parent / "sites"
REPOSITORY = Path(__file__).parent.parent


@dataclass
class Built:
    root: Path
    returncode: int
    log: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def html(self, url_path: str) -> str:
        """The HTML written for a site-relative URL such as `guides/deploy/`."""
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")

    def all_text(self) -> dict[str, str]:
        """Every text file of the output, decompressing nothing: by path inside site/."""
        texts = {}
        for path in sorted(self.site.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt", ".js", ".css", ".svg"}:
                texts[path.relative_to(self.site).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
        return texts


def copy_site(name: str, destination: Path) -> Path:
    root = destination / name
    shutil.copytree(SITES / name, root, symlinks=True)
    return root


def git(root: Path, *args: str, author: tuple[str, str] = ("Test Author", "author@example.com"),
        date: str = "2026-06-01T12:00:00Z") -> str:
    """Run git in `root` as `author` at `date`, whatever the machine's git config says."""
    env = os.environ | {
        "GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1],
        "GIT_COMMITTER_NAME": author[0], "GIT_COMMITTER_EMAIL": author[1],
        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def commit_files(root: Path, files: dict[str, str | None], message: str, author: tuple[str, str], date: str) -> None:
    """Write (or, for None, delete) files and commit them as `author` at `date`."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    for path, text in files.items():
        target = root / path
        if text is None:
            git(root, "rm", "-q", path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        git(root, "add", path)
    git(root, "commit", "-q", "-m", message, author=author, date=date)


def commit_all(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Example content")


def local_env(**extra: str) -> dict[str, str]:
    """The environment of a build on a writer's machine, whether or not the tests run in CI:
    kb is stricter under `CI` (uncommitted pages, shallow clones). A test of CI passes CI="1"."""
    env = {name: value for name, value in os.environ.items() if name not in ("CI", "SOURCE_DATE_EPOCH")}
    return env | {"NO_MKDOCS_2_WARNING": "1"} | extra


def mkdocs_build(root: Path, strict: bool = True, **env: str) -> Built:
    command = [sys.executable, "-m", "mkdocs", "build"] + (["--strict"] if strict else [])
    done = subprocess.run(command, cwd=root, env=local_env(**env), capture_output=True, text=True)
    return Built(root, done.returncode, done.stdout + done.stderr)


def kb_cli(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kb.commands.cli", *args], cwd=root, env=local_env(**env), capture_output=True,
                          text=True)


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_site("basic", tmp_path_factory.mktemp("basic"))
    commit_all(root)
    # A later edit by a person with a profile (matched by the git email in it), and a page
    # nobody has committed yet.
    deploy = (root / "docs/guides/deploy.md").read_text(encoding="utf-8") + "\nWatch the dashboards for ten minutes.\n"
    commit_files(root, {"docs/guides/deploy.md": deploy}, "Say how long to watch", ("A. Lee", "ann.private@corp.example"),
                 "2026-07-01T08:00:00Z")
    (root / "docs/guides/fresh.md").write_text("---\ntitle: Fresh page\ntags: [ops]\n---\nJust written.\n", encoding="utf-8")
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    return built


def demo_env(history: Path) -> dict[str, str]:
    """What `make site` sets: git reads the example wiki's history from the generated repository
    and its pages from content/ in this one."""
    return {"GIT_DIR": str(history), "GIT_WORK_TREE": str(REPOSITORY)}


def make_demo_history(output: Path) -> Path:
    done = subprocess.run([sys.executable, str(REPOSITORY / "demo" / "make_history.py"), "--output", str(output)],
                          env=local_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return output


@pytest.fixture(scope="session")
def demo_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example wiki's generated history (demo/make_history.py), as `make site` writes it."""
    return make_demo_history(tmp_path_factory.mktemp("demo") / "demo.git")


@pytest.fixture(scope="session")
def demo_site(demo_history: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The example wiki built as `make site` builds it, once for the whole run."""
    root = tmp_path_factory.mktemp("demo-site")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root / "site")],
                          cwd=REPOSITORY, env=local_env(**demo_env(demo_history)), capture_output=True, text=True)
    built = Built(root, done.returncode, done.stdout + done.stderr)
    assert built.returncode == 0, built.log
    return built


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright. Without it the browser tests are skipped on a
    developer's machine (`apt-get install chromium`) and fail in CI, which installs it."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@contextlib.contextmanager
def serving(site: Path, folder: Path, prefix: str = "wiki") -> Iterator[str]:
    """`site` served over HTTP on loopback under a sub-path (`/wiki/`), from `folder`; yields its URL."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    os.symlink(site, folder / prefix)

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{prefix}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def served_basic(basic_site: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The basic site served over HTTP on loopback under a sub-path, /wiki/."""
    with serving(basic_site.site, tmp_path_factory.mktemp("served")) as url:
        yield url


@pytest.fixture(scope="session")
def served_demo(demo_site: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example wiki served over HTTP on loopback under a sub-path, /wiki/."""
    with serving(demo_site.site, tmp_path_factory.mktemp("served-demo")) as url:
        yield url


#: One page of the example wiki for each of kb's page templates, by the template's name.
DEMO_PAGES = {
    "home": "",
    "article": "onboarding/buddy-program/",
    "topic": "topics/mentoring/",
    "topics index": "topics/",
    "people index": "people/",
    "person": "people/amara-okafor/",
    "changes": "changes/",
    "insights": "insights/",
}


@pytest.fixture(scope="session")
def multilingual_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A wiki in English, German, French, Japanese and Chinese (tests/sites/multilingual)."""
    root = copy_site("multilingual", tmp_path_factory.mktemp("multilingual"))
    commit_all(root)
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    return built


@pytest.fixture(scope="session")
def served_multilingual(multilingual_site: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(multilingual_site.site, tmp_path_factory.mktemp("served-multilingual")) as url:
        yield url


# Hypothesis profiles for the fuzz tests (tests/test_fuzz.py). `ci`, the default, is the same
# run every time and fits in a minute: it stops at the first failure without shrinking it (a
# shrink rebuilds the site hundreds of times). `campaign` (make fuzz, tests/fuzz_campaign.py)
# draws new examples on every run and shrinks each failure to a minimal wiki. Each example
# builds a real site, so the per-example deadline is off, and the too_slow health check (which
# times drawing and running together) does not apply.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, print_blob=False,
    phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "campaign", derandomize=False, database=None, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("KB_FUZZ_PROFILE", "ci"))
