"""Notes written for Obsidian and for Material or Hugo sites, built as they are with a real
`mkdocs build --strict` under a sub-path: every link form they use reaches its page, counts as a
backlink, and `kb check` reports exactly what the build reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_site_basic import Page, article_part

from conftest import Built, commit_all, kb_cli, mkdocs_build

#: A vault served at https://wiki.example.com/kb/: pictures in folders of their own, links by name.
VAULT = {
    "mkdocs.yml": "site_name: Vault\nsite_url: https://wiki.example.com/kb/\ntheme: material\n"
                  "markdown_extensions: [tables]\n# The links are under test here, not the topics a vault without tags gets from its folders.\nplugins:\n  - kb: {folder_topics: false}\n",
    "docs/index.md": "# Home\n\nStart at [DevOps](/kb/devops/) or [rolling back](/kb/ops/deploy/#roll-back).\n",
    "docs/devops.md": "---\ntitle: DevOps\n---\nHow we run things: [deploying](/kb/ops/deploy.md) and "
                      "[the runbook](/kb/ops/runbook).\n",
    "docs/ops/deploy.md": "# Deploy\n\n## Roll back\n\n"
                          "Use [the interface](interface.md) as shown: ![Screen](screen.png#only-light)\n\n"
                          "![[diagram.png]] ![[img/diagram.png|100]]\n\n"
                          "| Who | Picture | Page |\n|---|---|---|\n"
                          "| Doug | ![[Engelbart.jpg\\|100]] | [[Runbook\\|the runbook]] |\n\n"
                          "The first step is [[interface#^step-1]].\n",
    "docs/ops/runbook.md": "# Runbook\n\nBack to [[deploy]].\n",
    "docs/callouts.md": "# Callouts\n\n> [!warning] Mind *the* gap\n> Stand back.\n\n> [!faq]- Why?\n> Because.\n\n"
                        "> [!NOTE]\n> From GitHub.\n\nThen\n\n> A quote.\n\nAnd\n\n> [!tip] <script>alert(1)</script>Sneaky\n> x\n",
    "docs/notes/interface.md": "# Interface\n\nStep one. ^step-1\n",
    "docs/attachments/screen.png": "png",
    "docs/assets/img/diagram.png": "png",
    "docs/pictures/Engelbart.jpg": "jpg",
}
NOTES = [
    "docs/ops/deploy.md:5:5: info: link 'interface.md' is not a path from this page; it goes to notes/interface.md, "
    "the only file in the wiki with that name [link.by-name]",
    "docs/ops/deploy.md:5:45: info: link 'screen.png#only-light' is not a path from this page; it goes to "
    "attachments/screen.png, the only file in the wiki with that name [link.by-name]",
]
#: Added by the test of broken links: the same forms, going nowhere.
BROKEN = {
    "docs/broken.md": "# Broken\n\n[Elsewhere](/devops/) [gone](/kb/nothing/) ![two](logo.png) [[deploy#^gone]]\n",
    "docs/a/logo.png": "png",
    "docs/b/logo.png": "png",
}
WARNINGS = [
    "docs/broken.md:3:1: warning: link '/devops/' leaves the site, which site_url puts at /kb/: it stays as written "
    "and kb does not check it; write a path under /kb/ for a page of this wiki [link.off-site]",
    "docs/broken.md:3:23: warning: link '/kb/nothing/' points to nothing: no such file [link.not-found]",
    "docs/broken.md:3:44: warning: link 'logo.png' points to nothing: no such file next to the page, and 2 files "
    "have that name (a/logo.png, b/logo.png) — write the path to choose [link.not-found]",
    "docs/broken.md:3:61: warning: [[deploy#^gone]]: 'ops/deploy.md' has no block with the id '^gone' (written at the "
    "end of the block); the link goes to the top of the page [link.anchor]",
]


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("vault")
    write(root, VAULT)
    commit_all(root)
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    return built


def links(built: Built, url: str) -> list[tuple[str, str]]:
    """(text, href) of each link in the body of a page, without its "Linked from" section, nor
    the links to people in its header (who wrote it, who to ask)."""
    found = Page(article_part(built.html(url)).split('id="kb-linked-from"', 1)[0]).links
    return [(text, href) for text, href in found if "people/" not in href]


def sources(built: Built, url: str, tag: str = "img") -> list[dict[str, str]]:
    return [attributes for name, attributes in Page(article_part(built.html(url))).tags if name == tag]


def linked_from(built: Built, url: str) -> dict[str, str]:
    return dict(Page(article_part(built.html(url)).split('id="kb-linked-from"', 1)[1]).links)


def test_kb_check_shows_the_notes_the_build_logs(vault: Built) -> None:
    done = kb_cli(vault.root, "check", "--verbose")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == NOTES
    for line in NOTES:
        assert f"INFO    -  {line}" in vault.log, line
    assert "WARNING" not in vault.log and "absolute link" not in vault.log


def test_site_url_links_become_paths_from_the_page(vault: Built) -> None:
    assert links(vault, "") == [("DevOps", "devops/"), ("rolling back", "ops/deploy/#roll-back")]
    assert links(vault, "devops/") == [("deploying", "../ops/deploy/"), ("the runbook", "../ops/runbook/")]


def test_files_found_by_name_and_block_references_link_to_their_pages(vault: Built) -> None:
    assert links(vault, "ops/deploy/") == [
        ("the interface", "../../notes/interface/"), ("the runbook", "../runbook/"), ("interface › ^step-1", "../../notes/interface/#^step-1")]
    assert [(image["src"], image.get("width")) for image in sources(vault, "ops/deploy/")] == [
        ("../../attachments/screen.png#only-light", None), ("../../assets/img/diagram.png", None),
        ("../../assets/img/diagram.png", "100"), ("../../pictures/Engelbart.jpg", "100")]
    assert '<p id="^step-1">Step one.</p>' in vault.html("notes/interface/")
    for path in ("attachments/screen.png", "assets/img/diagram.png", "pictures/Engelbart.jpg"):
        assert (vault.site / path).is_file(), path


def test_escaped_pipes_keep_the_table_row_whole(vault: Built) -> None:
    body = article_part(vault.html("ops/deploy/"))
    [row] = [row for row in body.split("<tr>") if "Doug" in row]
    assert row.count("<td") == 3
    assert "\\" not in row and "|" not in row


def test_every_form_counts_as_a_backlink(vault: Built) -> None:
    assert linked_from(vault, "ops/deploy/") == {"DevOps": "../../devops/", "Home": "../..", "Runbook": "../runbook/"}
    assert linked_from(vault, "notes/interface/") == {"Deploy": "../../ops/deploy/"}
    assert linked_from(vault, "devops/") == {"Home": ".."}
    assert linked_from(vault, "ops/runbook/") == {"DevOps": "../../devops/", "Deploy": "../deploy/"}


def test_links_that_go_nowhere_are_reported_alike_by_check_and_build(vault: Built, tmp_path: Path) -> None:
    root = tmp_path / "vault"
    write(root, VAULT | BROKEN)
    commit_all(root)
    done = kb_cli(root, "check")
    assert done.stdout.splitlines() == WARNINGS
    built = mkdocs_build(root, strict=False)
    assert built.returncode == 0, built.log
    for line in WARNINGS:
        assert f"WARNING -  {line}" in built.log, line
    assert len([line for line in built.log.splitlines() if line.startswith("WARNING")]) == len(WARNINGS)
    # Left as written: the site engine would find nothing better.
    assert links(built, "broken/")[:2] == [("Elsewhere", "/devops/"), ("gone", "/kb/nothing/")]
    assert kb_cli(root, "check", "--strict").returncode == 1


def test_obsidian_comments_reach_no_part_of_the_site(tmp_path: Path) -> None:
    """What Obsidian hides (`%%…%%`) is in no page, description, search index or preview, and a
    link inside it links nothing: the draft it names is not reported (a warning would fail --strict).
    Nor is what a style element holds, which the sanitiser takes out of the page."""
    write(tmp_path, {
        "mkdocs.yml": "site_name: Notes\ntheme: material\nplugins: [kb]\n",
        "docs/index.md": "# Home\n\n%% Draft intro: tell nobody about the merger %%\n\n<style>\n.merger { color: red }\n"
                         "</style>\n\nVisible text. "
                         "%% the merger closes in May %% See [[Runbook]].\n\n%%\nA block about [[secret-plan]].\n%%\n",
        "docs/runbook.md": "# Runbook\n\nSteps.\n",
        "docs/secret-plan.md": "---\npublish: false\n---\n# Secret plan\n",
    })
    commit_all(tmp_path)
    built = mkdocs_build(tmp_path)
    assert built.returncode == 0, built.log
    for path, text in built.all_text().items():
        assert "merger" not in text and "A block about" not in text, path
    assert "Visible text." in built.html("")
    assert '<meta name="description" content="Visible text. See Runbook.">' in built.html("")
    assert linked_from(built, "runbook/") == {"Home": ".."}


def test_callouts_and_alerts_are_the_theme_s_admonitions(vault: Built) -> None:
    body = article_part(vault.html("callouts/"))
    assert ('<div class="admonition warning">\n<p class="admonition-title">Mind <em>the</em> gap</p>\n'
            "<p>Stand back.</p>\n</div>") in body
    assert '<details class="faq">\n<summary>Why?</summary>\n<p>Because.</p>\n</details>' in body
    assert '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>From GitHub.</p>' in body
    assert "<blockquote>\n<p>A quote.</p>\n</blockquote>" in body and "[!" not in body
    # A title is inline Markdown, sanitised as any paragraph is.
    assert '<p class="admonition-title">Sneaky</p>' in body and "alert(1)" not in body
