"""Finding credentials: in the text as written and as a reader gets it, inside identifiers, in
attachments judged text by their content, in linear time."""

from __future__ import annotations

import codecs
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.read.secrets import _SECRET_NAME, SNIFF_BYTES, _lowered, _names, find_secrets, fingerprint, text_of_attachment

AWS = "AKIAIOSFODNN7EXAMPLE"  # AWS's documented example access key: still a key to kb
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # and its documented secret key
GITHUB = "ghp_" + "A1b2C3d4E5" * 4
GOOGLE = "AIza" + "Sy9dE4fG7hJ2kL5mN8pQ1rS3tU6vW0xY2zA"
KEY, TOKEN, NAMED = "an AWS access key", "a GitHub token", "a high-entropy value assigned to a secret's name"


def found(text: str, allowed: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    return [(s.line, s.col, s.kind) for s in find_secrets(text, allowed)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"Use {AWS} to log in.", [(1, 5, KEY)]),
        (f"aws_secret_access_key = {AWS_SECRET}\n", [(1, 25, NAMED)]),
        # HTML character references, as the sanitiser decodes them: the key is at its first escape.
        ("x &#65;KIAIOSFODNN7EXAMPLE y", [(1, 3, KEY)]),
        ("&#x41;KIAIOSFODNN7EXAMPLE", [(1, 1, KEY)]),
        ("&#X41;KIAIOSFODNN7EXAMPLE", [(1, 1, KEY)]),
        ("&#65KIAIOSFODNN7EXAMPLE", [(1, 1, KEY)]),  # no `;`: HTML reads it all the same
        ("&#0000000000000000065;KIAIOSFODNN7EXAMPLE", [(1, 1, KEY)]),
        ("AKIA&#73;&#79;SFODNN7EXAMPLE", [(1, 1, KEY)]),
        (f"aws_secret_access_key = {AWS_SECRET.replace('/', '&sol;')}", [(1, 25, NAMED)]),
        (f"aws_secret_access_key = {AWS_SECRET.replace('/', '&#x2F;')}", [(1, 25, NAMED)]),
        ("one\ntwo &#10; &#65;KIAIOSFODNN7EXAMPLE\nthree", [(2, 11, KEY)]),  # a decoded newline moves no line
        # Percent-escapes in a URL, and an entity that stands for one.
        ("See https://h.example/?k=%41KIAIOSFODNN7EXAMPLE", [(1, 26, KEY)]),
        ("See https://h.example/?k=%41%4B%49%41IOSFODNN7EXAMPLE", [(1, 26, KEY)]),
        ("[x](https://h.example/?k=&#37;41KIAIOSFODNN7EXAMPLE)", [(1, 26, KEY)]),
        # Markdown's backslash escapes, and characters nobody sees.
        (GITHUB.replace("_", "\\_"), [(1, 1, TOKEN)]),
        ("AKIA\u200bIOSFODNN7EXAMPLE", [(1, 1, KEY)]),
        ("AKIA&#8203;IOSFODNN7EXAMPLE", [(1, 1, KEY)]),
        ("AKIA&shy;IOSFODNN7EXAMPLE", [(1, 1, KEY)]),
        # Inside identifiers: `\b` fails after `_`.
        (f"aws_{AWS}", [(1, 5, KEY)]),
        (f"AWS_KEY_{AWS}_OLD", [(1, 9, KEY)]),
        (f"key={GITHUB}", [(1, 5, TOKEN)]),
        (f"backup_{GITHUB}_old", [(1, 8, TOKEN)]),
        (f"x_{GOOGLE}", [(1, 3, "a Google API key")]),
        ("stripe_sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", [(1, 8, "a Stripe key")]),
        ("bot_xoxb-123456789012-abcdefghij", [(1, 5, "a Slack token")]),
        ("ci_glpat-" + "x1Y2z3W4v5U6t7S8r9Q0", [(1, 4, "a GitLab token")]),
        ("DSN=x_postgres://app:Xk9mP2qL8vR4@db.internal/app", [(1, 22, "a password in a URL")]),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", [(1, 1, "a private key")]),
        # Random values with dots or brackets in them are still values, not code.
        ("password = Kq8s.Zp3x9LmQ2w", [(1, 12, NAMED)]),
        ("token: Xy7(Qm2)Lp9Kw3Zr", [(1, 8, NAMED)]),
        ("wifi password: purple.monkey.dishwasher", [(1, 16, NAMED)]),
        ("db_password: prod_x7k2.q9m4zr8w", [(1, 14, NAMED)]),
        ("password = b64decode(U3VwZXJTZWNyZXRQYXNzd29yZDEyMyE=)", [(1, 12, NAMED)]),
        ("secret = hmac.new(k9Zq2XvP8mL4nW7rT3yB)", [(1, 10, NAMED)]),
    ],
)
def test_a_credential_is_found_at_its_line_however_it_is_written(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Q&A with AT&T &amp; friends: &lt;b&gt; &copy; 2026 &notakey; &#;",
        "100% of 50%41 of the time, see https://example.com/a%20b?c=%2F",
        "The ASIAN market, Asia Pacific, ASIAPACIFICHEADQUARTERS, MY_ASIA_TEAM",
        f"x{AWS}",  # inside a word
        f"{AWS}S",  # a longer word that starts like a key
        "desk_live_feed_of_the_meeting and task_live_abcdefghijklmnopqrstuvwxyz",
        "glpat is short, xoxb- too, and ghp_ needs 36 characters: ghp_abc",
        "git\\_hub \\\\ \\* \\[escaped\\]",
        "password: changeme, token = ${TOKEN}, api_key: <your key>",
        # Code assigns calls and dotted names, which are not values (FastAPI's release notes).
        "contextvar_token = legacy_request_state_context_var.set(request_state)",
        "token = oauth2_scheme.get_bearer(request)",
    ],
)
def test_ordinary_text_holds_no_credential(text: str) -> None:
    assert found(text) == []


def test_the_fingerprint_is_the_decoded_secret_s_so_one_allowance_covers_every_spelling() -> None:
    allowed = frozenset({fingerprint(AWS), fingerprint(AWS_SECRET)})
    text = (f"{AWS}\n&#65;KIAIOSFODNN7EXAMPLE\nk=%41KIAIOSFODNN7EXAMPLE\n"
            f"aws_secret_access_key = {AWS_SECRET.replace('/', '&#x2F;')}\n")
    assert {s.fingerprint for s in find_secrets(text)} == allowed
    assert find_secrets(text, allowed) == []
    assert found("&#65;KIAIOSFODNN7EXAMPLE kb:allow-secret\n&#65;KIAIOSFODNN7EXAMPLE") == [(2, 1, KEY)]


@pytest.mark.parametrize(
    "line",
    [
        "&#65;" * 200_000,
        "&#65;KIA" * 125_000,
        "%41" * 330_000,
        "\\_" * 500_000,
        "&" + "a" * 1_000_000,
        "&#" + "0" * 1_000_000 + "65;KIAIOSFODNN7EXAMPLE",
        "&amp;" * 200_000,
        "\u200b" * 1_000_000,
        "ghp_" * 250_000,
        f"{AWS} " * 47_000,  # thousands of keys on one line: the line is not read again for each
        "password&#58;" * 75_000,
    ],
    ids=["entities", "entity-keys", "percent", "backslashes", "long-name", "long-number", "amp", "invisible", "ghp",
         "many-keys", "encoded-names"],
)
def test_a_hostile_line_is_searched_in_linear_time(line: str) -> None:
    started = time.perf_counter()
    find_secrets(f"# Title\n{line}\n")
    assert time.perf_counter() - started < 30  # a hang detector, not a speed test


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"aws_key = AKIA\n", "aws_key = AKIA\n"),
        (b"", ""),
        (b"\xef\xbb\xbfwith bom\r\nand crlf\r\n", "with bom\nand crlf\n"),
        (codecs.BOM_UTF16_LE + "utf-16 \u00e9\n".encode("utf-16-le"), "utf-16 \u00e9\n"),
        (codecs.BOM_UTF16_BE + "big end\n".encode("utf-16-be"), "big end\n"),
        (codecs.BOM_UTF32_LE + "utf-32\n".encode("utf-32-le"), "utf-32\n"),
        # The first 8 KB decide: a NUL or a stray byte after them does not hide the text.
        (b"a" * SNIFF_BYTES + b"\x00AKIA", "a" * SNIFF_BYTES + "\x00AKIA"),
        (b"a" * SNIFF_BYTES + b"\xff key", "a" * SNIFF_BYTES + "\ufffd key"),
        # A character cut in two by the 8 KB boundary.
        (b"a" * (SNIFF_BYTES - 1) + "\u00e9".encode(), "a" * (SNIFF_BYTES - 1) + "\u00e9"),
        # Not text: NUL early, a picture, a PDF, Latin-1.
        (b"MZ\x00\x00AKIAIOSFODNN7EXAMPLE", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", None),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", None),
        (b"caf\xe9 AKIAIOSFODNN7EXAMPLE\n", None),
    ],
)
def test_an_attachment_is_text_by_its_content(tmp_path: Path, data: bytes, text: str | None) -> None:
    path = tmp_path / "attachment"
    path.write_bytes(data)
    assert text_of_attachment(path) == text


def _searched_whole(text: str) -> list[tuple[int, int, str, str]]:
    """What find_secrets finds, read the plain way: the text, then the whole text without its
    markup (comments and tags cut, emphasis and code marks dropped), each line kept in place."""
    from kb.read.secrets import _MARKUP, _find_secrets

    plain = re.sub(r"<!--.*?(?:-->|\Z)", lambda m: "\n" * m.group().count("\n"), text, flags=re.S)
    plain = _MARKUP.sub(lambda m: "\n" * m.group().count("\n"), plain)
    secrets = _find_secrets(text, frozenset())
    known = {s.fingerprint for s in secrets}
    secrets += [s for s in _find_secrets(plain, frozenset()) if s.fingerprint not in known]
    return sorted((s.line, s.col, s.kind, s.fingerprint) for s in secrets)


_PIECES = [AWS, AWS[:7], AWS[7:], GITHUB, GITHUB[:10], GITHUB[10:], "password = ", "token: ", "k9Zq2Lm8Xw4Rt7Vb1",
           "**", "*", "`", "~~", "~", "<b>", "</b>", "<!-- x -->", "<!--", "-->", "<i\n>", "&#65;", "%41", "\\_",
           "https://u:", "@host/", "kb:allow-secret", " ", "\n", "word"]


_MARKS = ["**", "*", "`", "~~", "<b>", "<!-- x -->", "<i\n>", "&#65;"]
#: A credential with markup inside it, where a reader sees it whole.
_SPLIT = st.builds(lambda secret, at, mark: secret[:at] + mark + secret[at:],
                   st.sampled_from([AWS, GITHUB, "password = k9Zq2Lm8Xw4Rt7Vb1"]), st.integers(0, 30), st.sampled_from(_MARKS))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | _SPLIT, max_size=24))
def test_markup_is_searched_again_only_where_it_changes_a_line_and_nothing_is_missed(pieces: list[str]) -> None:
    """A credential that markup splits is found; searching again only the lines that markup
    changes finds what searching the whole text again finds."""
    text = "".join(pieces)
    assert sorted((s.line, s.col, s.kind, s.fingerprint) for s in find_secrets(text)) == _searched_whole(text)


def test_a_key_split_by_emphasis_on_one_of_many_lines_is_found_on_its_line() -> None:
    text = "Intro with `code` and *emphasis*.\n\n" + f"{AWS[:8]}**{AWS[8:]}**\n" + "More **text**.\n" * 50
    assert found(text) == [(3, 1, KEY)]


def test_a_name_in_capitals_is_found_on_every_line_though_one_character_lowers_to_two() -> None:
    """"İ" lowers to two characters; every line is still read in any case, the one that holds it
    too, at the right column, and a name with it typed for I is a name."""
    assert found("İstanbul office\nPASSWORD = k9Zq3xV7pL2mQ8wR\n") == [(2, 12, NAMED)]
    assert found("İ\n*PASSWORD* = k9Zq3xV7pL2mQ8wR\n") == [(2, 12, NAMED)]
    assert found("İstanbul PASSWORD = k9Zq3xV7pL2mQ8wR\n") == [(1, 21, NAMED)]
    assert found("APİ_KEY = k9Zq3xV7pL2mQ8wR\n") == [(1, 11, NAMED)]


_NAME_PIECES = st.sampled_from(["pass", "word", "wd", "pwd", "secret", "api", "_", "-", "key", "access", "auth", "token",
                                "PASS", "Token", "x", " ", "\n", "İ", "a", "p", "t", "s"])


@settings(max_examples=3000, deadline=None)
@given(text=st.lists(_NAME_PIECES, max_size=30).map("".join) | st.text(max_size=30))
def test_secret_names_are_found_where_the_pattern_finds_them(text: str) -> None:
    """_names looks for the names' first letters with str.find, and must find what the pattern
    finds over the whole text, each name once, in order."""
    assert [name.span() for name in _names(text)] == [name.span() for name in _SECRET_NAME.finditer(_lowered(text))]
