"""Front matter written for other tools: their keys are accepted, the ones kb shares are
honoured (tags, categories, aliases, dates), and their status values are mapped with
`status_map`."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from kb.analyse.knowledge import build_knowledge_base, summarize_held_back
from kb.config import KbConfig
from kb.model import Status
from kb.read.collect import Source
from kb.read.parse import parse_source
from kb.read.schema import FOREIGN_KEYS, page_date, status_map_line


def parse(text: str, config: KbConfig | None = None, path: str = "x.md"):
    return parse_source(Source(path, f"content/{path}", text), config or KbConfig())


def formatted(diagnostics) -> list[str]:
    return [d.format() for d in diagnostics]


@pytest.mark.parametrize(
    ("tool", "front"),
    [
        ("Material", "template: main.html\nhide: [toc, navigation]\nicon: material/rocket\nstatus: new\n"
                     "subtitle: A guide\nsearch: {boost: 2}\ndescription: For search engines\ncomments: true"),
        ("Material blog", "date: 2026-01-31\nauthors: [jo]\ncategories: [Ops]\nslug: intro\nreadtime: 5\npin: true\n"
                          "links: [index.md]\ndraft: false"),
        ("Obsidian", "aliases: [Deploys]\ntags: [ops]\ncssclasses: [wide]\ncssclass: wide\npublish: true\n"
                     "permalink: deploys\ndescription: How we deploy\nimage: cover.png\ncover: cover.png"),
        ("Hugo", "draft: false\nweight: 10\ndate: 2024-01-15T10:00:00Z\nlastmod: 2024-03-01\ncategories: [Ops]\n"
                 "slug: deploy\naliases: [/old/deploy/]\ndescription: x\nkeywords: [a, b]\nlayout: single\nurl: /deploy/\n"
                 "summary: Short\nlinkTitle: Deploy\nmenu: main\ntoc: true\nauthor: Jo\nauthors: [Jo]\nimage: a.png\n"
                 "params: {x: 1}\nsitemap: {priority: 0.5}\ntranslationKey: deploy\noutputs: [html]"),
        ("Jekyll", "layout: post\npermalink: /deploy/\npublished: true\ndate: 2024-01-15 10:00:00 -0500\n"
                   "category: Ops\ncategories: [Ops, Deploys]\ntags: [ops]\nauthor: Jo"),
        ("Docusaurus", "id: deploy\nsidebar_position: 2\nsidebar_label: Deploy\ndescription: x\nkeywords: [a]\n"
                       "slug: /deploy\nimage: ./a.png\nhide_title: false\nhide_table_of_contents: true\n"
                       "toc_max_heading_level: 3\npagination_label: Deploy\ncustom_edit_url: null\nunlisted: false\n"
                       "last_update: {date: 2024-01-01}"),
    ],
)
def test_other_tools_keys_are_accepted_without_a_warning(tool: str, front: str) -> None:
    page, problems = parse(f"---\n{front}\n---\nBody.\n")
    assert formatted(problems) == [], tool
    assert not page.draft


def test_every_declared_key_of_another_tool_is_accepted() -> None:
    keys = sorted({key for keys in FOREIGN_KEYS.values() for key in keys})
    page, problems = parse("---\n" + "".join(f"{key}: 1\n" for key in keys) + "---\n")
    assert formatted(problems) == []


def test_undocumented_keys_still_warn_and_extra_keys_accept_them() -> None:
    text = "---\nmobile: false\nbanner: x.png\n---\n"
    _, problems = parse(text)
    assert [d.code for d in problems] == ["frontmatter.unknown-key", "frontmatter.unknown-key"]
    _, problems = parse(text, replace(KbConfig(), extra_keys=frozenset({"mobile", "banner"})))
    assert problems == []


def test_kbs_own_type_is_not_taken_for_hugos() -> None:
    _, problems = parse("---\ntype: posts\n---\n")
    assert [d.code for d in problems] == ["frontmatter.value"]


def test_categories_are_tags() -> None:
    page, problems = parse("---\ntags: [ops, Deploys]\ncategories: [Deploys, Reliability]\ncategory: Oncall\n---\n")
    assert problems == []
    assert page.tags == ("ops", "Deploys", "Reliability", "Oncall")


def test_obsidian_aliases_are_kb_aliases() -> None:
    page, _ = parse("---\naliases: [Shipping, Release]\ntags: [ops]\ncssclasses: [wide]\n---\n")
    assert page.aliases == ("Shipping", "Release")


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2024-01-15", dt.date(2024, 1, 15)), ("2024-01-15T10:00:00Z", dt.date(2024, 1, 15)),
        ("2024-01-15T23:30:00+02:00", dt.date(2024, 1, 15)), ("2024-01-15 10:00:00 -0500", dt.date(2024, 1, 15)),
        (dt.date(2024, 1, 15), dt.date(2024, 1, 15)), (dt.datetime(2024, 1, 15, 9), dt.date(2024, 1, 15)),
    ],
)
def test_page_dates_in_every_spelling_of_other_tools(written: object, day: dt.date) -> None:
    assert page_date(written) == day


def test_dates_of_the_front_matter_are_the_pages_own() -> None:
    page, _ = parse("---\ndate: 2024-01-15\nlastmod: 2024-03-01T08:00:00Z\n---\n")
    assert (page.created_on, page.updated_on) == (dt.date(2024, 1, 15), dt.date(2024, 3, 1))
    page, _ = parse("---\ndate: 2024-01-15\n---\n")
    assert (page.created_on, page.updated_on) == (dt.date(2024, 1, 15), dt.date(2024, 1, 15))


@pytest.mark.parametrize("written", ["last week", "15/01/2024", "2024-02-30", "true", "[2024]", "'0001-01-01'"])
def test_a_date_kb_cannot_read_is_a_warning_at_its_line(written: str) -> None:
    page, problems = parse(f"---\ntitle: x\nlastmod: {written}\n---\n")
    assert [(d.line, d.severity.value, d.code) for d in problems] == [(3, "warning", "frontmatter.date")]
    assert "it is not used as the page's date" in problems[0].message
    assert not page.draft and page.updated_on is None


def mapped(**status_map: str) -> KbConfig:
    return KbConfig.from_options({"status_map": status_map})


@pytest.mark.parametrize(
    ("written", "state"),
    [("Completed", Status.PUBLISHED), ("completed", Status.PUBLISHED), ("  COMPLETED ", Status.PUBLISHED),
     ("In progress", Status.DRAFT), ("in  Progress", Status.DRAFT), ("Reviewed", Status.VERIFIED)],
)
def test_status_map_maps_other_tools_values_ignoring_case_and_spaces(written: str, state: Status) -> None:
    config = KbConfig.from_options({"status_map": {"Completed": "published", "In progress": "draft",
                                                   " reviewed ": "Verified"}})
    page, problems = parse(f"---\nstatus: '{written}'\nreviewed_by: jo\nreviewed_on: 2026-01-01\n---\n", config)
    assert formatted(problems) == []
    assert page.status is state and page.draft is (state is Status.DRAFT)


def test_kbs_own_states_still_work_beside_a_status_map() -> None:
    page, problems = parse("---\nstatus: published\n---\n", mapped(Completed="published"))
    assert problems == [] and page.status is Status.PUBLISHED


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"Completed": "done"}, "status_map: Completed: 'done' is not a kb state; use one of draft, published, verified, "
                                "best-practice"),
        ({"Completed": None}, "status_map: Completed: None is not a kb state"),
        ({True: "published"}, "status_map: True is not a status value"),
        (["Completed"], "status_map: expected 'their status: kb state' lines"),
    ],
)
def test_a_status_map_target_that_is_not_a_kb_state_is_a_configuration_error(options: object, error: str) -> None:
    with pytest.raises(ValueError) as raised:
        KbConfig.from_options({"status_map": options})
    assert str(raised.value).startswith(error)


def test_an_unknown_status_suggests_the_status_map_line() -> None:
    page, problems = parse("---\nstatus: Completed\n---\n")
    assert page.draft
    assert formatted(problems) == [
        "content/x.md:2:1: error: 'status': 'Completed' is not one of: draft, published, verified, best-practice "
        "(or the theme's deprecated, new); if another tool wrote it, map it to a kb state with the kb plugin's option "
        "`status_map: {Completed: published}`; the page is held back as a draft until it is fixed [status.invalid]"]


@pytest.mark.parametrize(
    ("written", "meant"),
    [("publshed", "published"), ("Verfied", "verified"), ("best practice", "best-practice"), ("Drafts", "draft")],
)
def test_a_misspelt_kb_state_is_a_typo_not_another_tools_status(tmp_path: Path, written: str, meant: str) -> None:
    page, problems = parse(f"---\nstatus: {written}\n---\n")
    assert page.draft and f"a misspelling of '{meant}'" in problems[0].message and "status_map" not in problems[0].message
    (tmp_path / "a.md").write_text(f"---\nstatus: {written}\n---\n", encoding="utf-8")
    assert build_knowledge_base(tmp_path).held_back == {"a.md": "status.invalid"}


def test_a_word_built_on_a_kb_state_is_another_tools_status() -> None:
    _, problems = parse("---\nstatus: Unpublished\n---\n")
    # It is not a kb state, and it does not say the page is done: it is suggested as a draft.
    assert "`status_map: {Unpublished: draft}`" in problems[0].message


@pytest.mark.parametrize(
    ("values", "line"),
    [
        (["Completed"], "status_map: {Completed: published}"),
        (["In progress", "WIP", "Done"], "status_map: {In progress: draft, WIP: draft, Done: published}"),
        # A value that does not say the page is done is mapped to draft: nothing published by a guess.
        (["yes", "v1: final", "Fertig", "it's done"],
         'status_map: {"yes": draft, "v1: final": published, Fertig: draft, "it\'s done": published}'),
    ],
)
def test_the_suggested_status_map_line_is_yaml_for_those_values(values: list[str], line: str) -> None:
    """The line reads back as the same values, whatever they hold."""
    import yaml

    assert status_map_line(values) == line
    assert list(yaml.safe_load(line)["status_map"]) == values


def test_the_summary_counts_unknown_statuses_by_value_and_says_what_to_add() -> None:
    held = {f"p{i}.md": "unknown status: Completed" for i in range(92)} | {
        "a.md": "unknown status: In progress", "b.md": "draft", "c.md": "unknown status: Idea",
        "d.md": "unknown status: Old", "e.md": "unknown status: Older"}
    assert summarize_held_back(held) == (
        "97 not published (92 unknown status 'Completed', 2 unknown status (2 other values), 1 draft, "
        "1 unknown status 'Idea', 1 unknown status 'In progress'); to publish pages by another tool's status, map it "
        "in the kb plugin's options: status_map: {Completed: published, Idea: draft, In progress: draft}")


def test_spellings_one_mapping_would_match_are_one_value() -> None:
    held = {"a.md": "unknown status: Completed", "b.md": "unknown status: completed", "c.md": "unknown status: Completed"}
    assert summarize_held_back(held) == (
        "3 not published (3 unknown status 'Completed'); to publish pages by another tool's status, map it in the kb "
        "plugin's options: status_map: {Completed: published}")


def test_pages_held_back_for_an_unknown_status_are_counted_by_value(tmp_path: Path) -> None:
    for name, status in (("a", "Completed"), ("b", "Completed"), ("c", "draft"), ("d", "7")):
        (tmp_path / f"{name}.md").write_text(f"---\nstatus: {status}\n---\nx\n", encoding="utf-8")
    kb = build_knowledge_base(tmp_path)
    assert kb.held_back == {"a.md": "unknown status: Completed", "b.md": "unknown status: Completed",
                            "c.md": "draft", "d.md": "status.invalid"}
    kb = build_knowledge_base(tmp_path, mapped(completed="published"))
    assert sorted(kb.articles) == ["a.md", "b.md"]


def test_obsidian_emptied_list_properties_are_empty_not_errors() -> None:
    """Obsidian leaves `aliases:` followed by a bare `- ` when a property's last value is deleted."""
    page, problems = parse("---\naliases:\n- \ntags:\n- ops\n- \ncssclasses:\n-\n---\nBody.\n")
    assert formatted(problems) == []
    assert page.aliases == ()
    assert page.tags == ("ops",)


def test_status_map_cannot_give_kb_s_own_states_another_meaning() -> None:
    with pytest.raises(ValueError, match="is one of kb's own states"):
        KbConfig.from_options({"status_map": {"Draft": "published"}})
