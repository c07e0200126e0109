from __future__ import annotations

import datetime as dt

import pytest

from kb.config import KbConfig
from kb.model import Article, Kind, PageType, Person, Status, TopicDescription
from kb.read.collect import Source
from kb.read.parse import kind_of, parse_source, title_from_path
from kb.read.schema import Invalid, duration_days


def parse(path: str, text: str):
    return parse_source(Source(path, f"content/{path}", text), KbConfig())


def formatted(diagnostics) -> list[str]:
    return [d.format() for d in diagnostics]


def test_full_article() -> None:
    page, problems = parse(
        "ops/deploy.md",
        "---\ntitle: Deploy\nsummary: How.\ntags: [ops, k8s]\naliases: Shipping\nowners: [ann]\n"
        "status: verified\nreviewed_by: bob\nreviewed_on: 2026-02-03\nreview_every: 6 months\ntype: how-to\n---\nBody\n",
    )
    assert problems == []
    assert isinstance(page, Article)
    assert (page.title, page.summary, page.tags, page.aliases, page.owners) == ("Deploy", "How.", ("ops", "k8s"), ("Shipping",), ("ann",))
    assert (page.status, page.reviewed_by, page.reviewed_on, page.review_every_days, page.type) == (
        Status.VERIFIED, "bob", dt.date(2026, 2, 3), 180, PageType.HOW_TO)
    assert not page.draft


@pytest.mark.parametrize(
    ("path", "text", "title", "summary"),
    [
        ("a/deploy-to-staging.md", "Just text.\n", "Deploy to staging", "Just text."),
        ("a/x.md", "# From *heading*\n\nFirst **para** with [a link](y.md)\nwrapped.\n\nSecond.\n", "From heading", "First para with a link wrapped."),
        ("a/x.md", "---\ntitle: Front\n---\n# Heading\n\n- list\n\nPara.\n", "Front", "Para."),
        ("a/index.md", "", "A", ""),
        ("index.md", "", "Home", ""),
        ("a/x.md", "Setext title\n============\n\n```\ncode\n```\n\nText.\n", "Setext title", "Text."),
    ],
)
def test_title_and_summary_fallbacks(path: str, text: str, title: str, summary: str) -> None:
    page, _ = parse(path, text)
    assert (page.title, page.summary) == (title, summary)


def test_long_first_paragraph_is_shortened_at_a_word() -> None:
    page, _ = parse("a.md", "word " * 200)
    assert page.summary.endswith("…") and len(page.summary) <= 301


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: [a, b]", ["content/x.md:2:1: error: 'title': expected text, got a list [frontmatter.type]"]),
        ("tags: {a: b}", ["content/x.md:2:1: error: 'tags': expected a list of text, got a mapping [frontmatter.type]"]),
        ("tags: [a, [b]]", ["content/x.md:2:1: error: 'tags': expected a list of text, but one item is a list [frontmatter.type]"]),
        ("owners: 7", ["content/x.md:2:1: error: 'owners': expected a list of text, got the number 7 [frontmatter.type]"]),
        ("reviewed_on: soon", ["content/x.md:2:1: error: 'reviewed_on': expected a date written as YYYY-MM-DD [frontmatter.value]"]),
        ("review_every: weekly", ["content/x.md:2:1: error: 'review_every': expected a duration such as '90 days', '6 months' or '1 year' [frontmatter.value]"]),
        ("type: essay", ["content/x.md:2:1: error: 'type': 'essay' is not one of: article, how-to, question, community [frontmatter.value]"]),
        ("answered: yes please", ["content/x.md:2:1: error: 'answered': expected true or false, got the text 'yes please' [frontmatter.type]"]),
        ("tilte: Oops", ["content/x.md:2:1: warning: unknown front matter key 'tilte' for kb; did you mean 'title'? [frontmatter.unknown-key]"]),
        ("name: Ann", ["content/x.md:2:1: warning: unknown front matter key 'name' for an article page [frontmatter.unknown-key]"]),
        ("template: custom.html", []),
        ("status: verified", [
            "content/x.md:2:1: error: a verified page needs 'reviewed_by': who vetted it and when [review.missing]",
            "content/x.md:2:1: error: a verified page needs 'reviewed_on': who vetted it and when [review.missing]",
        ]),
        ("members: [a]", ["content/x.md:2:1: warning: 'members' only applies to pages with 'type: community' [frontmatter.unused]"]),
    ],
)
def test_every_violation_is_reported_at_its_key(front: str, expected: list[str]) -> None:
    page, problems = parse("x.md", f"---\n{front}\n---\nBody.\n")
    assert formatted(problems) == expected
    assert not page.draft


def test_all_problems_of_one_page_are_reported_together() -> None:
    _, problems = parse("x.md", "---\ntitle: [a]\ntags: 3.5\nreviewed_on: x\nfoo: 1\n---\n")
    assert [(d.line, d.code) for d in problems] == [
        (2, "frontmatter.type"), (3, "frontmatter.type"), (4, "frontmatter.value"), (5, "frontmatter.unknown-key")]


@pytest.mark.parametrize("front", ["status: draft", "status: Draft", "status: drafft", "status: [draft]", "title: [unclosed"])
def test_drafts_and_unreadable_pages_fail_closed(front: str) -> None:
    page, problems = parse("x.md", f"---\n{front}\n---\nBody.\n")
    assert page.draft
    if front.lower() != "status: draft":
        assert any(d.severity.value == "error" for d in problems)


def test_people_and_topics_by_folder() -> None:
    config = KbConfig()
    assert [kind_of(p, config) for p in ("people/ann.md", "people/index.md", "topics/ops.md", "a/people/x.md", "ops.md")] == [
        Kind.PERSON, Kind.ARTICLE, Kind.TOPIC, Kind.ARTICLE, Kind.ARTICLE]
    person, problems = parse("people/ann.md", "---\nname: Ann\nrole: SRE\ncontact: {email: a@x.example}\nemails: [p@x.example]\n---\nBio.\n")
    assert problems == []
    assert isinstance(person, Person)
    assert (person.id, person.name, person.role, person.contact, person.emails) == (
        "ann", "Ann", "SRE", (("email", "a@x.example"),), ("p@x.example",))
    topic, problems = parse("topics/k8s.md", "---\ntitle: Kubernetes\naliases: [kube]\nparent: ops\nmoderators: [ann]\n---\nAbout.\n")
    assert problems == []
    assert isinstance(topic, TopicDescription)
    assert (topic.slug, topic.title, topic.aliases, topic.parent, topic.moderators) == ("k8s", "Kubernetes", ("kube",), "ops", ("ann",))


def test_an_index_page_in_a_folder_of_the_topics_folder_describes_the_topic_at_its_url() -> None:
    config = KbConfig()
    paths = ("topics/ops/index.md", "topics/ops/README.md", "topics/ops/Index.md", "topics/ops/readme.md",
             "topics/index.md", "topics/ops/runbook.md", "topics/ops/deep/index.md", "guides/ops/index.md")
    assert [kind_of(p, config) for p in paths] == [
        Kind.TOPIC, Kind.TOPIC, Kind.ARTICLE, Kind.ARTICLE, Kind.ARTICLE, Kind.ARTICLE, Kind.ARTICLE, Kind.ARTICLE]
    topic, problems = parse("topics/ops/index.md", "# Ops notes\n\nHow we run things.\n")
    assert problems == [] and isinstance(topic, TopicDescription)
    assert (topic.slug, topic.title, topic.summary) == ("ops", "Ops notes", "How we run things.")


def test_person_without_name_falls_back_to_id() -> None:
    person, _ = parse("people/jo.md", "Bio.\n")
    assert person.title == "jo"


@pytest.mark.parametrize(("value", "days"), [(30, 30), ("90 days", 90), ("2 weeks", 14), ("6 months", 180), ("1 year", 365), ("1Y", 365)])
def test_durations(value: object, days: int) -> None:
    assert duration_days(value) == days


@pytest.mark.parametrize("value", [0, -3, "0 days", "soon", True, 1.5, None])
def test_bad_durations(value: object) -> None:
    with pytest.raises(Invalid):
        duration_days(value)


def test_title_from_path() -> None:
    assert title_from_path("guides/how_to-ship.md") == "How to ship"


def test_a_flood_of_unknown_keys_is_counted_not_listed() -> None:
    keys = "\n".join(f"key{n}: {n}" for n in range(500))
    _, problems = parse("x.md", f"---\n{keys}\n---\n")
    assert len(problems) == 11
    assert problems[-1].format() == (
        "content/x.md:501:1: warning: 490 more unknown front matter keys, down to 'key499' [frontmatter.unknown-key]")


def test_yaml_11_yes_and_no_are_text_where_a_key_takes_text() -> None:
    """PyYAML reads YAML 1.1, where a bare yes, no, on or off is true or false; Obsidian and Hugo
    read YAML 1.2, where they are words. A key that takes text gets the word as written; a key
    that takes true or false keeps YAML 1.1's reading, as MkDocs has it."""
    page, problems = parse(
        "a/x.md", "---\ntitle: Yes\naliases: [Yes, No, 'on']\ntags:\n  - ON\n  - ops\nlang: no\ndraft: no\n---\nBody.\n")
    # (Norwegian is read, and the default search does not read it: a warning, not a type error.)
    assert [d.code for d in problems] == ["search.lang"]
    assert (page.title, page.aliases, page.tags, page.lang) == ("Yes", ("Yes", "No", "on"), ("ON", "ops"), "no")
    assert not page.draft
    assert page.meta["aliases"] == ["Yes", "No", "on"] and page.meta["draft"] is False
    held, _ = parse("a/y.md", "---\ndraft: yes\ntags: [Off]\n---\nBody.\n")
    assert held.draft and held.tags == ("Off",)
    # true and false are true and false in either version: still not text.
    _, problems = parse("a/z.md", "---\naliases: [true]\n---\nBody.\n")
    assert [(d.line, d.code) for d in problems] == [(2, "frontmatter.type")]
