"""The example wiki in content/ is the demo a newcomer builds first and the contributors' guide:
it must build with --strict, pass `kb check --strict`, and be a real knowledge base. Like
`make site`, the tests build it with its generated history (tests/test_demo_history.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.analyse.knowledge import build_knowledge_base
from kb.model import PageType, Status

from conftest import REPOSITORY, Built, demo_env, kb_cli


@pytest.fixture(scope="module")
def example():
    return build_knowledge_base(REPOSITORY / "content")


def test_kb_check_is_clean(demo_history: Path) -> None:
    done = kb_cli(REPOSITORY, "check", "--strict", **demo_env(demo_history))
    assert (done.returncode, done.stdout) == (0, "")


def test_it_is_a_real_knowledge_base(example) -> None:
    articles = list(example.articles.values())
    assert len(articles) >= 40
    assert len(example.people) >= 8
    assert len(example.topics) >= 8
    assert len(example.topic_pages) >= 5
    assert {a.status for a in articles} >= {Status.PUBLISHED, Status.VERIFIED, Status.BEST_PRACTICE}
    assert all(a.reviewed_by and a.reviewed_on for a in articles if a.status.is_vetted)
    questions = [a for a in articles if a.type is PageType.QUESTION]
    assert any(q.answered for q in questions) and any(not q.answered for q in questions)
    assert any(a.type is PageType.COMMUNITY and a.members for a in articles)
    assert any(a.type is PageType.HOW_TO for a in articles)
    assert len(example.withheld) >= 2  # drafts, kept out of the site
    assert sum(len(a.links) for a in articles) >= 80
    assert all(example.owned.get(person_id) for person_id in example.people)
    assert any(t.parent for t in example.topics.values())
    guide = {a.path for a in articles if "kb" in example.article_topics[a.path]}
    assert {"kb/writing-a-page.md", "kb/front-matter-reference.md", "kb/how-review-works.md"} <= guide


def test_it_builds_strict_without_drafts(demo_site: Built, example) -> None:
    site = demo_site.site
    for path in example.articles:
        url = path[: -len(".md")]
        url = url[: -len("index")] if url.endswith("index") else url + "/"
        assert (site / url / "index.html").is_file(), path
    for path in example.withheld:
        assert not (site / path[: -len(".md")]).exists(), path
    assert "kb-header" in (site / "kb" / "writing-a-page" / "index.html").read_text(encoding="utf-8")
