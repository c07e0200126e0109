"""The fault barrier in a real build: a page whose conversion raises (a bug in a Markdown
extension, here) or hangs is reported at its file and held back everywhere, and the build goes on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Built, commit_all

# A Markdown extension with a bug that one word sets off, and another that never finishes.
EXTENSION = '''
import time
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor


class Boom(Preprocessor):
    def run(self, lines):
        if any("BOOMWORD" in line for line in lines):
            raise IndexError("the extension's own bug")
        while any("HANGWORD" in line for line in lines):
            time.sleep(0.01)
        return lines


class BoomExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Boom(md), "boom", 100)


def makeExtension(**kwargs):
    return BoomExtension(**kwargs)
'''

PAGES = {
    "index.md": "# Home\n",
    "ok.md": "---\ntitle: Fine page\ntags: [ops]\n---\nSee [[broken]] and [[hang]].\n",
    "broken.md": "---\ntitle: Broken page SECRETBROKEN\ntags: [ops, brokentopic]\n---\nBOOMWORD SECRETBROKEN\n",
    "hang.md": "---\ntitle: Hanging page SECRETHANG\ntags: [ops]\n---\nHANGWORD SECRETHANG\n",
}


def build(tmp_path: Path, parallel: bool, strict: bool = False, pages: dict[str, str] = PAGES) -> Built:
    root = tmp_path / "site-root"
    (root / "docs").mkdir(parents=True)
    (root / "boom_ext.py").write_text(EXTENSION, encoding="utf-8")
    for path, text in pages.items():
        (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / path).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Barrier\nsite_url: https://wiki.example.com/\ntheme: material\nmarkdown_extensions: [boom_ext]\n"
        f"plugins:\n  - kb:\n      parallel: {str(parallel).lower()}\n      limits: {{page_seconds: 2}}\n",
        encoding="utf-8")
    commit_all(root)
    # The site's own extension is importable, and kb is the one under test.
    paths = [str(root), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else [])], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    return Built(root, done.returncode, done.stdout + done.stderr)


@pytest.mark.parametrize("parallel", [False, True], ids=["one-process", "parallel"])
def test_a_page_that_fails_to_convert_is_held_back_everywhere(tmp_path: Path, parallel: bool) -> None:
    built = build(tmp_path, parallel)
    assert built.returncode == 0, built.log
    assert "Traceback" not in built.log
    assert ("ERROR   -  docs/broken.md:1:1: error: kb failed while converting this page (IndexError: the extension's own "
            "bug); the page is held back") in built.log
    assert ("ERROR   -  docs/hang.md:1:1: error: converting this page took more than 2 s, the limit for one page; "
            "it is held back") in built.log
    texts = built.all_text()
    assert "feed.xml" in texts and "search/manifest.json" in texts and "sitemap.xml" in texts
    assert [path for path, text in texts.items() if "SECRETBROKEN" in text or "SECRETHANG" in text] == []
    assert not (built.site / "broken").exists() and not (built.site / "hang").exists()
    # The topic only the broken page had is gone; the page that linked to both now asks for them.
    assert not (built.site / "topics" / "brokentopic").exists()
    fine = built.html("ok/")
    assert "Fine page" in fine and 'href="../broken/"' not in fine and 'href="../hang/"' not in fine
    assert "Fine page" in built.html("topics/ops/")


@pytest.mark.parametrize("parallel", [False, True], ids=["one-process", "parallel"])
def test_a_listing_that_a_held_back_page_makes_long_gets_its_further_pages(tmp_path: Path, parallel: bool) -> None:
    """Once the hub that linked them is held back, 21 pages are orphans: more than the insights
    page shows, so a further page is planned after MkDocs made its pages. And the folder
    `vetted/` that a held-back page left is where the vetted answers' further page goes."""
    pages = {"index.md": "# Home\n\n[[Hub]] " + " ".join(f"[[Answer {n:02d}]]" for n in range(21)) + "\n",
             "hub.md": "---\ntitle: Hub\n---\nBOOMWORD " + " ".join(f"[[Orphan {n:02d}]]" for n in range(21)) + "\n",
             "vetted.md": "---\ntitle: Vetted notes\n---\nBOOMWORD\n",
             **{f"orphan-{n:02d}.md": f"---\ntitle: Orphan {n:02d}\n---\nText.\n" for n in range(21)},
             **{f"answers/answer-{n:02d}.md": f"---\ntitle: Answer {n:02d}\nstatus: verified\n---\nText.\n"
                for n in range(21)}}
    built = build(tmp_path, parallel, pages=pages)
    assert built.returncode == 0, built.log
    assert "Traceback" not in built.log and "AssertionError" not in built.log
    orphans = built.html("insights/orphans/")
    assert all(f"Orphan {n:02d}" in orphans for n in range(21))
    vetted = built.html("vetted/")
    assert all(f"Answer {n:02d}" in vetted for n in range(21)) and "Vetted notes" not in vetted


def test_a_strict_build_fails_on_a_page_that_fails_to_convert(tmp_path: Path) -> None:
    built = build(tmp_path, parallel=False, strict=True)
    assert built.returncode != 0
    assert "docs/broken.md:1:1: error: kb failed while converting this page" in built.log
    assert "Traceback" not in built.log


def test_a_page_whose_template_stage_raises_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    import kb.views

    real = kb.views.article_header

    def article_header(view, article):  # a bug in one of kb's views that one page sets off
        if article.title == "Trigger":
            raise KeyError("view bug")
        return real(view, article)

    monkeypatch.setattr(kb.views, "article_header", article_header)
    root = tmp_path / "root"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "docs" / "t.md").write_text("---\ntitle: Trigger\n---\nText.\n", encoding="utf-8")
    (root / "docs" / "ok.md").write_text("# Fine\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: T\ntheme: material\nplugins:\n  - kb:\n      parallel: false\n",
                                     encoding="utf-8")
    commit_all(root)
    monkeypatch.chdir(root)
    mkdocs_build(load_config(str(root / "mkdocs.yml")))
    assert not (root / "site" / "t").exists()
    assert (root / "site" / "ok" / "index.html").exists()
    assert any(record.getMessage().startswith("docs/t.md:1:1: error: kb failed while rendering this page (KeyError")
               for record in caplog.records)


def small_site(root: Path, pages: dict[str, str]) -> Path:
    (root / "docs").mkdir(parents=True)
    for path, text in {"index.md": "# Home\n", **pages}.items():
        (root / "docs" / path).write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: T\ntheme: material\nplugins:\n  - kb:\n      parallel: false\n",
                                     encoding="utf-8")
    commit_all(root)
    return root


def test_a_page_whose_views_raise_is_held_back_before_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    import kb.views.articles

    real = kb.views.articles.Preview

    def preview(title, *rest):  # a bug in the link previews that one page sets off
        if title == "Trigger":
            raise ValueError("preview bug")
        return real(title, *rest)

    monkeypatch.setattr(kb.views.articles, "Preview", preview)
    root = small_site(tmp_path / "root", {"t.md": "---\ntitle: Trigger\ntags: [ops]\n---\nSECRETVIEW\n",
                                          "ok.md": "---\ntags: [ops]\n---\n# Fine\n"})
    monkeypatch.chdir(root)
    mkdocs_build(load_config(str(root / "mkdocs.yml")))
    assert (root / "site" / "ok" / "index.html").exists() and not (root / "site" / "t").exists()
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in (root / "site").rglob("*") if path.is_file()]
    assert not any("SECRETVIEW" in text for text in texts)
    assert any(record.getMessage().startswith("docs/t.md:1:1: error: kb failed while generating the site from this page")
               for record in caplog.records)


def test_a_failure_no_page_explains_stops_the_build_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    import kb.views

    def changes_days(view):
        raise RuntimeError("a bug in kb")

    monkeypatch.setattr(kb.views, "changes_days", changes_days)
    root = small_site(tmp_path / "root", {"ok.md": "# Fine\n"})
    monkeypatch.chdir(root)
    with pytest.raises(Abort):
        mkdocs_build(load_config(str(root / "mkdocs.yml")))
    assert any(record.getMessage() == "kb: internal error in on_files (RuntimeError: a bug in kb); mkdocs build --verbose "
               "shows the details: please report them" for record in caplog.records)
