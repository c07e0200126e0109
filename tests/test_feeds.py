"""Atom feeds stay well-formed XML whatever a title or a commit subject holds."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

from kb.analyse.knowledge import build_knowledge_base
from kb.read.history import PendingHistory
from kb.render.feeds import emit_feeds, xml_text

from conftest import commit_files


def test_characters_xml_cannot_hold_are_replaced() -> None:
    assert xml_text("a\x00b\x0bc\x1fd\ufffee\tf\ng") == "a\ufffdb\ufffdc\ufffdd\ufffde\tf\ng"


def test_a_feed_with_control_characters_in_titles_and_subjects_parses(tmp_path: Path) -> None:
    commit_files(tmp_path, {"a.md": '---\ntitle: "Bell \\a and \\x0b tab"\ntags: [ops]\n---\nText.\n'},
                 "Subject with \x01 control", ("Ann", "ann@example.com"), "2026-01-01T00:00:00Z")
    kb = build_knowledge_base(tmp_path, history=PendingHistory(tmp_path))
    feeds, _ = emit_feeds(kb, "Wiki \x02", "https://wiki.example.com/")
    assert sorted(feeds) == ["feed.xml", "feeds/ops.xml"]
    for data in feeds.values():
        root = etree.fromstring(data)
        titles = [node.text for node in root.iter("{http://www.w3.org/2005/Atom}title")]
        assert any("Bell" in (title or "") for title in titles)
