"""A vault and a docs tree built with kb as `kb adopt` suggests, with a real `mkdocs build
--strict`: unclaimed people in the directory and on topic pages, topics from folders, and no
email address anywhere in what is written."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from test_adopt import section
from test_site_basic import Page, article_part
from vaults import EMAILS, KEPANO, commit_history, hugo_pages, vault_pages

from conftest import Built, commit_files, kb_cli, mkdocs_build

REPO = "https://github.com/example/vault"


def build_as_suggested(root: Path, docs_dir: str, extra: str = "") -> Built:
    """mkdocs.yml with the plugin options `kb adopt` printed for this folder, then a strict build."""
    lines = section(kb_cli(root, "adopt", docs_dir).stdout, "Configuration")[1:]
    options = "\n".join(line[2:] for line in lines)
    commit_files(root, {"mkdocs.yml": f"site_name: Wiki\ndocs_dir: {docs_dir}\ntheme: material\n{extra}{options}\n"},
                 "Add kb", KEPANO, "2025-12-01T09:00:00Z")
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    return built


@pytest.fixture(scope="module")
def vault_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("vault-site")
    commit_history(root, "vault", vault_pages(foreign_status=False))
    return build_as_suggested(root, "vault", f"repo_url: {REPO}\nedit_uri: edit/main/vault/\n")


@pytest.fixture(scope="module")
def hugo_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("hugo-site")
    commit_history(root, "content", hugo_pages(toml=False))
    # Its categories count as tags, so `auto` leaves folder topics off here: the site asks for them.
    assert section(kb_cli(root, "adopt", "content").stdout, "Configuration")[1:] == ["  plugins: [kb]"]
    commit_files(root, {"mkdocs.yml": "site_name: Wiki\ndocs_dir: content\ntheme: material\n"
                                      "plugins:\n  - kb: {folder_topics: true}\n"}, "Add kb", KEPANO, "2025-12-01T09:00:00Z")
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    return built


def everything(built: Built) -> dict[str, str]:
    """Every text the site holds, compressed ones too."""
    texts = built.all_text()
    for path in sorted(built.site.rglob("*.gz")):
        texts[path.relative_to(built.site).as_posix()] = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    return texts


@pytest.mark.parametrize("site", ["vault_site", "hugo_site"])
def test_no_email_address_and_no_bot_anywhere_in_the_site(site: str, request: pytest.FixtureRequest) -> None:
    built: Built = request.getfixturevalue(site)
    texts = everything(built)
    assert any(path.startswith("search/") for path in texts) and "feed.xml" in texts and "people/index.html" in texts
    domains = sorted({email.rsplit("@", 1)[1] for email in EMAILS})
    for path, text in texts.items():
        for needle in (*EMAILS, *domains, "dependabot"):
            assert needle not in text, (path, needle)
        # The names they committed under, never the address one of them used as a name.
        assert not re.search(r"lee(@|%40)", text), path


def test_the_directory_lists_unclaimed_people_with_a_way_to_claim_them(vault_site: Built) -> None:
    part = article_part(vault_site.html("people/"))
    assert 'class="kb-people-index"' not in part  # no profiles: no empty table
    rows = part.split('<table class="kb-unclaimed-index">', 1)[1].split("</table>", 1)[0]
    names = re.findall(r'<tr id="(kb-git-[^"]+)"[^>]*>\s*<td>([^<]+)</td>\s*<td>(\d+)</td>', rows)
    # Most active first.
    assert names == [("kb-git-kepano", "kepano", "7"), ("kb-git-steph-ango", "Steph Ango", "4"),
                     ("kb-git-jane-roe", "Jane Roe", "3"), ("kb-git-lee", "lee", "1"),
                     ("kb-git-stephan-ango", "Stephan Ango", "1")]
    claims = dict(Page(rows).links)
    assert len(re.findall("This is me", rows)) == 5
    steph = next(href for label, href in Page(rows).links if label == "This is me" and "steph-ango" in href)
    query = parse_qs(urlsplit(steph).query)
    assert steph.startswith(f"{REPO}/new/main/vault?")
    assert query["filename"] == ["people/steph-ango.md"]
    profile = query["value"][0]
    assert profile.startswith('---\nname: "Steph Ango"\n')
    assert 'names: ["Steph Ango"]' in profile and "emails: []" in profile
    lee = next(href for label, href in Page(rows).links if label == "This is me" and "lee.md" in href)
    assert "names: []" in unquote(lee)  # the address lee committed under is no name to claim
    assert "Getting started" in claims  # the topics they know about


def test_topic_pages_from_folders_list_unclaimed_experts_with_evidence(vault_site: Built) -> None:
    part = article_part(vault_site.html("topics/plugins/"))
    assert '<p class="kb-subtopics">Subtopics: <a class="kb-chip" href="../core-plugins/">Core plugins</a></p>' in part
    pages = [label for label, _ in Page(part.split('id="kb-articles"', 1)[1].split("</ul>", 1)[0]).links]
    assert pages == ["Backlinks", "Graph view", "Outline"]  # the pages in the folder and below
    experts = part.split('id="kb-ask"', 1)[1].split("</ul>", 1)[0]
    found = re.findall(r'<a href="([^"]+)">([^<]+)</a> <span class="kb-evidence">([^<]+)</span> '
                       r'<span class="kb-unclaimed">no profile yet · <a class="kb-claim"', experts)
    assert [name for _, name, _ in found] == ["kepano", "lee", "Steph Ango", "Stephan Ango"]
    assert all(url.startswith("../../people/#kb-git-") and "edit" in evidence for url, _, evidence in found)
    index = article_part(vault_site.html("topics/"))
    # In their hierarchy: a subfolder under its folder.
    assert [label for label, _ in Page(index).links][:6] == [
        "Getting started", "Plugins", "Core plugins", "Publish", "start", "Sync"]


def test_an_article_names_its_authors_and_who_to_ask(vault_site: Built) -> None:
    header = article_part(vault_site.html("Plugins/Core plugins/Outline/"))
    links = dict(Page(header).links)
    assert (links["Plugins"], links["Core plugins"]) == ("../../../topics/plugins/", "../../../topics/core-plugins/")
    dates = header.split('<div class="kb-dates">', 1)[1].split("</div>", 1)[0]
    assert 'by <a href="../../../people/#kb-git-steph-ango">Steph Ango</a>' in dates
    assert 'by <a href="../../../people/#kb-git-lee">lee</a>' in dates
    ask = header.split('<div class="kb-ask">', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'people/#kb-git-[^"]+" title="[^"]+">([^<]+)</a> <span class="kb-evidence">\(([^)]+)\)', ask) == [
        ("kepano", "Plugins: 1 edit this year"), ("lee", "Core plugins: 1 edit this year"),
        ("Steph Ango", "Core plugins: 1 edit this year")]


def test_a_docs_tree_without_a_repository_link_has_no_claim_links(hugo_site: Built) -> None:
    part = article_part(hugo_site.html("people/"))
    assert "none yet" in part and "kb-claim" not in part
    docs = article_part(hugo_site.html("topics/docs/"))
    assert [label for label, _ in Page(docs.split("</p>", 1)[0]).links] == ["Guides", "Install"]
    install = article_part(hugo_site.html("topics/install/"))
    assert 'id="kb-ask"' in install and "no profile yet" in install
    assert (hugo_site.site / "topics" / "blog" / "index.html").is_file()
