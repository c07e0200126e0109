from __future__ import annotations

import time

import pytest

from kb.read.metadata import MAX_DEPTH, multimarkdown_header, read_front_matter


def test_reads_header_body_and_key_lines() -> None:
    header = read_front_matter("---\ntitle: Deploy\ntags:\n  - ops\nreviewed_on: 2026-01-02\n---\nBody\n")
    assert header.error is None
    # Dates stay text until the schema reads them: YAML's own date constructor raises on 2024-02-30.
    assert header.data == {"title": "Deploy", "tags": ["ops"], "reviewed_on": "2026-01-02"}
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
        ("---\ntitle: ok\nbase: &b {x: 1}\n---\n", 3, "anchors and aliases (&b) are not allowed"),
        ("---\ntags: [a]\nx: *b\n---\n", 3, "anchors and aliases (*b) are not allowed"),
        ("---\nx: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n---\n", 2, f"nested deeper than {MAX_DEPTH} levels"),
        ("---\n? " + "[" * 200 + "]" * 200 + "\n: x\n---\n", 2, "nested deeper than"),
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


def test_dates_that_do_not_exist_are_text_not_a_crash() -> None:
    header = read_front_matter("---\nreviewed_on: 2024-02-30\nwhen: 2023-13-01 10:00:00\n---\n")
    assert header.error is None
    assert header.data == {"reviewed_on": "2024-02-30", "when": "2023-13-01 10:00:00"}


def test_a_billion_laughs_is_refused_at_once() -> None:
    lines = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]" for n in range(9)]
    started = time.perf_counter()
    header = read_front_matter("\n".join([*lines, "---", "body"]))
    assert time.perf_counter() - started < 5  # a hang detector, not a speed test
    assert header.error is not None and header.data == {}
    assert header.error.line == 2
    assert "anchors and aliases (&a) are not allowed" in header.error.message


def test_yaml_document_end_closes_the_header_as_in_mkdocs() -> None:
    header = read_front_matter("---\ntitle: T\n...\nBody\n")
    assert (header.error, header.data, header.body) == (None, {"title": "T"}, "Body\n")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("\n---\nstatus: draft\n---\nSecret\n", 2, "must start on the first line, not line 2"),
        ("<!-- notes -->\n---\ntitle: x\n---\n", 2, "must start on the first line"),
        ("<!--\nlong\ncomment\n-->\n\n---\ndraft: true\n---\n", 6, "must start on the first line"),
        ("+++\ntitle = 'x'\ndraft = true\n+++\nBody\n", 1, "TOML front matter"),
        ("{\n  \"title\": \"x\",\n  \"draft\": true\n}\nBody\n", 1, "JSON front matter"),
        ("{\"title\": \"x\", \"draft\": true}\nBody\n", 1, "JSON front matter"),
        ("{\n\"title\": \"x\", \"draft\": true}\nBody\n", 1, "JSON front matter"),
        ("+++\ndraft = true\nnever closed\n", 1, "TOML front matter"),
        (" ---\ndraft: true\n---\nBody\n", 1, "a line of exactly '---'"),
        ("\u200b---\ndraft: true\n---\nBody\n", 1, "a line of exactly '---'"),
        ("----\ndraft: true\n----\nBody\n", 1, "a line of exactly '---'"),
        ("\u200b\n---\ndraft: true\n---\nBody\n", 2, "must start on the first line, not line 2"),
        ("---\ntitle: x\n...\nstatus: draft\n---\nBody\n", 4, "ends with '...' on line 3"),
        ("---\n...\ntitle: x\ndraft: true\n---\nBody\n", 3, "up to the '---' on line 5"),
        ("---\ntitle: x\n...\ntags: [a]\n\n? [a, b]\n: complex\n# note\n---\nBody\n", 4, "up to the '---' on line 9"),
        ("---\n...\ntitle: x\n<<: {merged: 1}\n---\nBody\n", 3, "up to the '---' on line 5"),
        ("---\ntitle: x\n...\n# a comment\nlol0: &lol0 [a, b]\n---\nBody\n", 4, "up to the '---' on line 6"),
        ("---\n...\ntitle: x\nkeys: [a,\nb]\n---\nBody\n", 3, "up to the '---' on line 6"),
        ("---\n...\ntitle: x\nitems:\n" + "  - a\n" * 60 + "---\nBody\n", 3, "up to the '---' on line 65"),
        ("---\n...\ntitle: x\nitems:\n" + "  - " + "a" * 100_000 + "\n---\nBody\n", 3, "up to the '---' on line 6"),
        ("---\ntitle: a\n---\ndraft: true\n---\nbody MARKER\n", 4, "a second front matter block, from line 4 to line 5"),
        ("---\ntitle: a\n---\n---\ndraft: true\n---\nbody MARKER\n", 4, "from line 4 to line 6, follows the one that ends "
                                                                   "on line 3"),
        ("---\ntitle: a\n---\n\n\n---\ntags: [x]\nnotes: |\n  more\n...\nBody\n", 6, "from line 6 to line 10"),
        ("---\ntitle: a\n---\n\nStatus: draft\n---\nBody\n", 5, "a second front matter block"),
        ("---\ntitle: a\n---\nowner: x\nBuild:\n  render: never\n---\nBody\n", 4, "a second front matter block"),
        ("---\ntitle: a\n---\ndraft: true\nkeys: [a,\nb]\n---\nBody\n", 4, "from line 4 to line 7"),
        ("---\ntitle: a\n---\ndraft: true\ntags:\n" + "  - tag\n" * 100 + "---\nBody\n", 4, "to line 106"),
    ],
)
def test_a_header_in_the_wrong_place_or_form_is_an_error(text: str, line: int, words: str) -> None:
    header = read_front_matter(text)
    assert header.error is not None
    assert (header.error.line, header.error.code) == (line, "frontmatter.placement")
    assert words in header.error.message


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n\n---\n\nA rule, then text.\n",
        "\n---\n\nA rule after a blank line, then a paragraph.\n\n---\n",
        "Some text\n+++\n",
        "----\n\nA rule, then text.\n\n----\n",
        "{not json}\n",
        "---\ntitle: x\n...\nNote: a paragraph that starts like a key,\nand goes on as prose.\n\n---\n",
        "---\ntitle: x\n---\n---\n\nA rule right after the front matter, then text.\n",
        "---\ntitle: x\n---\nNote: a setext heading\n---\n\nText.\n",
        "---\ntitle: x\n---\n\nSee also: the guide,\nand the rest of it\n---\n",
        "---\ntitle: x\n---\n---\nJust a rule and a heading\n---\n",
    ],
)
def test_ordinary_markdown_is_not_mistaken_for_a_header(text: str) -> None:
    assert read_front_matter(text).error is None


def test_multimarkdown_lines_are_read_as_mkdocs_reads_them() -> None:
    text = "Title: Plans\nStatus: draft\n    continued\n\n# Body\n"
    assert multimarkdown_header(text) == [("title", "Plans", 1), ("status", "draft", 2)]
    assert multimarkdown_header("# Heading\nStatus: draft\n") == []


def test_keys_that_are_not_text_have_their_own_lines() -> None:
    header = read_front_matter("---\ntitle: T\nnull: a\ntrue: b\n1.5: c\n---\n")
    assert header.key_lines == {"title": 2, "null": 3, "true": 4, "1.5": 5}  # named as written
    assert list(header.data) == ["title", "null", "true", "1.5"]


def test_lines_are_counted_as_editors_count_them() -> None:
    """YAML also breaks lines at NEL and U+2028; a file's lines, and kb's messages, do not."""
    header = read_front_matter('---\ntitle: "a\x85b\u2028c"\nzzz: y\n---\n')
    assert header.key_lines == {"title": 2, "zzz": 3}
    header = read_front_matter('---\ntitle: "a\u2028b"\nzzz: y\nbad: @\n---\n')
    assert header.error is not None and (header.error.line, header.error.col) == (4, 6)


@pytest.mark.parametrize("text", ["---\n1: a\n'1': b\n---\n", "---\n~: a\nNone: b\n---\n", "---\ntrue: a\nTrue: b\n---\n"])
def test_two_keys_with_one_name_are_duplicates(text: str) -> None:
    header = read_front_matter(text)
    assert header.error is not None and "duplicate key" in header.error.message and header.error.line == 3


@pytest.mark.parametrize("value", ["!!bool maybe", "!!int abc", "!!float x", "1" * 5000])
def test_a_value_that_does_not_fit_its_tag_is_an_error_not_a_crash(value: str) -> None:
    header = read_front_matter(f"---\ntitle: T\nx: {value}\n---\n")
    assert header.error is not None and header.data == {}
    assert header.error.code == "frontmatter.yaml"


def test_a_long_misplaced_header_is_found_to_its_end() -> None:
    tags = "\n".join(f"  - tag{n}" for n in range(60))
    header = read_front_matter(f"<!-- notes -->\n---\ntitle: Secret\ntags:\n{tags}\ndraft: true\n---\nBody\n")
    assert header.error is not None and header.error.code == "frontmatter.placement"


def test_a_misplaced_header_longer_than_the_lookahead_is_still_found() -> None:
    header = read_front_matter("\n---\nstatus: draft\nnotes: |\n" + "  words words words\n" * 5000 + "---\nBody\n")
    assert header.error is not None and header.error.code == "frontmatter.placement"
