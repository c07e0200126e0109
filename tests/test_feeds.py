"""Atom feeds stay well-formed XML whatever a title or a commit subject holds."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kb.analyse.knowledge import build_knowledge_base
from kb.read.history import Change, ChangeEntry, History, PendingHistory, recent_entries
from kb.render.feeds import emit_feeds, xml_text

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
