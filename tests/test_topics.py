from __future__ import annotations

import json

import pytest

from kb.analyse.topics import build_topics, folder_tags, folder_title, normalize_tag, slugify, uses_folder_topics
from kb.config import KbConfig
from kb.read.collect import Source
from kb.read.parse import parse_source


@pytest.mark.parametrize(
    ("tag", "key"),
    [("Kubernetes", "kubernetes"), ("  kubernetes ", "kubernetes"), ("Remote_Work", "remote work"),
     ("remote-work", "remote work"), ("Cafe\u0301", "caf\u00e9"), ("STRASSE", "strasse")],
)
def test_normalize_tag(tag: str, key: str) -> None:
    assert normalize_tag(tag) == key


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Kubernetes", "kubernetes"), ("c", "c"), ("c++", "c-plus-plus"), ("c#", "c-sharp"), ("Remote work", "remote-work"),
     ("日本語", "日本語"), ("Ünïcödé", "ünïcödé"), ("../../etc", "etc"), ("a/b", "a-b"), ("<script>", "script"), (".", None), ("🚀", None)],
)
def test_slugify(name: str, slug: str | None) -> None:
    result = slugify(name)
    assert result and "/" not in result and ".." not in result and "<" not in result
    if slug is None:
        assert result.startswith("topic-") and result == slugify(name)
    else:
        assert result == slug


def article(path: str, tags: list[str]):
    page, _ = parse_source(Source(path, path, f"---\ntags: {json.dumps(tags)}\n---\n"), KbConfig())
    return page


def description(slug: str, front: str):
    page, _ = parse_source(Source(f"topics/{slug}.md", f"topics/{slug}.md", f"---\n{front}\n---\n"), KbConfig())
    return page


def test_tags_resolve_through_the_registry() -> None:
    registry = [description("kubernetes", "title: Kubernetes\naliases: [k8s]"), description("ops", "title: Operations")]
    articles = [article("a.md", ["K8s", "kubernetes ", "Operations"]), article("b.md", ["ops", "Brand New"]), article("c.md", ["brand-new"])]
    taxonomy, problems = build_topics(articles, registry)
    topics, per_article = taxonomy.topics, taxonomy.article_topics
    assert problems == []
    assert per_article == {"a.md": ("kubernetes", "ops"), "b.md": ("ops", "brand-new"), "c.md": ("brand-new",)}
    assert {slug: (t.name, t.articles) for slug, t in topics.items()} == {
        "brand-new": ("Brand New", ("b.md", "c.md")),
        "kubernetes": ("Kubernetes", ("a.md",)),
        "ops": ("Operations", ("a.md", "b.md")),
    }


def test_tags_that_slugify_alike_get_separate_pages() -> None:
    taxonomy, _ = build_topics([article("a.md", ["c", "c++", "c#", "C"])], [])
    topics, per_article = taxonomy.topics, taxonomy.article_topics
    assert sorted(topics) == ["c", "c-plus-plus", "c-sharp"]
    assert len(set(per_article["a.md"])) == 3


def test_a_tag_named_index_does_not_take_the_topic_index() -> None:
    taxonomy, _ = build_topics([article("a.md", ["Index"])], [])
    [slug] = taxonomy.topics
    assert slug.startswith("index-")


def test_parents_and_their_problems() -> None:
    registry = [description("k8s", "parent: ops"), description("ops", ""), description("lost", "parent: nowhere")]
    taxonomy, problems = build_topics([], registry)
    topics = taxonomy.topics
    assert topics["k8s"].parent == "ops"
    assert topics["lost"].parent is None
    assert [d.format() for d in problems] == [
        "topics/lost.md:2:1: warning: parent topic 'nowhere' has no page in the topics folder [topic.unknown-parent]"]


def test_slugs_do_not_depend_on_the_order_of_pages() -> None:
    forward, _ = build_topics([article("a.md", ["c++"]), article("b.md", ["C  ++"])], [])
    backward, _ = build_topics([article("b.md", ["C  ++"]), article("a.md", ["c++"])], [])
    assert forward.topics.keys() == backward.topics.keys()


@pytest.mark.parametrize(
    "tag",
    ["../../etc/passwd", "/", ".", "..", "<script>alert(1)</script>", "a/b", "🚀", "日本語", "CON", "x" * 300, "   "],
)
def test_hostile_tags_get_safe_pages(tag: str) -> None:
    taxonomy, _ = build_topics([article("a.md", [tag, "ok"])], [])
    for slug in taxonomy.topics:
        assert slug and "/" not in slug and slug not in (".", "..") and "<" not in slug


def test_generated_topics_avoid_taken_slugs_and_registered_ones() -> None:
    registry = [description("ops", "title: Operations")]
    taxonomy, _ = build_topics([article("a.md", ["guides", "OPS!"])], registry, taken=frozenset({"guides"}))
    assert len(taxonomy.topics) == 3
    assert "guides" not in taxonomy.topics and any(slug.startswith("guides-") for slug in taxonomy.topics)
    assert taxonomy.topics["ops"].description is not None and any(slug.startswith("ops-") for slug in taxonomy.topics)




def test_a_topic_folders_index_page_is_the_topics_page(tmp_path) -> None:
    from kb.analyse.knowledge import build_knowledge_base
    from kb.render.generate import plan_site

    for path, text in {"deploy.md": "---\ntags: [ops, k8s]\n---\n# Deploying\n", "topics/ops/index.md": "# Ops notes\n",
                       "topics/k8s/README.md": "# Kubernetes\n", "topics/ops/runbook.md": "# Runbook\n"}.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    kb = build_knowledge_base(tmp_path)
    assert kb.diagnostics == []
    assert sorted(kb.topics) == ["k8s", "ops"]
    assert (kb.topics["ops"].name, kb.topics["ops"].articles) == ("Ops notes", ("deploy.md",))
    assert kb.topic_path("ops") == "topics/ops/index.md" and kb.topic_path("k8s") == "topics/k8s/README.md"
    plan = plan_site(kb, "Wiki", frozenset(kb.published_paths))
    assert [page.path for page in plan.pages if page.kind == "topic"] == []
    assert plan.special["topics/ops/index.md"] == plan.special["topics/k8s/README.md"] == "topic"


def test_parent_cycles_are_reported_and_broken() -> None:
    registry = [description("a", "parent: b"), description("b", "parent: a")]
    taxonomy, problems = build_topics([], registry)
    assert [d.code for d in problems] == ["topic.parent-cycle"]
    assert sum(1 for t in taxonomy.topics.values() if t.parent) == 1


def test_near_duplicate_tags_get_a_suggestion() -> None:
    registry = [description("kubernetes", "title: Kubernetes")]
    articles = [article("a.md", ["kubernets"]), article("b.md", ["runbook"]), article("c.md", ["runbooks"]),
                article("d.md", ["runbooks"]), article("e.md", ["Kubernetes ", "KUBERNETES"])]
    _, problems = build_topics(articles, registry)
    assert [(d.path, d.code, d.message) for d in problems] == [
        ("a.md", "topic.near-duplicate", "tag 'kubernets' looks like the topic 'Kubernetes'; did you mean 'Kubernetes'?"),
        ("b.md", "topic.near-duplicate", "tag 'runbook' looks like the topic 'runbooks'; did you mean 'runbooks'?"),
    ]


def test_closed_vocabulary_makes_unregistered_tags_errors() -> None:
    registry = [description("kubernetes", "title: Kubernetes\naliases: [k8s]")]
    taxonomy, problems = build_topics([article("a.md", ["k8s", "kubernets", "brand new"])], registry, closed=True)
    assert [d.message for d in problems] == [
        "tag 'kubernets' is not a registered topic; add topics/kubernets.md or use a registered one; did you mean 'Kubernetes'?",
        "tag 'brand new' is not a registered topic; add topics/brand-new.md or use a registered one",
    ]
    assert all(d.severity.value == "error" for d in problems)
    assert "brand-new" in taxonomy.topics  # reported, and still not lost


def test_related_topics_by_co_occurrence() -> None:
    articles = [article("a.md", ["x", "y", "z"]), article("b.md", ["x", "y"]), article("c.md", ["x", "w"])]
    taxonomy, _ = build_topics(articles, [])
    assert taxonomy.related["x"] == ("y", "w", "z")
    assert taxonomy.related["w"] == ("x",)


def test_a_long_tag_gets_a_slug_every_file_system_accepts() -> None:
    from kb.analyse.topics import SLUG_MAX_BYTES, slugify

    long_name, other = "x" * 300, "x" * 299 + "y"
    assert len(slugify(long_name).encode()) <= SLUG_MAX_BYTES
    assert slugify(long_name) == slugify(long_name)  # stable: the same tag, the same URL
    assert slugify(long_name) != slugify(other)
    cjk = slugify("東京" * 100)
    assert len(cjk.encode()) <= SLUG_MAX_BYTES and cjk.startswith("東京東京")
    assert slugify("short name") == "short-name"


@pytest.mark.parametrize(("folder", "title"), [
    ("getting-started", "Getting started"), ("core_plugins", "Core plugins"), ("Obsidian Publish", "Obsidian Publish"),
    ("API", "API"), ("docs", "Docs")])
def test_a_folder_is_titled_as_mkdocs_titles_it_in_the_navigation(folder: str, title: str) -> None:
    assert folder_title(folder) == title


def test_folder_tags_are_the_first_two_folders() -> None:
    assert folder_tags(["a.md", "guides/b.md", "guides/ops/deep/c.md"]) == {
        "guides/b.md": ("Guides",), "guides/ops/deep/c.md": ("Guides", "Ops")}


@pytest.mark.parametrize(("tagged", "pages", "setting", "on"), [
    (0, 10, None, True), (1, 11, None, True),  # fewer than a tenth of the pages have tags
    (1, 10, None, False), (5, 10, None, False), (0, 0, None, False),
    (5, 10, True, True), (0, 10, False, False)])
def test_folder_topics_are_on_when_few_pages_have_tags(tagged: int, pages: int, setting: bool | None, on: bool) -> None:
    articles = [article(f"f/{n}.md", ["x"] if n < tagged else []) for n in range(pages)]
    assert uses_folder_topics(setting, articles) is on


def test_folders_become_topics_with_subtopics_and_join_tags_and_topic_pages() -> None:
    registry = [description("operations", "title: Operations\naliases: [ops]")]
    articles = [article("guides/a.md", []), article("guides/ops/b.md", ["runbooks"]), article("guides/setup/c.md", []),
                article("tools/setup/d.md", []), article("tools/e.md", ["Guides"]), article("top.md", [])]
    taxonomy, problems = build_topics(articles, registry, folders=folder_tags(a.path for a in articles))
    assert problems == []
    topics = {slug: (t.name, t.parent, t.articles) for slug, t in taxonomy.topics.items()}
    assert topics == {
        # The tag "Guides" on tools/e.md is the folder's topic.
        "guides": ("Guides", None, ("guides/a.md", "guides/ops/b.md", "guides/setup/c.md", "tools/e.md")),
        # A folder named as a topic page's alias is that topic: its page says where it belongs.
        "operations": ("Operations", None, ("guides/ops/b.md",)),
        "runbooks": ("runbooks", None, ("guides/ops/b.md",)),
        # In two top-level folders: one topic, under neither.
        "setup": ("Setup", None, ("guides/setup/c.md", "tools/setup/d.md")),
        "tools": ("Tools", None, ("tools/e.md", "tools/setup/d.md")),
    }
    assert taxonomy.article_topics["guides/ops/b.md"] == ("runbooks", "guides", "operations")
    assert taxonomy.article_topics["top.md"] == ()


def test_a_subfolder_is_a_subtopic_and_not_a_related_topic() -> None:
    articles = [article("guides/ops/a.md", []), article("guides/ops/b.md", ["deploys"])]
    taxonomy, _ = build_topics(articles, [], folders=folder_tags(a.path for a in articles))
    assert taxonomy.topics["ops"].parent == "guides"
    assert taxonomy.related == {"deploys": ("guides", "ops"), "guides": ("deploys",), "ops": ("deploys",)}


def test_a_folder_topic_is_never_reported_as_a_tag() -> None:
    articles = [article("Kubernetes/a.md", []), article("Kubernetes/c.md", []), article("b.md", ["kubernetess"])]
    registry = [description("ops", "title: Operations")]
    _, problems = build_topics(articles, registry, closed=True, folders=folder_tags(a.path for a in articles))
    assert [(p.path, p.code) for p in problems] == [("b.md", "topic.unregistered")]
    assert "did you mean 'Kubernetes'" in problems[0].message


@pytest.mark.parametrize(("written", "setting"), [("auto", None), (True, True), (False, False)])
def test_the_folder_topics_option(written: object, setting: bool | None) -> None:
    assert KbConfig.from_options({"folder_topics": written}).folder_topics is setting
    assert KbConfig.from_options({}).folder_topics is None


def test_a_wrong_folder_topics_option_is_refused() -> None:
    with pytest.raises(ValueError, match="folder_topics: 'sometimes' is not one of auto, true, false"):
        KbConfig.from_options({"folder_topics": "sometimes"})
