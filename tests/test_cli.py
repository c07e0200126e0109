from __future__ import annotations

import json
from pathlib import Path

from conftest import commit_all, kb_cli


def make_wiki(root: Path, files: dict[str, str]) -> Path:
    """A wiki in a git repository of its own, as kb check reads its history like the build."""
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    commit_all(root)
    return root


def test_outside_git_the_check_says_pages_have_no_dates(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("# A\n", encoding="utf-8")
    done = kb_cli(tmp_path, "check")
    assert done.stdout.splitlines() == [
        "content:1:1: warning: the content is not in a git repository, so pages show no dates or authors "
        "[history.unavailable]"]
    assert done.returncode == 0


BROKEN = {
    "content/a.md": "---\ntitle: [x\n---\n",
    "content/b.md": "---\ncolour: red\n---\nSee [c](c.md).\n",
}


def test_text_format_and_exit_code(tmp_path: Path) -> None:
    done = kb_cli(make_wiki(tmp_path, BROKEN), "check")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "content/a.md:3:1: error: the front matter cannot be read: did not find expected ',' or ']'; the page is held back as a draft until it is fixed [frontmatter.yaml]",
        "content/b.md:2:1: warning: unknown front matter key 'colour' for kb [frontmatter.unknown-key]",
        "content/b.md:4:5: warning: link 'c.md' points to nothing: no such file [link.not-found]",
    ]
    assert "1 errors, 2 warnings" in done.stderr


def test_github_format(tmp_path: Path) -> None:
    done = kb_cli(make_wiki(tmp_path, BROKEN), "check", "--format", "github")
    assert done.stdout.splitlines()[0].startswith("::error file=content/a.md,line=3,col=1,title=frontmatter.yaml::the front matter cannot be read")
    assert done.stdout.splitlines()[2] == "::warning file=content/b.md,line=4,col=5,title=link.not-found::link 'c.md' points to nothing: no such file"


def test_json_format(tmp_path: Path) -> None:
    rows = json.loads(kb_cli(make_wiki(tmp_path, BROKEN), "check", "--format", "json").stdout)
    assert rows[0] == {"code": "frontmatter.yaml", "col": 1, "line": 3, "message": rows[0]["message"], "path": "content/a.md", "severity": "error"}
    assert [row["code"] for row in rows] == ["frontmatter.yaml", "frontmatter.unknown-key", "link.not-found"]


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    root = make_wiki(tmp_path, {"content/b.md": "---\ncolour: red\n---\n"})
    assert kb_cli(root, "check").returncode == 0
    assert kb_cli(root, "check", "--strict").returncode == 1


def test_clean_wiki_passes(tmp_path: Path) -> None:
    done = kb_cli(make_wiki(tmp_path, {"content/a.md": "# A\n"}), "check", "--strict")
    assert (done.returncode, done.stdout) == (0, "")


def test_directory_from_mkdocs_yml_with_plugin_options(tmp_path: Path) -> None:
    root = make_wiki(tmp_path, {
        "mkdocs.yml": "site_name: X\ndocs_dir: wiki\ntheme: material\nplugins:\n  - kb:\n      people_dir: staff\n      extra_keys: [colour]\n"
                      "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        "wiki/staff/ann.md": "---\nname: Ann\n---\n",
        "wiki/a.md": "---\ncolour: red\nowners: [ann]\n---\n",
        "content/ignored.md": "---\ntitle: [broken\n---\n",
    })
    done = kb_cli(root, "check", "--strict")
    assert (done.returncode, done.stdout) == (0, "")
    assert kb_cli(root, "check", "content").returncode == 1


def test_kb_check_maps_statuses_with_the_sites_status_map(tmp_path: Path) -> None:
    files = {"content/a.md": "---\nstatus: Completed\n---\n", "content/b.md": "---\nstatus: completed \n---\n"}
    done = kb_cli(make_wiki(tmp_path / "without", files), "check")
    assert done.returncode == 1
    assert done.stderr.strip().endswith(
        "2 not published (2 unknown status 'Completed'); to publish pages by another tool's status, map it in the kb "
        "plugin's options: status_map: {Completed: published}")
    mkdocs = "site_name: X\ndocs_dir: content\nplugins:\n  - kb:\n      status_map: {{Completed: {state}}}\n"
    done = kb_cli(make_wiki(tmp_path / "with", files | {"mkdocs.yml": mkdocs.format(state="published")}), "check")
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "kb: 2 pages checked, 0 errors, 0 warnings, 0 not published, topics from folders\n"
    done = kb_cli(make_wiki(tmp_path / "wrong", files | {"mkdocs.yml": mkdocs.format(state="done")}), "check")
    assert done.returncode == 1
    assert done.stderr.strip() == ("kb: mkdocs.yml: plugin 'kb': status_map: Completed: 'done' is not a kb state; use one "
                                   "of draft, published, verified, best-practice")


def test_missing_directory(tmp_path: Path) -> None:
    done = kb_cli(tmp_path, "check", "nowhere")
    assert done.returncode == 2
    assert "no content directory at nowhere" in done.stderr


def test_wanted_pages_most_wanted_first(tmp_path: Path) -> None:
    root = make_wiki(tmp_path, {
        "content/a.md": "[[Release train]] and [[Zebra]]\n",
        "content/b.md": "[[release-train]] and [[Exists]]\n",
        "content/exists.md": "# Exists\n",
    })
    done = kb_cli(root, "check", "--wanted")
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["Release train\t2 links\tcontent/a.md, content/b.md", "Zebra\t1 link\tcontent/a.md"]
    rows = json.loads(kb_cli(root, "check", "--wanted", "--format", "json").stdout)
    assert rows[0] == {"linked_from": ["content/a.md", "content/b.md"], "links": 2, "name": "Release train"}


def test_the_site_config_is_read_as_mkdocs_reads_it(tmp_path: Path) -> None:
    """mkdocs.yaml, INHERIT and plugins as a mapping: kb check judges with the build's options."""
    root = make_wiki(tmp_path, {
        "base.yml": "site_name: X\ndocs_dir: wiki\ntheme: material\nplugins:\n  kb:\n    people_dir: staff\n"
                    "    validation: {frontmatter.unknown-key: error}\n",
        "mkdocs.yaml": "INHERIT: base.yml\nplugins:\n  kb:\n    people_dir: staff\n    extra_keys: [colour]\n",
        "wiki/staff/ann.md": "---\nname: Ann\n---\n",
        "wiki/a.md": "---\nowners: [ann]\ncolour: red\nflavour: mint\n---\n",
    })
    done = kb_cli(root, "check")
    assert done.stdout.splitlines() == [
        "wiki/a.md:4:1: error: unknown front matter key 'flavour' for kb [frontmatter.unknown-key]"]


PUBLIC_SITE = "site_name: X\nsite_url: https://acme.github.io/wiki/\ndocs_dir: content\nplugins:\n  - kb{options}\n"


def test_a_site_url_on_public_pages_warns_until_the_wiki_says_it_is_public(tmp_path: Path) -> None:
    root = make_wiki(tmp_path, {"mkdocs.yml": PUBLIC_SITE.format(options=""), "content/a.md": "# A\n"})
    done = kb_cli(root, "check")
    assert done.returncode == 0
    [line] = done.stdout.splitlines()
    assert line.startswith("mkdocs.yml:2:1: warning: site_url is on GitHub Pages (acme.github.io), ")
    assert line.endswith("'audience: public' [site.public]")
    assert kb_cli(root, "check", "--strict").returncode == 1
    github = kb_cli(root, "check", "--format", "github").stdout
    assert github.startswith("::warning file=mkdocs.yml,line=2,col=1,title=site.public::site_url is on GitHub Pages")

    (root / "mkdocs.yml").write_text(PUBLIC_SITE.format(options=":\n      audience: public"), encoding="utf-8")
    assert kb_cli(root, "check", "--strict").returncode == 0
    internal = PUBLIC_SITE.format(options="").replace("acme.github.io", "wiki.corp.example")
    (root / "mkdocs.yml").write_text(internal, encoding="utf-8")
    done = kb_cli(root, "check", "--strict")
    assert (done.returncode, done.stdout) == (0, "")
