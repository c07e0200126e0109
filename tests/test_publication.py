"""Whether a page is published: every draft convention, fail closed, and the theme's own keys."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from kb.analyse.knowledge import build_knowledge_base, summarize_held_back
from kb.config import KbConfig
from kb.model import Status
from kb.read.cascade import read_cascade
from kb.read.collect import Source
from kb.read.parse import parse_source
from kb.read.publication import attachments_of_drafts
from kb.read.schema import Vocabulary


def parse(text: str, config: KbConfig | None = None, path: str = "x.md"):
    return parse_source(Source(path, f"content/{path}", text), config or KbConfig())


def formatted(diagnostics) -> list[str]:
    return [d.format() for d in diagnostics]


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "front",
    [
        "draft: true", "draft: yes", "Draft: True", "DRAFT: on", "publish: false", "published: false", "headless: true",
        "status: draft", "status: Draft", "build:\n  render: never", "_build:\n  render: false", "build: {render: link}",
        "'draft ': true", "build: never", "Build: {Render: Never}", "build: false", "build: {render: false}",
        "cascade: {draft: true}", "cascade: [{draft: true}]", "cascade: [{title: T}, {headless: true}]",
    ],
)
def test_every_draft_convention_holds_the_page_back(front: str) -> None:
    # A cascade holds back the folder's index page it is on, as well as the pages below it, and says so there.
    page, problems = parse(f"---\n{front}\n---\nSecret.\n", path="blog/_index.md" if "cascade" in front else "x.md")
    assert page.draft
    assert [problem.code for problem in problems] == (["page.cascade"] if "cascade" in front else [])


@pytest.mark.parametrize(
    "front",
    ["draft: false", "publish: true", "published: true", "headless: false", "build: {render: always}", "status: published",
     "build: true", "build: {render: always, list: never, publishResources: false}", "build: {}",
     "publishDate: 2001-01-01", "publishDate: 2099-01-01T10:00:00+01:00", "expiryDate: 2099-01-01 10:00:00",
     "expiryDate:", "expiryDate: ''", "published: 2099-06-01", "cascade: {title: T}", "cascade:"],
)
def test_a_clear_no_publishes_the_page(front: str) -> None:
    """Dates are judged against the last commit later (kb.analyse.knowledge); reading them is no error."""
    page, problems = parse(f"---\n{front}\n---\nText.\n", path="blog/index.md")
    assert not page.draft
    assert formatted(problems) == []


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("draft:", "'draft' must be true or false, not nothing"),
        ("draft: 'true'", "'draft' must be true or false, not 'true'"),
        ("draft: 1", "'draft' must be true or false, not 1"),
        ("draft: [x]", "'draft' must be true or false, not ['x']"),
        ("publish: 'no'", "'publish' must be true or false, not 'no'"),
        ("published: 0", "'published' must be true or false, or a date such as 2026-01-31, not 0"),
        ("published: 02 Jan 2099", "'published' must be true or false, or a date such as 2026-01-31, not '02 Jan"),
        ("published: 2099-13-01", "'published' must be a date such as 2026-01-31"),
        ("build: {render: sometimes}", "'build.render' must be always, never or link, not 'sometimes'"),
        ("build: {render: [never]}", "'build.render' must be always, never or link, not ['never']"),
        ("build: {render: {x: never}}", "'build.render' must be always, never or link, not {'x': 'never'}"),
        ("build:\n  render:", "'build.render' must be always, never or link, not nothing"),
        ("build: {list: hidden}", "'build.list' must be always, never or local, not 'hidden'"),
        ("build: 0", "'build' must be options such as 'render: never' on the lines below it"),
        ("build: [render, never]", "'build' must be options such as 'render: never'"),
        ("build: 'render: never'", "not 'render: never'"),
        ("_build: sometimes", "'_build' must be options such as 'render: never'"),
        ("publishDate: 02 Jan 2099", "'publishDate' must be a date such as 2026-01-31 or 2026-01-31T09:00:00+01:00, "
                                     "not '02 Jan 2099'"),
        ("publishDate: 2099-1-1", "'publishDate' must be a date"),
        ("publishDate: 2099/01/01", "'publishDate' must be a date"),
        ("publishDate: 4102444800", "'publishDate' must be a date"),
        ("publishDate: '2099-01-01T00:00:00+25:00'", "'publishDate' must be a date"),
        ("pubDate: [2099-01-01]", "'pubDate' must be a date"),
        ("expiryDate: 01 Jan 2001", "'expiryDate' must be a date"),
        ("unpublishdate: true", "'unpublishdate' must be a date"),
    ],
)
def test_a_draft_key_that_is_not_a_clear_answer_is_an_error_and_holds_back(front: str, message: str) -> None:
    page, problems = parse(f"---\ntitle: T\n{front}\n---\nText.\n")
    assert page.draft
    [problem] = problems
    assert (problem.line, problem.code, problem.severity.value) == (3, "frontmatter.draft", "error")
    assert message in problem.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("\n---\nstatus: draft\n---\nSecret.\n", 2),
        ("<!-- a note -->\n---\ntitle: T\n---\nSecret.\n", 2),
        ("+++\ntitle = 'T'\n+++\nSecret.\n", 1),
        ("Title: Plans\nDraft: yes\n\nSecret.\n", 2),
        ("Title: Plans\nStatus: draft\n\nSecret.\n", 2),
        ("Title: Plans\nPublish: false\n\nSecret.\n", 2),
    ],
)
def test_a_header_kb_does_not_read_holds_the_page_back(text: str, line: int) -> None:
    page, problems = parse(text)
    assert page.draft
    [problem] = problems
    assert (problem.line, problem.code, problem.severity.value) == (line, "frontmatter.placement", "error")


def test_multimarkdown_lines_that_make_no_draft_stay_text() -> None:
    page, problems = parse("Note: this page is about deploys.\n\nText.\n")
    assert not page.draft and problems == []


@pytest.mark.parametrize("value", ["new", "deprecated"])
def test_material_status_values_publish_the_page_and_reach_the_theme(value: str) -> None:
    page, problems = parse(f"---\nstatus: {value}\n---\nText.\n")
    assert formatted(problems) == []
    assert not page.draft and page.status is Status.PUBLISHED
    assert page.meta["status"] == value


def test_a_sites_own_material_status_is_known_and_others_are_errors() -> None:
    config = replace(KbConfig(), theme=Vocabulary(engine_statuses=frozenset({"new", "deprecated", "beta"})))
    page, problems = parse("---\nstatus: beta\n---\n", config)
    assert not page.draft and problems == []
    page, problems = parse("---\nstatus: gamma\n---\n", config)
    assert page.draft
    assert formatted(problems) == [
        "content/x.md:2:1: error: 'status': 'gamma' is not one of: draft, published, verified, best-practice "
        "(or the theme's beta, deprecated, new); if another tool wrote it, map it to a kb state with the kb plugin's "
            "option `status_map: {gamma: draft}`; the page is held back as a draft until it is fixed [status.invalid]"]


def test_the_theme_is_given_only_values_it_can_use(tmp_path: Path) -> None:
    icons = tmp_path / ".icons" / "material"
    icons.mkdir(parents=True)
    (icons / "rocket.svg").write_text("<svg/>", encoding="utf-8")
    config = replace(KbConfig(), theme=Vocabulary(page_templates=frozenset({"main.html", "home.html"}),
                                                  icon_dirs=(str(tmp_path / ".icons"),)))
    good = "template: home.html\nicon: material/rocket\nhide: [toc]\nsubtitle: S\nsearch: {boost: 2}\ncomments: true"
    page, problems = parse(f"---\n{good}\n---\n", config)
    assert problems == [] and not page.draft
    assert {"template", "icon", "hide", "subtitle", "search", "comments"} <= set(page.meta)
    bad = ("template: ../../../outside/evil.html\nicon: material/nothing\nhide: 5\nsubtitle: [a]\nsearch: everything\n"
           "comments: maybe\ndescription: {a: b}")
    page, problems = parse(f"---\ntitle: Kept\n{bad}\n---\nText.\n", config)
    assert not page.draft
    assert {"template", "icon", "hide", "subtitle", "search", "comments", "description"}.isdisjoint(page.meta)
    assert page.meta["title"] == "Kept"
    assert [(p.line, p.code) for p in problems] == [
        (3, "frontmatter.value"), (4, "frontmatter.value"), (5, "frontmatter.type"), (6, "frontmatter.type"),
        (7, "frontmatter.type"), (8, "frontmatter.type"), (9, "frontmatter.type")]
    assert "the theme has no page template" not in problems[0].message  # refused by its shape already
    assert "is not the name of a page template" in problems[0].message
    assert "the theme has no icon 'material/nothing'" in problems[1].message


def test_a_template_the_theme_does_not_have_is_named() -> None:
    config = replace(KbConfig(), theme=Vocabulary(page_templates=frozenset({"main.html"})))
    _, problems = parse("---\ntemplate: blog-post.html\n---\n", config)
    assert formatted(problems) == [
        "content/x.md:2:1: error: 'template': the theme has no page template 'blog-post.html' (it has: main.html); "
        "the theme is not given it [frontmatter.value]"]


def test_an_impossible_date_is_an_error_at_its_line() -> None:
    page, problems = parse("---\ntitle: T\nreviewed_on: 2024-02-30\n---\n")
    assert formatted(problems) == [
        "content/x.md:3:1: error: 'reviewed_on': 2024-02-30 is not a date that exists; write it as YYYY-MM-DD "
        "[frontmatter.value]"]
    assert not page.draft and page.reviewed_on is None


def test_other_tools_impossible_dates_are_warnings_and_the_page_is_published() -> None:
    page, problems = parse("---\ndate: 2024-02-30\nlastmod: 2023-13-45T99:00:00\n---\n",
                           replace(KbConfig(), extra_keys=frozenset({"date", "lastmod"})))
    assert formatted(problems) == [
        "content/x.md:2:1: warning: 'date': '2024-02-30' is not a date that exists; it is not used as the page's date "
        "[frontmatter.date]",
        "content/x.md:3:1: warning: 'lastmod': '2023-13-45T99:00:00' is not a date that exists; it is not used as the "
        "page's date [frontmatter.date]"]
    assert not page.draft and page.updated_on is None and page.created_on is None


@pytest.mark.parametrize(
    ("front", "created", "updated"),
    [
        ("date:\n  created: 2024-01-31\n  updated: 2024-02-15", dt.date(2024, 1, 31), dt.date(2024, 2, 15)),
        ("date:\n  created: 2024-01-31T10:00:00Z", dt.date(2024, 1, 31), dt.date(2024, 1, 31)),
        ("date: {created: 2024-01-31, updated: 2024-02-15}\nlastmod: 2024-03-01", dt.date(2024, 1, 31),
         dt.date(2024, 3, 1)),
    ],
)
def test_material_blog_dates_are_the_pages_dates(front: str, created: dt.date, updated: dt.date) -> None:
    page, problems = parse(f"---\n{front}\n---\n", replace(KbConfig(), extra_keys=frozenset({"date", "lastmod"})))
    assert formatted(problems) == []
    assert (page.created_on, page.updated_on) == (created, updated)


def test_a_material_blog_date_that_is_no_date_is_a_warning() -> None:
    _, problems = parse("---\ndate: {created: {created: 2024-01-01}}\n---\n")
    assert [problem.code for problem in problems] == ["frontmatter.date"]
    page, problems = parse("---\ndate:\n  created: 2024-01-31\n  updated: soon\n---\n")
    assert formatted(problems) == [
        "content/x.md:2:1: warning: 'date': its 'updated': 'soon' is not a date such as 2026-01-31; it is not used "
        "as the page's date [frontmatter.date]"]
    assert page.created_on is None and page.updated_on is None


def test_attachments_only_drafts_mention_are_held_back() -> None:
    held = attachments_of_drafts(
        ["img/shot.png", "b.png", "my shot.png", "shared.png", "unused.png", "a.png"],
        [("plan.md", "![x](img/shot.png) ![[b.png]] ![](my%20shot.png) <img src='shared.png'> data.png")],
        [("guide.md", "uses shared.png, and mydata.png")])
    assert held == ["b.png", "img/shot.png", "my shot.png"]


def test_a_draft_names_an_attachment_as_kb_s_links_find_it_in_any_case_and_spelling() -> None:
    """Links find `Layoff_List.png` from `![[layoff-list.png]]` and `/img/roadmap.png`: so does this."""
    held = attachments_of_drafts(
        ["img/Roadmap.png", "img/Layoff_List.png", "attachments/Beta Roadmap.png", "img/team.png"],
        [("ops/Secret-Plan.md", "![r](/img/roadmap.png) ![[layoff-list.png]] ![[beta-roadmap.png]] ![t](../IMG/TEAM.PNG)")],
        [("index.md", "![team](img/team.png)")])
    assert held == ["attachments/Beta Roadmap.png", "img/Layoff_List.png", "img/Roadmap.png"]


def test_an_attachment_is_told_apart_from_another_of_the_same_name_by_its_folder() -> None:
    assets = ["a/shot.png", "b/shot.png", "c/shot.png", "docs/sch\u00f6n.png"]
    held = attachments_of_drafts(
        assets,
        [("a/draft.md", "![](shot.png)"), ("x/plan.md", "![](../docs/scho\u0308n.png) ![](/c/shot.png)")],
        [("b/page.md", "![](shot.png)"), ("index.md", "![](b/shot.png)")])
    # a/shot.png: a bare name in a draft, kept by no published page's path (b/page.md's bare
    # name could be any shot.png, so it keeps them all: no published page may lose an image).
    assert held == ["docs/sch\u00f6n.png"]
    held = attachments_of_drafts(assets, [("a/draft.md", "![](./shot.png)"), ("x/p.md", "![](/c/shot.png)")],
                                 [("index.md", "![](b/shot.png)")])
    assert held == ["a/shot.png", "c/shot.png"]


def test_a_drafts_screenshot_is_withheld_everywhere(tmp_path: Path) -> None:
    files = {
        "plan.md": "---\ndraft: true\n---\n![shot](img/secret-shot.png)\n",
        "guide.md": "# Guide\n\n![ok](img/public.png)\n",
        "img/secret-shot.png": "png",
        "img/public.png": "png",
    }
    write(tmp_path, files)
    kb = build_knowledge_base(tmp_path, display_root="content")
    assert kb.assets == {"img/public.png"}
    assert {"img/secret-shot.png", "plan.md"} <= kb.withheld
    assert [d.format() for d in kb.diagnostics if d.code == "file.draft-only"] == [
        "content/img/secret-shot.png:1:1: info: only drafts use this attachment, so it is not published either "
        "[file.draft-only]"]
    assert kb.held_back == {"img/secret-shot.png": "file.draft-only", "plan.md": "draft"}


@pytest.mark.parametrize("front", ["Status: draft", "STATUS: Draft"])
def test_status_draft_in_another_case_still_holds_the_page_back(front: str) -> None:
    page, problems = parse(f"---\n{front}\n---\nSecret.\n")
    assert page.draft
    assert [p.code for p in problems] == ["frontmatter.unknown-key"]


def test_status_in_another_case_is_not_read_but_said(tmp_path: Path) -> None:
    page, problems = parse("---\nStatus: verified\n---\n")
    assert not page.draft and page.status is Status.PUBLISHED
    assert formatted(problems) == [
        "content/x.md:2:1: warning: unknown front matter key 'Status' for kb; did you mean 'status'? [frontmatter.unknown-key]"]


def test_jekylls_drafts_folder_and_hugos_cascade_hold_back_what_is_below(tmp_path: Path) -> None:
    files = {
        "_drafts/post.md": "# Post\n",
        "blog/_index.md": "---\ncascade:\n  draft: true\n---\n# Section\n",
        "blog/2026/entry.md": "# Entry\n",
        "blogger.md": "# Not below it\n",
        "guide.md": "# Guide\n",
    }
    write(tmp_path, files)
    kb = build_knowledge_base(tmp_path)
    assert sorted(kb.articles) == ["blogger.md", "guide.md"]
    assert kb.withheld == {"_drafts/post.md", "blog/_index.md", "blog/2026/entry.md"}


def test_an_index_that_sets_what_its_cascade_passes_down_keeps_its_own_value(tmp_path: Path) -> None:
    """Hugo's own documentation does this: its glossary's index is published, its terms are not."""
    files = {
        "glossary/_index.md": "---\ntitle: Glossary\nbuild:\n  render: always\ncascade:\n  build:\n    render: never\n---\n",
        "glossary/term.md": "# Term\n",
        "notes/_index.md": "---\ntitle: Notes\ncascade:\n  draft: true\n---\n",
        # It sets one of the two keys passed down: the other still reaches it.
        "more/_index.md": "---\ndraft: false\ncascade:\n  draft: true\n  build: {render: never}\n---\n",
    }
    write(tmp_path, files)
    kb = build_knowledge_base(tmp_path, display_root="docs")
    assert sorted(kb.articles) == ["glossary/_index.md"]
    assert [d.format() for d in kb.diagnostics] == [
        "docs/glossary/term.md:1:1: info: not published: the 'cascade' on line 5 of docs/glossary/_index.md holds it "
        "back [page.cascade]",
        "docs/more/_index.md:3:1: info: not published: its own 'cascade' reaches this page too, as it does in Hugo; "
        "to publish this page and not the pages below, give it the key it passes down with the value for this page "
        "(build, draft) [page.cascade]",
        "docs/notes/_index.md:3:1: info: not published: its own 'cascade' reaches this page too, as it does in Hugo; "
        "to publish this page and not the pages below, give it the key it passes down with the value for this page "
        "(draft) [page.cascade]",
    ]
    assert kb.held_back == {"glossary/term.md": "page.cascade", "more/_index.md": "page.cascade",
                            "notes/_index.md": "page.cascade"}


def test_a_cascade_holds_back_only_from_a_folders_index_and_says_so_at_each_page(tmp_path: Path) -> None:
    files = {
        "notes.md": "---\ntitle: Notes\ncascade:\n  draft: true\n---\nMy notes.\n",
        "ops/deploy.md": "# Deploy\n",
        "blog/_index.md": "---\ntitle: Blog\ncascade:\n  - _target: {path: /blog/drafts/**, kind: page}\n"
                          "    draft: true\n---\n",
        "blog/drafts/a.md": "# A\n",
        "blog/drafts/deep/b.md": "# B\n",
        "blog/drafts.md": "# Not below /blog/drafts/\n",
        "blog/2026/entry.md": "# Entry\n",
        "wiki/README.md": "---\ncascade: {build: {render: [never]}}\n---\n",
        "wiki/page.md": "# Page\n",
        "wiki/more/index.md": "---\ndraft: true\n---\n",
    }
    write(tmp_path, files)
    kb = build_knowledge_base(tmp_path, display_root="docs")
    assert sorted(kb.articles) == ["blog/2026/entry.md", "blog/_index.md", "blog/drafts.md", "notes.md", "ops/deploy.md"]
    assert [d.format() for d in kb.diagnostics] == [
        "docs/blog/_index.md:3:1: warning: kb does not read 'cascade._target.kind': the cascade holds back every page "
        "below that its path matches, whatever this condition says [frontmatter.unused]",
        "docs/blog/drafts/a.md:1:1: info: not published: the 'cascade' on line 3 of docs/blog/_index.md holds it back "
        "[page.cascade]",
        "docs/blog/drafts/deep/b.md:1:1: info: not published: the 'cascade' on line 3 of docs/blog/_index.md holds it "
        "back [page.cascade]",
        "docs/notes.md:3:1: warning: 'cascade' only applies on a folder's index page (index.md, _index.md or "
        "README.md), to the pages below it; here it holds back nothing, not even this page [frontmatter.unused]",
        "docs/wiki/README.md:2:1: error: in 'cascade': 'build.render' must be always, never or link, not ['never']; the "
        "page is held back until it is [frontmatter.draft]",
        "docs/wiki/page.md:1:1: info: not published: the 'cascade' on line 2 of docs/wiki/README.md holds it back "
        "[page.cascade]",
    ]
    assert kb.held_back == {"blog/drafts/a.md": "page.cascade", "blog/drafts/deep/b.md": "page.cascade",
                            "wiki/README.md": "frontmatter.draft", "wiki/page.md": "page.cascade",
                            "wiki/more/index.md": "draft"}
    assert summarize_held_back(kb.held_back) == "5 not published (3 page.cascade, 1 draft, 1 frontmatter.draft)"


@pytest.mark.parametrize(
    ("pattern", "path", "reached"),
    [
        ("/blog/**", "blog/a.md", True), ("/blog/**", "blog/x/y/index.md", True), ("/blog/**", "blog/index.md", False),
        ("/blog/*", "blog/a/b.md", False), ("/blog/*", "blog/a/index.md", True), ("/blog/{a,b}/**", "blog/b/x.md", True),
        ("/blog/{a,b}/**", "blog/c/x.md", False), ("/BLOG/[a-c]*", "blog/Bee.md", True), ("/blog/[!a]*", "blog/a.md", False),
        ("/blog/?", "blog/x.md", True), ("/blog/?", "blog/xy.md", False), ("blog/**", "blog/x.md", True),
        ("**/drafts/**", "a/b/drafts/c.md", True), (r"/blog/\*", "blog/x.md", False),
    ],
)
def test_a_cascades_target_path_is_a_hugo_glob_over_the_pages_path(pattern: str, path: str, reached: bool) -> None:
    cascade = read_cascade({"cascade": {"draft": True, "_target": {"path": pattern}}})
    assert cascade is not None and cascade.problems == ()
    assert cascade.reaches(path) is reached


@pytest.mark.parametrize("target", ["{path: '/blog/[a'}", "{path: '/{a,b'}", "{path: 7}", "[x]", "{path: ''}"])
def test_a_cascade_target_kb_cannot_read_reaches_every_page_below_with_an_error(target: str) -> None:
    page, problems = parse(f"---\ncascade:\n  draft: true\n  _target: {target}\n---\n", path="blog/index.md")
    assert page.draft
    assert [(p.line, p.code) for p in problems] == [(2, "frontmatter.draft")]
    cascade = read_cascade(page.meta)
    assert cascade is not None and cascade.paths is None and cascade.reaches("blog/anything/at/all.md")


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("reviewed_on: 9999-12-31", "'reviewed_on': 9999-12-31 is too far from today to be the date of a review"),
        ("reviewed_on: 0001-01-01", "'reviewed_on': 0001-01-01 is too far from today"),
        ("review_every: 99999999 years", "'review_every': a duration of more than 100 years is not a review period"),
        ("review_every: 1000000000000000000000000000000", "'review_every': a duration of more than 100 years"),
        ("review_every: 9999999999999999999999999 days", "'review_every': expected a duration such as"),
    ],
)
def test_dates_and_durations_out_of_any_calendar_are_value_errors(front: str, message: str) -> None:
    config = KbConfig()
    page, problems = parse(f"---\nstatus: verified\nreviewed_by: bob\nreviewed_on: 2026-01-01\n{front}\n---\n"
                           .replace("reviewed_on: 2026-01-01\nreviewed_on", "reviewed_on"), config)
    assert [p.code for p in problems if p.code != "review.missing"] == ["frontmatter.value"]
    assert message in problems[-1].message or any(message in p.message for p in problems)


def test_a_page_that_includes_a_held_back_file_is_held_back_too(tmp_path: Path) -> None:
    files = {
        "draft.md": "---\ndraft: true\n---\nSECRET\n",
        "plain.md": "# Plain\n",
        "includes-draft.md": "# A\n\n--8<-- \"docs/draft.md\"\n",
        "includes-includer.md": "# B\n\n--8<--\ndocs/includes-draft.md\n--8<--\n",
        "includes-plain.md": "# C\n\n;--8<-- \"docs/plain.md:1:2\"\n--8<-- \"https://example.com/x.md\"\n",
    }
    for path, text in files.items():
        (tmp_path / path).write_text(text, encoding="utf-8")
    kb = build_knowledge_base(tmp_path, display_root="docs")
    assert sorted(kb.articles) == ["includes-plain.md", "plain.md"]
    assert [d.format() for d in kb.diagnostics if d.code == "snippet.withheld"] == [
        "docs/includes-draft.md:3:1: error: this page includes docs/draft.md, which is not published; it is held back "
        "too, so that the included text stays off the site [snippet.withheld]",
        "docs/includes-includer.md:4:1: error: this page includes docs/includes-draft.md, which is not published; it "
        "is held back too, so that the included text stays off the site [snippet.withheld]"]


def test_hugos_publish_and_expiry_dates_are_judged_on_the_day_of_the_last_commit(tmp_path: Path) -> None:
    from kb.read.history import PendingHistory

    from conftest import commit_all

    files = {
        "future.md": "---\npublishDate: 2099-01-01\n---\nNOT YET\n",
        "expired.md": "---\nexpiryDate: 2001-01-01T00:00:00Z\n---\nGONE\n",
        "hugo-published.md": "---\npublished: 2099-06-01\n---\nNOT YET\n",
        "current.md": "---\npublishDate: 2001-01-01\nexpirydate: 2099-01-01\n---\nNow.\n",
    }
    for path, text in files.items():
        (tmp_path / path).write_text(text, encoding="utf-8")
    commit_all(tmp_path)
    kb = build_knowledge_base(tmp_path, history=PendingHistory(tmp_path))
    assert sorted(kb.articles) == ["current.md"]
    assert sorted(kb.held_back.items()) == [("expired.md", "page.scheduled"), ("future.md", "page.scheduled"),
                                            ("hugo-published.md", "page.scheduled")]
    # Without history there is no day to judge by: the dates are left alone.
    assert "future.md" in build_knowledge_base(tmp_path).articles
