from __future__ import annotations

import datetime as dt

import pytest

from kb.metadata import read_front_matter


def test_reads_header_body_and_key_lines() -> None:
    header = read_front_matter("---\ntitle: Deploy\ntags:\n  - ops\nreviewed_on: 2026-01-02\n---\nBody\n")
    assert header.error is None
    assert header.data == {"title": "Deploy", "tags": ["ops"], "reviewed_on": dt.date(2026, 1, 2)}
    assert header.key_lines == {"title": 2, "tags": 3, "reviewed_on": 5}
    assert (header.body, header.body_line) == ("Body\n", 7)


def test_no_header_is_all_body() -> None:
    header = read_front_matter("# Title\n\ntext\n")
    assert (header.data, header.body, header.body_line, header.error) == ({}, "# Title\n\ntext\n", 1, None)


def test_empty_header_is_an_empty_mapping() -> None:
    header = read_front_matter("---\n---\ntext\n")
    assert (header.data, header.body, header.body_line, header.error) == ({}, "text\n", 3, None)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\ntitle: a\ntitle: b\n---\n", 3, "duplicate key 'title'"),
        ("---\nowners:\n  x: 1\n  x: 2\n---\n", 4, "duplicate key 'x'"),
        ("---\n- a\n- b\n---\n", 2, "the front matter is a list"),
        ("---\njust text\n---\n", 2, "the front matter is a single value"),
        ("---\ntitle: [a\n---\n", 3, "did not find expected"),
        ("---\ntitle: a\n\nbody without a closing line\n", 1, "never closed"),
        ("---\ntitle: \"open\n---\n", 3, "found unexpected end of stream"),
        ("---\n? [a, b]\n: c\n---\n", 2, "a key must be a plain value"),
        ("---\nx: !!python/object:os.system echo\n---\n", 2, "could not determine a constructor"),
    ],
)
def test_unreadable_headers_report_their_line(text: str, line: int, message: str) -> None:
    header = read_front_matter(text)
    assert header.error is not None
    assert header.data == {}
    assert header.error.line == line
    assert message in header.error.message


def test_non_string_keys_become_names() -> None:
    assert read_front_matter("---\n1: one\n---\n").data == {"1": "one"}
