"""Telling held-back pages' text in what another plugin made of a page (kb.read.withheld_text)."""

from __future__ import annotations

from kb.read.withheld_text import WithheldText


def test_a_line_only_a_held_back_page_has_is_found_with_its_page() -> None:
    text = WithheldText(["Published paragraph, shared.\n"],
                        {"draft.md": "---\ntitle: A draft\ntags: [first]\n---\nPublished paragraph, shared.\n\n"
                                     "Short.\n\n  Only the draft says this.  \n"})
    assert text.first_in("Intro.\n\nPublished paragraph, shared.\n") is None
    assert text.first_in("Intro.\nShort.\ntags: [first]\ntitle: A draft\n") is None
    assert text.first_in("Intro.\n\n> Only the draft says this.\n") is None  # not the line as written
    assert text.first_in("Intro.\n\nOnly the draft says this.\n") == (3, "draft.md")


def test_a_page_whose_front_matter_never_ends_is_read_whole() -> None:
    text = WithheldText([], {"broken.md": "---\ntitle: never closed\nBody of a broken page.\n"})
    assert text.first_in("x\ntitle: never closed\n") == (2, "broken.md")


def test_nothing_held_back_finds_nothing() -> None:
    assert WithheldText(["a"], {}).first_in("Anything at all, however long.\n") is None
