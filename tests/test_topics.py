from __future__ import annotations

import pytest

from kb.collect import Source
from kb.config import KbConfig
from kb.parse import parse_source
from kb.topics import build_topics, normalize_tag, slugify


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
    page, _ = parse_source(Source(path, path, f"---\ntags: {tags!r}\n---\n"), KbConfig())
    return page


def description(slug: str, front: str):
    page, _ = parse_source(Source(f"topics/{slug}.md", f"topics/{slug}.md", f"---\n{front}\n---\n"), KbConfig())
    return page


def test_tags_resolve_through_the_registry() -> None:
    registry = [description("kubernetes", "title: Kubernetes\naliases: [k8s]"), description("ops", "title: Operations")]
    articles = [article("a.md", ["K8s", "kubernetes ", "Operations"]), article("b.md", ["ops", "Brand New"]), article("c.md", ["brand-new"])]
    topics, per_article, problems = build_topics(articles, registry)
    assert problems == []
    assert per_article == {"a.md": ("kubernetes", "ops"), "b.md": ("ops", "brand-new"), "c.md": ("brand-new",)}
    assert {slug: (t.name, t.articles) for slug, t in topics.items()} == {
        "brand-new": ("Brand New", ("b.md", "c.md")),
        "kubernetes": ("Kubernetes", ("a.md",)),
        "ops": ("Operations", ("a.md", "b.md")),
    }


def test_tags_that_slugify_alike_get_separate_pages() -> None:
    topics, per_article, _ = build_topics([article("a.md", ["c", "c++", "c#", "C"])], [])
    assert len(topics) == 3
    assert len(set(per_article["a.md"])) == 3


def test_a_tag_named_index_does_not_take_the_topic_index() -> None:
    topics, _, _ = build_topics([article("a.md", ["Index"])], [])
    [slug] = topics
    assert slug.startswith("index-")


def test_parents_and_their_problems() -> None:
    registry = [description("k8s", "parent: ops"), description("ops", ""), description("lost", "parent: nowhere")]
    topics, _, problems = build_topics([], registry)
    assert topics["k8s"].parent == "ops"
    assert topics["lost"].parent is None
    assert [d.format() for d in problems] == [
        "topics/lost.md:2:1: warning: parent topic 'nowhere' has no page in the topics folder [topic.unknown-parent]"]
