"""Link resolution and the link graph, on small wikis written to a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.knowledge import KnowledgeBase, build_knowledge_base
from kb.links import normalize_name

WIKI = {
    "ops/deploy.md": "---\ntitle: Deploying safely\naliases: [Shipping, Release process]\n---\n## Roll back\n",
    "ops/runbook.md": "# Runbook\n",
    "team/runbook.md": "# Team runbook\n",
    "team/Handbook.md": "# Handbook (capital H)\n",
    "team/handbook.md": "# Handbook (lower case)\n",
    "straße/café.md": "---\ntitle: Café Straße\n---\n",
    "notes/deploy to staging.md": "# Staging\n",
    "topics/kubernetes.md": "---\ntitle: Kubernetes\naliases: [k8s]\n---\n",
    "tagged.md": "---\ntags: [Kubernetes]\n---\n",
    "draft.md": "---\nstatus: draft\n---\n[[Runbook]] from a draft [[Nothing at all]]\n",
    "img/chart.png": "png",
}


def wiki(tmp_path: Path, body: str, at: str = "team/page.md") -> KnowledgeBase:
    for path, text in (WIKI | {at: body}).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    return build_knowledge_base(tmp_path)


def targets(kb: KnowledgeBase, at: str = "team/page.md") -> list[str | None]:
    return [kb.links.resolutions[(at, ref.line, ref.col)].path for ref in kb.page(at).links]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[[ops/deploy]] [[ops/deploy.md]] [[../ops/deploy.md]]", ["ops/deploy.md"] * 3),
        ("[[deploy]] [[Deploying safely]] [[deploying SAFELY]] [[Shipping]] [[release-process]]", ["ops/deploy.md"] * 5),
        ("[[Café Straße]] [[CAFÉ STRASSE]] [[cafe\u0301]]", ["straße/café.md"] * 3),
        ("[[deploy to staging]] [[Deploy-To-Staging]]", ["notes/deploy to staging.md"] * 2),
        ("[[Kubernetes]] [[k8s]]", ["topics/kubernetes.md"] * 2),
        ("[[runbook]]", ["team/runbook.md"]),  # nearest by folder
        ("[[#Heading]]", ["team/page.md"]),
        ("![[chart.png]] ![[img/chart.png]]", ["img/chart.png"] * 2),
        ("[x](../ops/runbook.md) [y](../img/chart.png) [z](../ops/)", ["ops/runbook.md", "img/chart.png", None]),
        ("[[Nothing]] [[draft]]", [None, None]),
        ("`[[in code]]` \\[[escaped]] [[ops/runbook]]", ["ops/runbook.md"]),
    ],
)
def test_resolution(tmp_path: Path, body: str, expected: list[str | None]) -> None:
    assert targets(wiki(tmp_path, body)) == expected


def test_normalize_name() -> None:
    assert normalize_name("  Deploy_to-STAGING.md ") == normalize_name("deploy to staging") == "deploy to staging"
    assert normalize_name("cafe\u0301") == normalize_name("café")


def test_ambiguity_is_reported_and_a_case_collision_leaves_one_target(tmp_path: Path) -> None:
    kb = wiki(tmp_path, "[[runbook]]\n[[handbook]]\n", at="other/page.md")
    assert [(d.line, d.code, d.message) for d in kb.diagnostics if d.path.endswith("other/page.md")] == [
        (1, "link.ambiguous", "[[runbook]] could mean ops/runbook.md, team/runbook.md; it goes to the nearest, ops/runbook.md — write a path to choose"),
    ]
    # Collect withholds one of two names that differ only in case, so the link has one target.
    assert targets(kb, "other/page.md") == ["ops/runbook.md", "team/handbook.md"]
    assert [(d.path, d.code) for d in kb.diagnostics if d.path.startswith("team/")] == [("team/Handbook.md", "file.collision")]


def test_problems_carry_the_links_own_place(tmp_path: Path) -> None:
    kb = wiki(tmp_path, "Intro.\n\nSee [[Nothing yet]] and [[draft]] and [[deploy#No such heading]] and [[deploy#Roll back]].\n")
    assert [(d.line, d.col, d.code) for d in kb.diagnostics if d.path.endswith("team/page.md")] == [
        (3, 5, "link.wanted"), (3, 25, "link.draft"), (3, 39, "link.anchor")]


def test_graph_backlinks_orphans_and_wanted(tmp_path: Path) -> None:
    kb = wiki(tmp_path, "[[deploy]] and [[Deploying safely]] twice, [[#Top]] self, [[Missing page]].\n\n- [[missing-page]] again\n")
    graph = kb.links
    assert [(e.target, e.label) for e in graph.outgoing["team/page.md"]] == [("ops/deploy.md", "deploy"), ("ops/deploy.md", "Deploying safely")]
    assert [e.source for e in graph.backlinks["ops/deploy.md"]] == ["team/page.md", "team/page.md"]
    assert graph.backlinks["ops/deploy.md"][0].context == "deploy and Deploying safely twice, Top self, Missing page."
    assert list(graph.wanted) == ["Missing page"]
    assert [(e.source, e.line) for e in graph.wanted["Missing page"]] == [("team/page.md", 1), ("team/page.md", 3)]
    assert "team/page.md" not in graph.backlinks  # the self-link does not count
    assert "ops/runbook.md" in graph.orphans and "ops/deploy.md" not in graph.orphans
    assert "team/runbook.md" in graph.orphans  # links from a draft never count
    assert "draft.md" not in graph.outgoing


def test_graph_is_a_pure_function_of_the_content(tmp_path: Path) -> None:
    first = wiki(tmp_path / "a", "[[deploy]] [[runbook]] [[x]]")
    second = wiki(tmp_path / "b", "[[deploy]] [[runbook]] [[x]]")
    assert first.links == second.links


@pytest.mark.parametrize(
    ("source", "target", "href"),
    [("a/b.md", "a/c.md", "c.md"), ("a/b.md", "c.md", "../c.md"), ("b.md", "a/c.md", "a/c.md"),
     ("a/b/c.md", "a/d/e.md", "../d/e.md"), ("a/b.md", "a/b.md", "b.md"), ("a/b.md", "a/b/c.md", "b/c.md")],
)
def test_relative_href(source: str, target: str, href: str) -> None:
    from kb.links import relative_href

    assert relative_href(source, target) == href


@pytest.mark.parametrize(
    ("path", "url", "html_url"),
    [
        ("ops/deploy.md", "ops/deploy/", "ops/deploy.html"),
        ("ops/index.md", "ops/", "ops/"),
        ("ops/README.md", "ops/", "ops/"),
        ("index.md", "", ""),
        # Only `index` and `README` spelt so are a folder's page, as in MkDocs.
        ("ops/Index.md", "ops/Index/", "ops/Index.html"),
        ("ops/readme.md", "ops/readme/", "ops/readme.html"),
    ],
)
def test_page_urls_are_the_ones_mkdocs_gives(path: str, url: str, html_url: str) -> None:
    from kb.urls import page_url

    assert (page_url(path), page_url(path, directory_urls=False)) == (url, html_url)


@pytest.mark.parametrize(("body", "message"), [
    ("[setup](../tools/setup.exe)", "link '../tools/setup.exe' points to tools/setup.exe, which is not published: "
                                   ".exe files are not on the list of attachments kb publishes"),
    ("![[setup.exe]]", "![[setup.exe]] points to tools/setup.exe, which is not published: .exe files are not on the list"),
    ("![[tools/setup.exe|the installer]]", "![[tools/setup.exe]] points to tools/setup.exe, which is not published"),
    ("[page](../tools/page.xht)", "points to tools/page.xht, which is not published: a browser would run .xht files"),
    ("[key](../id_rsa)", "points to id_rsa, which is not published: a file without a suffix could be anything"),
    ("![[broken.svg]]", "points to icons/broken.svg, which is not published: kb cannot read it as SVG"),
])
def test_a_link_to_a_file_kb_does_not_publish_says_so_and_why(tmp_path: Path, body: str, message: str) -> None:
    from conftest import git

    for path, data in {"tools/setup.exe": b"MZ", "tools/page.xht": b"<html/>", "id_rsa": b"key",
                       "private/notes.md": b"# Notes\n", "icons/broken.svg": b"<svg>"}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    (tmp_path / ".gitignore").write_text("private/\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    kb = wiki(tmp_path, body + "\n")
    [problem] = [d for d in kb.diagnostics if d.path == "team/page.md" and d.code.startswith("link.")]
    assert (problem.severity.value, problem.code) == ("warning", "link.withheld")
    assert message in problem.message
    assert "no such file" not in problem.message and not kb.links.wanted


def test_a_file_git_ignores_is_no_link_target_as_in_a_build_of_the_repository(tmp_path: Path) -> None:
    from conftest import git

    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("private/\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    kb = wiki(tmp_path, "[x](../private/notes.md)\n")
    [problem] = [d for d in kb.diagnostics if d.path == "team/page.md" and d.code.startswith("link.")]
    assert (problem.code, problem.message) == ("link.not-found", "link '../private/notes.md' points to nothing: no such file")
