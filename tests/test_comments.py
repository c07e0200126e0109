"""Obsidian's `%%comments%%`: hidden from the page as Obsidian hides them, with every line and
column kb reports after them where the author wrote it, and `%%` in code left as text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.read.body import scan_body
from kb.read.comments import hide_comments


@pytest.mark.parametrize(
    ("body", "hidden"),
    [
        ("Visible. %% a private note %%\n\nNext.", "Visible.\n\nNext."),
        ("%%\nA block that links to [[plan]].\n%%\nAfter.", "\n\n\nAfter."),
        ("a %%x%% b %%y%% c", "a       b       c"),
        ("%% note %% text", "text"),
        ("- item %% why %%\n  %% more %% continued", "- item\n  continued"),
        ("Keep `%%` and `a %% b` as code.", "Keep `%%` and `a %% b` as code."),
        ("```\n%% shell prompt\n```\n", "```\n%% shell prompt\n```\n"),
        ("No comment here: 100% sure.", "No comment here: 100% sure."),
    ],
)
def test_comments_are_hidden_and_code_is_left_as_written(body: str, hidden: str) -> None:
    assert hide_comments(body, 1) == (hidden, [])


def test_a_comment_never_closed_hides_the_rest_and_is_reported_where_it_opens() -> None:
    body, [problem] = hide_comments("Shown.\n\nAlso shown %% but not this\nnor this.\n", 7)
    assert body == "Shown.\n\nAlso shown\n\n"
    assert (problem.line, problem.col, problem.code) == (9, 12, "comment.unclosed")


@pytest.mark.parametrize(
    "body",
    [
        "%%\nOld example:\n```\n%%\n\nVisible %%SECRET%% text.\n\nMore %%SECRET [[Nowhere]]%% text.\n",
        "%%\n<script>\n%%\n\nVisible %%SECRET [[Nowhere]]%% text.\n",
    ],
)
def test_a_fence_or_script_inside_a_comment_is_hidden_with_it(body: str) -> None:
    """What the comment holds is no code to the renderer once the comment is gone, so the
    comments after it are comments."""
    hidden, problems = hide_comments(body, 1)
    assert "SECRET" not in hidden and "Nowhere" not in hidden and problems == []
    assert "Visible" in hidden


def test_the_comment_left_open_is_reported_where_it_opens_after_one_that_closes() -> None:
    _, [problem] = hide_comments("x\n%%\nh\n%% shown %%reopened\n", 13)
    assert (problem.line, problem.col) == (16, 10)


def test_many_comments_and_code_spans_on_one_line_cost_little() -> None:
    # Each `%%` looked at the rest of the line again: 100 KB of this took a minute.
    hidden, _ = hide_comments("`x` %%a%% " * 10000, 1)
    assert hidden.count("`x`") == 10000 and "a" not in hidden.replace("`x`", "")


def test_links_after_a_comment_keep_their_columns_and_links_inside_are_gone() -> None:
    body, _ = hide_comments("See %% [[hidden]] %% [[shown]].\n", 3)
    [link] = scan_body(body, 3)[1]
    assert (link.target, link.line, link.col) == ("shown", 3, 22)


@given(st.lists(st.sampled_from(["%%", "%", "`", "a", " ", "\n", "```\n", "[[x]]", "    ", "**"]), max_size=40))
def test_hiding_keeps_every_line_and_leaves_no_comment_outside_code(pieces: list[str]) -> None:
    text = "".join(pieces)
    hidden, _ = hide_comments(text, 1)
    assert hidden.count("\n") == text.count("\n")
    # A `%%` still there is in code: hiding again finds nothing more to hide.
    assert hide_comments(hidden, 1)[0] == hidden
