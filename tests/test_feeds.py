"""Atom feeds stay well-formed XML whatever a title or a commit subject holds."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.analyse.knowledge import KnowledgeBase, build_knowledge_base
from kb.read.history import Change, ChangeEntry, History, PendingHistory, recent_entries
from kb.render.feeds import ATOM, emit_feeds, render_feed, xml_text

from conftest import commit_files


def test_characters_xml_cannot_hold_are_replaced() -> None:
    assert xml_text("a\x00b\x0bc\x1fd\ufffee\tf\ng") == "a\ufffdb\ufffdc\ufffdd\ufffde\tf\ng"


def test_a_feed_with_control_characters_in_titles_and_subjects_parses(tmp_path: Path) -> None:
    commit_files(tmp_path, {"a.md": '---\ntitle: "Bell \\a and \\x0b tab"\ntags: [ops]\n---\nText.\n'},
                 "Subject with \x01 control", ("Ann", "ann@example.com"), "2026-01-01T00:00:00Z")
    kb = build_knowledge_base(tmp_path, history=PendingHistory(tmp_path))
    feeds = emit_feeds(kb, "Wiki \x02", "https://wiki.example.com/")
    assert sorted(feeds) == ["feed.xml", "feeds/ops.xml"]
    for data in feeds.values():
        root = etree.fromstring(data)
        titles = [node.text for node in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert any("Bell" in (title or "") for title in titles)


_changes = st.lists(st.tuples(st.integers(0, 5), st.sampled_from("abc")), max_size=6)


@given(st.dictionaries(st.sampled_from(["a.md", "b.md", "c/d.md", "e.md"]), _changes), st.integers(1, 8))
def test_recent_entries_are_the_newest_changes_of_all_pages_in_order(found: dict[str, list[tuple[int, str]]],
                                                                      limit: int) -> None:
    """The newest `limit` changes, as sorting every page's changes would give them: newest
    first, then by path and commit; a page's oldest change is its creation."""
    files = {path: tuple(Change(f"{commit}{n}", "Ann", "ann@x", stamp, "s", 1, 0)
                         for n, (stamp, commit) in enumerate(sorted(changes, reverse=True)))
             for path, changes in found.items()}
    history = History("ok", files)
    expected = sorted((ChangeEntry(change, path, index == len(changes) - 1)
                       for path, changes in files.items() for index, change in enumerate(changes[:limit])),
                      key=lambda entry: (-entry.change.timestamp, entry.path, entry.change.commit))[:limit]
    assert recent_entries(history, sorted(files), limit) == expected
    assert recent_entries(History(), sorted(files), limit) == []


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeBase, list[ChangeEntry]]:
    root = tmp_path_factory.mktemp("feed")
    commit_files(root, {"a.md": "---\ntitle: A & <b>\ntags: [ops]\n---\nText.\n"}, "Subject\r\nwith a CR",
                 ("Ann", "ann@example.com"), "2026-01-01T00:00:00Z")
    kb = build_knowledge_base(root, history=PendingHistory(root))
    return kb, recent_entries(kb.history, list(kb.articles), 5)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(st.text(), st.text(alphabet=st.characters(exclude_characters="[]")))
def test_a_feed_parses_and_keeps_its_title_and_links_whatever_they_hold(
        committed: tuple[KnowledgeBase, list[ChangeEntry]], title: str, host: str) -> None:
    """Any title and any site address (a control character, a lone surrogate, a carriage return)
    give a feed a parser reads, with the title as xml_text leaves it."""
    kb, entries = committed
    root = etree.fromstring(render_feed(kb, title, entries, f"https://{host}/", "feed.xml"))
    assert (root.findtext(f"{{{ATOM}}}title") or "") == xml_text(title)
    links = [link.get("href") for link in root.iter(f"{{{ATOM}}}link")]
    assert len(links) == 3 and all(href and href.startswith("https://") for href in links)
    [entry] = root.iter(f"{{{ATOM}}}entry")
    assert entry.findtext(f"{{{ATOM}}}title") == "New page: A & <b>"
