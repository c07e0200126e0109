"""Telling held-back pages' text in what another plugin made of a page (kb.read.withheld_text)."""

from __future__ import annotations

from kb.read.withheld_text import WithheldText

_DRAFT = ("---\ntitle: A draft of the plan\ntags: [first]\n---\nPublished paragraph, shared.\n\nShort.\n\n"
          "  Only the draft says this.  \nAnd this, also the draft alone.\n")


def test_two_lines_only_a_held_back_page_has_are_found_with_its_page() -> None:
    text = WithheldText(["---\ntags: [first]\n---\nPublished paragraph, shared.\n"], {"draft.md": _DRAFT})
    assert text.first_in("Intro.\n\nPublished paragraph, shared.\nShort.\ntags: [first]\n") is None
    # One line a draft shares with boilerplate from elsewhere is not an include of it.
    assert text.first_in("Intro.\n\nOnly the draft says this.\n") is None
    assert text.first_in("Intro.\n\n> Only the draft says this.\n> And this, also the draft alone.\n") is None
    assert text.first_in("Intro.\n\nOnly the draft says this.\nx\nAnd this, also the draft alone.\n") == ([3, 5], "draft.md")
    # Front matter is copied by an include too, and its title says what the draft is.
    assert text.first_in("title: A draft of the plan\n\nOnly the draft says this.\n") == ([1, 3], "draft.md")


def test_a_held_back_page_with_one_line_of_its_own_is_found_by_that_line() -> None:
    text = WithheldText([], {"broken.md": "---\ntitle: [never closed\n"})
    assert text.first_in("x\n  title: [never closed\n") == ([2], "broken.md")


def test_nothing_held_back_finds_nothing() -> None:
    assert WithheldText(["a"], {}).first_in("Anything at all, however long.\n") is None
