"""`kb new` for each type of page, and the owner taken from the git identity."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.analyse.knowledge import build_knowledge_base

from conftest import REPOSITORY, git, kb_cli


@pytest.fixture
def wiki(tmp_path: Path) -> Path:
    shutil.copytree(REPOSITORY / "content", tmp_path / "content")
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.name", "Kwame Mensah")
    git(tmp_path, "config", "user.email", "kwame.mensah@larkspur.example")
    return tmp_path


@pytest.mark.parametrize("kind", ["article", "how-to", "question", "community"])
def test_each_type_makes_a_valid_page_in_the_topic_folder(wiki: Path, kind: str) -> None:
    done = kb_cli(wiki, "new", f"Pairing on {kind}s: a guide", "--topic", "Buddy program", "--type", kind)
    assert done.returncode == 0, done.stderr
    path = wiki / done.stdout.strip()
    assert path.parent == wiki / "content" / "onboarding"  # where the topic's pages are
    kb = build_knowledge_base(wiki / "content")
    page = kb.articles[path.relative_to(wiki / "content").as_posix()]
    assert page.title == f"Pairing on {kind}s: a guide"
    assert page.type.value == kind
    assert page.owners == ("kwame-mensah",)  # from the git email in his profile
    assert kb.article_topics[page.path] == ("buddy-program",)
    # The page is valid; git does not track it until the writer commits it.
    assert [d.code for d in kb.diagnostics if d.path.endswith(path.name)] == ["file.untracked"]


def test_wiki_templates_win_over_kbs_defaults(wiki: Path) -> None:
    path = wiki / kb_cli(wiki, "new", "Plain page").stdout.strip()
    assert path.parent == wiki / "content"
    assert "At Larkspur, every page names at least one" in path.read_text(encoding="utf-8")
    shutil.rmtree(wiki / "content" / ".kb")
    other = wiki / kb_cli(wiki, "new", "Another page").stdout.strip()
    assert "At Larkspur" not in other.read_text(encoding="utf-8") and "## The main point" in other.read_text(encoding="utf-8")


def test_any_title_and_owner_give_valid_front_matter(wiki: Path) -> None:
    path = wiki / kb_cli(wiki, "new", 'Quotes " and: colons # and ] brackets', "--owner", "odd]id").stdout.strip()
    page = build_knowledge_base(wiki / "content").articles[path.relative_to(wiki / "content").as_posix()]
    assert (page.title, page.owners) == ('Quotes " and: colons # and ] brackets', ("odd]id",))


def test_owner_option_and_unknown_identity(wiki: Path) -> None:
    path = wiki / kb_cli(wiki, "new", "Chosen owner", "--owner", "amara-okafor").stdout.strip()
    assert 'owners: ["amara-okafor"]' in path.read_text(encoding="utf-8")
    git(wiki, "config", "user.email", "stranger@example.com")
    git(wiki, "config", "user.name", "A Stranger")
    done = kb_cli(wiki, "new", "No owner known")
    assert "owners: []" in (wiki / done.stdout.strip()).read_text(encoding="utf-8")
    assert "your git identity is in no profile" in done.stderr


def test_new_topic_gets_its_own_folder_and_existing_files_are_kept(wiki: Path) -> None:
    done = kb_cli(wiki, "new", "Kubernetes basics", "--topic", "Kubernetes")
    assert done.stdout.strip() == "content/kubernetes/kubernetes-basics.md"
    again = kb_cli(wiki, "new", "Kubernetes basics", "--topic", "Kubernetes")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_person_profile_claims_the_git_identity_only_for_oneself(wiki: Path) -> None:
    git(wiki, "config", "user.name", "Lena Park")
    git(wiki, "config", "user.email", "lena.park@larkspur.example")
    mine = (wiki / kb_cli(wiki, "new", "--person", "Lena Park").stdout.strip()).read_text(encoding="utf-8")
    assert 'emails: ["lena.park@larkspur.example"]' in mine and 'names: ["Lena Park"]' in mine
    theirs = (wiki / kb_cli(wiki, "new", "--person", "Sam Ortiz").stdout.strip()).read_text(encoding="utf-8")
    assert "emails: []" in theirs
    kb = build_knowledge_base(wiki / "content")
    assert {"lena-park", "sam-ortiz"} <= set(kb.people)
    problems = [d for d in kb.diagnostics if "people/lena-park" in d.path or "people/sam-ortiz" in d.path]
    assert [d.code for d in problems] == ["file.untracked"] * 2
