"""Sites brought over from Hugo and Obsidian, built as they are with a real `mkdocs build`:
their statuses are held back until `status_map` maps them, and the build and `kb check` both
say so; their keys raise no warnings; categories become topics; dates come from the front
matter only where git has none."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Built, commit_all, kb_cli, mkdocs_build

MKDOCS = "site_name: Imported\nsite_url: https://wiki.example.com/\ntheme: material\nplugins:\n  - kb{options}\n"
SITE = {
    "docs/index.md": "---\ntitle: Home\ncssclasses: [wide]\npublish: true\npermalink: home\n---\nStart here.\n",
    "docs/notes/vault.md": "---\naliases: [The vault]\ntags: [notes]\ncssclasses: [wide]\ncssclass: wide\n"
                           "publish: true\npermalink: vault\ndescription: An Obsidian note\nimage: a.png\n---\n"
                           "See [[Deploying]].\n",
    "docs/notes/linker.md": "# Linker\n\nThe [[The vault]] by its alias.\n",
    **{f"docs/posts/post-{n}.md": f"---\ntitle: Post {n}\nstatus: Completed\ndate: 2024-01-0{n}\nlastmod: 2024-02-0{n}\n"
                                  f"categories: [Operations]\nweight: {n}\nslug: post-{n}\nlinkTitle: P{n}\n"
                                  "draft: false\ntoc: true\nauthor: Jo\n---\nBody.\n"
       for n in (1, 2, 3)},
    "docs/posts/deploying.md": "---\ntitle: Deploying\nstatus: Completed\ncategories: [Operations]\n---\nShip it.\n",
}
#: Written after the commit: a page git has no history of.
UNCOMMITTED = {"docs/posts/imported.md": "---\ntitle: Imported\nstatus: Completed\ndate: 2023-05-01\n"
                                         "lastmod: 2023-06-15T10:00:00Z\n---\nFrom Hugo.\n"}
SUMMARY = ("kb: 5 not published (5 unknown status 'Completed'); to publish pages by another tool's status, map it in "
           "the kb plugin's options: status_map: {Completed: published}")


def make(root: Path, options: str) -> Path:
    files = {"mkdocs.yml": MKDOCS.format(options=options), **SITE}
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    commit_all(root)
    for path, text in UNCOMMITTED.items():
        (root / path).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def unmapped(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return mkdocs_build(make(tmp_path_factory.mktemp("unmapped"), ""), strict=False)


@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = mkdocs_build(make(tmp_path_factory.mktemp("mapped"), ":\n      status_map: {completed: published}"))
    assert built.returncode == 0, built.log
    return built


def test_an_unmapped_status_holds_pages_back_and_the_build_says_how_to_map_it(unmapped: Built) -> None:
    assert f"WARNING -  {SUMMARY}" in unmapped.log
    assert "status_map: {Completed: published}`; the page is held back" in unmapped.log
    assert not (unmapped.site / "posts/post-1").exists()
    assert (unmapped.site / "notes/vault/index.html").is_file()


def test_kb_check_reports_the_same_summary(unmapped: Built) -> None:
    done = kb_cli(unmapped.root, "check")
    assert done.returncode == 1
    assert SUMMARY.removeprefix("kb: ") in done.stderr
    assert [line.split(": error: ")[0] for line in done.stdout.splitlines() if "[status.invalid]" in line] == [
        "docs/posts/deploying.md:3:1", "docs/posts/imported.md:3:1", "docs/posts/post-1.md:3:1",
        "docs/posts/post-2.md:3:1", "docs/posts/post-3.md:3:1"]


def test_mapped_statuses_are_published_without_a_warning(mapped: Built) -> None:
    for page in ("posts/post-1", "posts/post-3", "posts/deploying", "posts/imported"):
        assert (mapped.site / page / "index.html").is_file(), page
    assert "WARNING" not in mapped.log and "not published" not in mapped.log
    done = kb_cli(mapped.root, "check", "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def test_categories_become_topics(mapped: Built) -> None:
    topic = mapped.html("topics/operations/")
    for title in ("Post 1", "Post 2", "Post 3", "Deploying"):
        assert title in topic, title


def test_obsidian_aliases_are_names_of_the_page(mapped: Built) -> None:
    assert 'href="../vault/"' in mapped.html("notes/linker/")


def test_a_page_git_has_no_history_of_is_dated_by_its_front_matter(mapped: Built) -> None:
    sitemap = (mapped.site / "sitemap.xml").read_text(encoding="utf-8")
    entry = sitemap.split("<loc>https://wiki.example.com/posts/imported/</loc>", 1)[1].split("</url>", 1)[0]
    assert "<lastmod>2023-06-15</lastmod>" in entry
    assert '<time datetime="2023-06-15">2023-06-15</time>' in mapped.html("posts/imported/")
    # Git's date comes first: a committed page's lastmod is not its date.
    committed = sitemap.split("<loc>https://wiki.example.com/posts/post-1/</loc>", 1)[1].split("</url>", 1)[0]
    assert "2024-02-01" not in committed
