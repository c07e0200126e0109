"""Link resolution and the link graph, on small wikis written to a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.analyse.knowledge import KnowledgeBase, build_knowledge_base, derive
from kb.analyse.links import normalize_name
from kb.config import KbConfig
from kb.read.pages import ParseCache, collect, parse

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


def wiki(tmp_path: Path, body: str, at: str = "team/page.md", config: KbConfig | None = None) -> KnowledgeBase:
    for path, text in (WIKI | {at: body}).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    return build_knowledge_base(tmp_path, config)


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
    from kb.analyse.links import relative_href

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


def problems(kb: KnowledgeBase, at: str = "team/page.md") -> list[tuple[int, int, str, str, str]]:
    return [(d.line, d.col, d.severity.value, d.code, d.message) for d in kb.diagnostics if d.path == at]


#: A wiki served at https://wiki.example.com/kb/.
UNDER_KB = KbConfig(site_path="/kb/")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[a](/kb/ops/deploy/) [b](/kb/ops/deploy.md) [c](/kb/ops/deploy) [d](/kb/ops/deploy.html)", ["ops/deploy.md"] * 4),
        ("[a](/kb/ops/deploy/#roll-back) [b](/kb/ops/deploy.md?x=1#Roll%20back)", ["ops/deploy.md"] * 2),
        ("[home](/kb/) [home](/kb) [topic](/kb/topics/kubernetes/) ![chart](/kb/img/chart.png)",
         ["index.md", "index.md", "topics/kubernetes.md", "img/chart.png"]),
        ("[café](/kb/stra%C3%9Fe/caf%C3%A9/) [spaces](/kb/notes/deploy%20to%20staging/)",
         ["straße/café.md", "notes/deploy to staging.md"]),
        ("[off](/devops/) [off](/kbx/ops/deploy/) [none](/kb/nothing/) [draft](/kb/draft/)", [None] * 4),
    ],
)
def test_site_url_links_resolve_under_the_path_of_site_url(tmp_path: Path, body: str, expected: list[str | None]) -> None:
    assert targets(wiki(tmp_path, body, config=UNDER_KB)) == expected


def test_hugo_s_lower_case_urls_and_section_index_pages(tmp_path: Path) -> None:
    """Hugo lowercases every URL it makes and calls a section's page `_index.md`: a site adopted
    from Hugo links so."""
    for path, text in {"functions/_index.md": "# Functions\n", "functions/lang/FormatNumber.md": "# FormatNumber\n",
                       "Guides/Deploy Safely.md": "# Deploy\n"}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    kb = wiki(tmp_path, "[a](/functions/lang/formatnumber/) [b](/functions/) [c](/guides/deploy%20safely/#deploy) "
                        "[d](/FUNCTIONS/LANG/FORMATNUMBER.md) [f](/functions/lang/nothing/)\n")
    assert targets(kb) == ["functions/lang/FormatNumber.md", "functions/_index.md", "Guides/Deploy Safely.md",
                           "functions/lang/FormatNumber.md", None]
    assert [(col, code) for _, col, _, code, _ in problems(kb)] == [(127, "link.not-found")]


def test_urls_with_a_scheme_or_a_host_are_no_site_links(tmp_path: Path) -> None:
    kb = wiki(tmp_path, "[web](https://x.example/kb/ops/deploy/) [host](//x.example/kb/) [back](/\\x.example/) [m](mailto:a@b)",
              config=UNDER_KB)
    assert not [key for key in kb.links.resolutions if key[0] == "team/page.md"]
    assert problems(kb) == []


def test_links_another_tool_fills_in_are_not_checked(tmp_path: Path) -> None:
    """Hugo's shortcodes and mkdocs-macros' variables become URLs before the site is built."""
    kb = wiki(tmp_path, '[a]({{< ref "ops/deploy" >}}) [b]({{% eturl disqus %}}) [c]({{ config.repo_url }}/x) [d](n.md)')
    assert [code for _, _, _, code, _ in problems(kb)] == ["link.not-found"]


def test_a_site_at_the_root_takes_every_path_from_the_root(tmp_path: Path) -> None:
    kb = wiki(tmp_path, "[a](/ops/deploy/) [b](/kb/ops/deploy/)\n")
    assert targets(kb) == ["ops/deploy.md", None]
    assert [code for _, _, _, code, _ in problems(kb)] == ["link.not-found"]


def test_site_url_links_are_reported_counted_and_checked_like_relative_ones(tmp_path: Path) -> None:
    kb = wiki(tmp_path, "See [deploy](/kb/ops/deploy/#roll-back).\n\n"
                        "[a](/kb/ops/deploy/#nope) [b](/kb/nothing/) [c](/devops/) [d](/kb/draft.md)\n", config=UNDER_KB)
    assert problems(kb) == [
        (3, 1, "warning", "link.anchor", "link '/kb/ops/deploy/#nope': 'ops/deploy.md' has no heading 'nope'"),
        (3, 27, "warning", "link.not-found", "link '/kb/nothing/' points to nothing: no such file"),
        (3, 45, "warning", "link.off-site", "link '/devops/' leaves the site, which site_url puts at /kb/: it stays as "
                                            "written and kb does not check it; write a path under /kb/ for a page of this wiki"),
        (3, 59, "warning", "link.draft", "link '/kb/draft.md' points to a draft, which is not published"),
    ]
    [first, second] = kb.links.backlinks["ops/deploy.md"]
    assert (first.source, first.line, first.label, first.context) == ("team/page.md", 1, "deploy", "See deploy.")
    assert (second.line, second.col) == (3, 1)
    assert "ops/deploy.md" not in kb.links.orphans


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # Obsidian writes the file's name alone, or the end of its path, wherever the file is.
        ("![c](chart.png) ![c](chart.png#only-light) [c](img/chart.png) [c](./chart.PNG)", ["img/chart.png"] * 4),
        ("[s](café.md) [s](cafe%CC%81.md) [d](deploy%20to%20staging.md) [d](<deploy to staging.md>)",
         ["straße/café.md"] * 2 + ["notes/deploy to staging.md"] * 2),
        ("[in vault](ops/deploy.md) [relative](../ops/deploy.md) [next to it](runbook.md)",
         ["ops/deploy.md", "ops/deploy.md", "team/runbook.md"]),
        # A path that climbs, or no file name, is taken as written.
        ("[x](../nope/chart.png) [y](../chart.png) [z](deploy)", [None, None, None]),
    ],
)
def test_markdown_links_find_a_file_by_its_name_as_obsidian_does(tmp_path: Path, body: str,
                                                                 expected: list[str | None]) -> None:
    assert targets(wiki(tmp_path, body)) == expected


def test_a_link_by_name_is_a_note_and_a_backlink_and_a_name_that_fits_several_files_is_broken(tmp_path: Path) -> None:
    kb = wiki(tmp_path, "Read [the guide](deploy.md) and [the runbook](runbook.md).\n\n[draft](draft.md)\n",
              at="other/page.md")
    assert problems(kb, "other/page.md") == [
        (1, 6, "info", "link.by-name", "link 'deploy.md' is not a path from this page; it goes to ops/deploy.md, the only "
                                       "file in the wiki with that name"),
        (1, 33, "warning", "link.not-found", "link 'runbook.md' points to nothing: no such file next to the page, and 2 "
                                             "files have that name (ops/runbook.md, team/runbook.md) — write the path to choose"),
        (3, 1, "warning", "link.draft", "link 'draft.md' points to a draft, which is not published"),
    ]
    assert [(e.source, e.label) for e in kb.links.backlinks["ops/deploy.md"]] == [("other/page.md", "the guide")]
    assert kb.links.resolutions[("other/page.md", 1, 33)].candidates == ("ops/runbook.md", "team/runbook.md")


def test_a_name_that_fits_many_files_lists_a_few(tmp_path: Path) -> None:
    folders = {f"f{n}/index.md": "# Index\n" for n in range(8)}
    kb = build_knowledge_base(write_files(tmp_path, folders | {"sub/page.md": "[up](index.md)\n"}))
    [(_, _, _, code, message)] = problems(kb, "sub/page.md")
    assert code == "link.not-found"
    assert "8 files have that name (f0/index.md, f1/index.md, f2/index.md, f3/index.md, f4/index.md and 3 more)" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("![[img/diagram.png]] ![[assets/img/diagram.png]] ![[IMG/Diagram.png]]", ["assets/img/diagram.png"] * 3),
        ("![[other/diagram.png]] ![[shot.png]]", ["other/diagram.png", "assets/img/shot.png"]),
        ("[[sub/deep]] [[notes/sub/deep]] [[Sub/Deep.md]]", ["notes/sub/deep.md"] * 3),
        ("![[elsewhere/diagram.png]] [[other/deep]] ![[../img/diagram.png]]", [None, None, None]),
    ],
)
def test_wikilinks_and_embeds_match_the_end_of_a_path(tmp_path: Path, body: str, expected: list[str | None]) -> None:
    files = {"assets/img/diagram.png": "png", "other/diagram.png": "png", "assets/img/shot.png": "png",
             "notes/sub/deep.md": "# Deep\n", "page.md": body}
    kb = build_knowledge_base(write_files(tmp_path, files))
    assert targets(kb, "page.md") == expected


def test_embeds_of_one_name_in_two_folders_stay_ambiguous(tmp_path: Path) -> None:
    files = {"assets/img/diagram.png": "png", "other/diagram.png": "png", "other/sub/page.md": "![[diagram.png]]\n"}
    kb = build_knowledge_base(write_files(tmp_path, files))
    assert targets(kb, "other/sub/page.md") == ["other/diagram.png"]  # the nearest
    assert [code for _, _, _, code, _ in problems(kb, "other/sub/page.md")] == ["link.ambiguous"]


def test_block_references_go_to_their_block_or_are_reported(tmp_path: Path) -> None:
    """Obsidian's `#^id` names the block that ends with ` ^id`, or that a line of only `^id` follows."""
    deploy = ("---\ntitle: Deploying safely\naliases: [Shipping, Release process]\n---\n## Roll back\n\n"
              "First, stop. ^step-2\n\n| a |\n|---|\n\n^table-1\n\n```\nnot ^in-code\n```\n")
    page = "[[deploy#^step-2]] and ![[deploy#^table-1]] and [x](../ops/deploy.md#^abc) [[deploy#^in-code]].\n"
    kb = build_knowledge_base(write_files(tmp_path, WIKI | {"ops/deploy.md": deploy, "team/page.md": page}))
    assert targets(kb) == ["ops/deploy.md"] * 4
    assert problems(kb) == [
        (1, 49, "warning", "link.anchor", "link '../ops/deploy.md#^abc': 'ops/deploy.md' has no block with the id '^abc' "
                                          "(written at the end of the block); the link goes to the top of the page"),
        (1, 76, "warning", "link.anchor", "[[deploy#^in-code]]: 'ops/deploy.md' has no block with the id '^in-code' "
                                          "(written at the end of the block); the link goes to the top of the page"),
    ]
    assert len(kb.links.backlinks["ops/deploy.md"]) == 4
    # A link to a block found by the file's name is noted as any link found by name is.
    kb = build_knowledge_base(write_files(tmp_path, WIKI | {"ops/deploy.md": deploy, "team/page.md": "[y](deploy.md#^step-2)\n"}))
    assert [code for _, _, _, code, _ in problems(kb)] == ["link.by-name"]


def write_files(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("site_url", "path"),
    [("https://wiki.example.com/kb/", "/kb/"), ("https://wiki.example.com/kb", "/kb/"), ("https://x.example/a/b/", "/a/b/"),
     ("https://x.example", "/"), ("https://x.example/", "/"), (None, "/"), ("https://x.example/my%20wiki/", "/my wiki/")],
)
def test_site_url_path(site_url: str | None, path: str) -> None:
    from kb.urls import site_url_path

    assert site_url_path(site_url) == path


@pytest.mark.parametrize(
    ("site_path", "url", "candidates"),
    [
        ("/kb/", "/kb/ops/", ("ops.md", "ops/index.md", "ops/README.md", "ops/_index.md")),
        ("/kb/", "/kb/ops/deploy", ("ops/deploy", "ops/deploy.md", "ops/deploy/index.md", "ops/deploy/README.md",
                                    "ops/deploy/_index.md")),
        ("/kb/", "/kb/ops/deploy.md", ("ops/deploy.md",)),
        ("/kb/", "/kb/ops/deploy.html", ("ops/deploy.md",)),
        ("/kb/", "/kb/ops/index.html", ("ops/index.md", "ops/README.md")),
        ("/kb/", "/kb", ("index.md", "README.md", "_index.md")),
        ("/kb/", "/kb/a/../b.md", ("b.md",)),
        ("/kb/", "/kb/../other/", None),
        ("/kb/", "/kbx/", None),
        ("/kb/", "/", None),
        ("/", "/", ("index.md", "README.md", "_index.md")),
    ],
)
def test_site_candidates(site_path: str, url: str, candidates: tuple[str, ...] | None) -> None:
    from kb.urls import site_candidates

    assert site_candidates(site_path, url) == candidates


def test_a_link_to_a_page_held_back_for_a_problem_does_not_call_it_a_draft(tmp_path: Path) -> None:
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    (tmp_path / "hugo.md").write_text("---\ndraft: true\n---\nBody.\n", encoding="utf-8")
    kb = wiki(tmp_path, "[a](../broken.md) [[broken]] [b](../hugo.md) [[draft]]\n")
    assert [(col, code, message) for _, col, _, code, message in problems(kb)] == [
        (1, "link.draft", "link '../broken.md' points to broken.md, which is held back, not published: kb says why at "
                          "that page"),
        (19, "link.draft", "[[broken]] points to broken.md, which is held back, not published: kb says why at that page"),
        (30, "link.draft", "link '../hugo.md' points to a draft, which is not published"),
        (46, "link.draft", "[[draft]] points to a draft (draft.md), which is not published"),
    ]


def test_a_resolver_takes_over_earlier_answers_only_from_the_same_names_and_files(tmp_path: Path) -> None:
    """A preview derives the wiki again after each save: the answers of the last derivation are
    kept while no page, name or file changed, and never once one did."""
    body = "[[deploy]] [[Shipping]] [x](../ops/runbook.md) [[Nothing yet]]"
    earlier = wiki(tmp_path / "a", body)
    again = wiki(tmp_path / "b", body)
    assert again.resolver is not None and earlier.resolver is not None
    again.resolver.keep_answers(earlier.resolver)
    assert again.resolver._answers is earlier.resolver._answers
    wiki(tmp_path / "c", body)
    (tmp_path / "c/ops/runbook.md").write_text("---\ntitle: Nothing yet\n---\n", encoding="utf-8")
    renamed = build_knowledge_base(tmp_path / "c")
    assert renamed.resolver is not None
    renamed.resolver.keep_answers(earlier.resolver)
    assert renamed.resolver._answers is not earlier.resolver._answers
    ref = next(ref for ref in renamed.page("team/page.md").links if ref.target == "Nothing yet")
    assert renamed.resolver.resolve("team/page.md", ref).path == "ops/runbook.md"
    assert earlier.links.resolutions[("team/page.md", ref.line, ref.col)].path is None


def test_a_graph_built_again_keeps_a_pages_links_only_while_what_they_looked_at_is_the_same(tmp_path: Path) -> None:
    """A preview derives the wiki again after each save, keeping what each page's links came to:
    a link's problem that depends on another page (a heading it names, why a page is held back)
    follows that page's save, as a build from nothing finds it."""
    wiki(tmp_path, "[[deploy#Roll back]] [x](../draft.md)\n")
    (tmp_path / "team/other.md").write_text("[[ops/runbook]] and [[Café Straße]]\n", encoding="utf-8")
    config = KbConfig()
    cache = ParseCache()

    def derived(earlier: KnowledgeBase | None) -> KnowledgeBase:
        collection = collect(tmp_path, config)
        return derive(parse(collection, config, cache=cache), collection, config, earlier=earlier)

    first = derived(None)
    assert problems(first) == [(1, 22, "warning", "link.draft", "link '../draft.md' points to a draft, which is not "
                                                               "published")]
    (tmp_path / "ops/deploy.md").write_text(WIKI["ops/deploy.md"].replace("Roll back", "Roll forward"), encoding="utf-8")
    (tmp_path / "draft.md").write_text(WIKI["draft.md"].replace("status: draft", "status: bogus"), encoding="utf-8")
    again = derived(first)
    assert again.resolver is not None and again.resolver.answers_kept
    fresh = build_knowledge_base(tmp_path)
    assert problems(again) == problems(fresh) == [
        (1, 1, "warning", "link.anchor", "[[deploy#Roll back]]: 'ops/deploy.md' has no heading 'Roll back'"),
        (1, 22, "warning", "link.draft", "link '../draft.md' points to draft.md, which is held back, not published: "
                                         "kb says why at that page"),
    ]
    assert again.links == fresh.links
    # The page whose links looked at nothing that changed keeps what they came to.
    assert again.links.pages["team/other.md"] is first.links.pages["team/other.md"]
    assert again.links.pages["team/page.md"] is not first.links.pages["team/page.md"]
