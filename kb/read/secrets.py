"""Credentials committed to the wiki: found, reported at their line, never printed.

Pages, every attachment that is text (by its content, whatever its name) and every commit message
the site shows are searched, as written and as a reader gets them (entities and escapes decoded).
A page or attachment with a secret is held back like a draft: publishing it would show the secret
to everyone who can read the wiki. A commit message cannot be held back, so the site shows
WITHHELD_MESSAGE in its place. A string that only looks like a secret (an example key in a
how-to) is allowed by its fingerprint, which the message gives, in the `secrets_allow` option.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import hashlib
import heapq
import html
import itertools
import math
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

#: Before and after a token, no letter or digit: a token may follow `_` (`aws_AKIA…`), where
#: `\b` would fail, but not run on from a word (`task_live_…` is no Stripe key, `xAKIA…` no AWS key).
_START = r"(?<![A-Za-z0-9])"
_END = r"(?![A-Za-z0-9])"
#: (kind, pattern): the secret is the pattern's group 1, or the whole match.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key", re.compile(r"(-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----)")),
    ("an AWS access key", re.compile(_START + r"((?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16})" + _END)),
    ("a GitHub token", re.compile(_START + r"((?:gh[pousr]_[A-Za-z0-9]{36,})|github_pat_[A-Za-z0-9_]{40,})" + _END)),
    ("a GitLab token", re.compile(_START + r"(glpat-[A-Za-z0-9_-]{20,})")),
    ("a Slack token", re.compile(_START + r"(xox[abprs]-[A-Za-z0-9-]{10,})")),
    ("a Slack webhook", re.compile(r"(https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,})")),
    ("a Google API key", re.compile(_START + r"(AIza[0-9A-Za-z_-]{35})")),
    ("a Stripe key", re.compile(_START + r"((?:sk|rk)_live_[0-9A-Za-z]{20,})")),
    ("a password in a URL", re.compile(_START + r"[a-z][a-z0-9+.-]{1,20}://[^\s/:@]+:([^\s/@]{3,})@[^\s/]")),
)
#: Names that hold secrets, looked for in the lower-cased text; then what is assigned to them.
_SECRET_NAME = re.compile(r"pass(?:word|wd)?|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|token")
#: What each of those names starts with (_names).
_NAME_STARTS = ("pass", "pwd", "secret", "api", "access", "auth", "token")
# The value is capped: on a line of `password:password:…` an unbounded one is read to the end of
# the line from every name, which is quadratic (a 180 KB line took minutes).
_ASSIGNED = re.compile(r"[\w.-]{0,64}[ \t]*[:=][ \t]*[\"']?([^\s\"'`<>]{12,256})")
#: Literals one of which every token rule's match contains: most pages have none, and skip the rules.
_NEEDLES = ("PRIVATE KEY", "AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
            "glpat-", "xox", "hooks.slack.com", "AIza", "_live_")
_PLACEHOLDER = re.compile(
    r"(?i)^(?:x+|\*+|\.+|<[^>]*>|\$\{?[\w.-]+\}?|\{\{.*\}\}|%\w+%|changeme|example\w*|your[_-]?\w*|redacted|secret|password\w*)$")
#: All token rules in one pattern, so a page is read once: the group name is the rule's index.
_TOKENS = re.compile("|".join(f"(?P<r{index}>{pattern.pattern})" for index, (_, pattern) in enumerate(_RULES)))
ENTROPY_MIN = 3.5
#: What is assigned in code rather than a value: a call whose arguments are all names
#: (`var.set(request_state)`). Release notes and tutorials are full of them. A call with a literal
#: in it (`hmac.new(k9Zq…)`) and a dotted value (`purple.monkey.dishwasher`) are still values.
_CODE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\((?:[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*(?:,[a-z_][a-z0-9_]*"
                   r"(?:\.[a-z_][a-z0-9_]*)*)*)?\)")
#: Written on a line, it allows every secret on that line.
_ALLOW_MARK = "kb:allow-secret"


@dataclass(frozen=True)
class Secret:
    line: int
    col: int
    kind: str
    fingerprint: str


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:12]


def entropy(text: str) -> float:
    """Shannon entropy in bits per character: random keys score high, words and names low."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def find_secrets(text: str, allowed: frozenset[str] = frozenset()) -> list[Secret]:
    """Every credential in `text` (all of it: front matter and code blocks too), by line, also
    one that markup splits (`AKIA…<!-- -->…`, `ghp_…**…**`): a reader sees it whole."""
    found = _find_secrets(text, allowed)
    if _MARKUP_HINT.search(text):
        plain = _changed_lines(text, _without_markup(text))
        # Searched again only where a secret could be: most pages hold none of what one starts with.
        if plain and _could_hold(plain):
            known = {secret.fingerprint for secret in found}
            found += [secret for secret in _find_secrets(plain, allowed) if secret.fingerprint not in known]
            found.sort(key=lambda s: (s.line, s.col, s.kind))
    return found


#: Markup that splits text a reader sees as one word: comments, tags, emphasis and code marks.
#: Line breaks inside are kept, so a secret is reported on its line.
_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|\*\*|~~|[*`]")
_MARKUP_HINT = re.compile(r"<[!/A-Za-z]|[*~`]")
_EMPHASIS = str.maketrans("", "", "*`")


def _could_hold(text: str) -> bool:
    return (any(needle in text for needle in _NEEDLES) or ("://" in text and "@" in text)
            or next(_names(text), None) is not None)


def _names(text: str) -> Iterator[re.Match[str]]:
    """`_SECRET_NAME.finditer(_lowered(text))`, found where one of _NAME_STARTS is: each is
    looked for with str.find, and the pattern is tried only there, where finditer would try its
    alternatives at every p, s, a and t of every page (1.0 s at 10,000 pages, now half). The
    places come in order, one at a time, so a page full of names costs no memory and the first
    name is found without looking for the rest."""
    lower = _lowered(text)
    end = 0
    for start in heapq.merge(*(_places(lower, literal) for literal in _NAME_STARTS)):
        if start >= end and (name := _SECRET_NAME.match(lower, start)) is not None:
            end = name.end()
            yield name


def _places(text: str, literal: str) -> Iterator[int]:
    at = text.find(literal)
    while at >= 0:
        yield at
        at = text.find(literal, at + 1)


def _lowered(text: str) -> str:
    """`text` in lower case, each character where it was. One character in Unicode lowers to
    two, İ (to i and a combining dot), and is lowered to its i alone, so a name written in
    capitals on a Turkish keyboard (APİ_KEY) is found too."""
    return (text.replace("\u0130", "i") if "\u0130" in text else text).lower()


def _changed_lines(text: str, plain: str) -> str:
    """`plain` with each line that is as it is in `text` left empty; "" when no line changed.
    No secret and no escape spans lines, and _without_markup keeps every line break, so a
    secret on a line that markup does not change was found in `text` already, at the same line
    and column: only the changed lines need the second search (searching the whole text again
    was most of the scan's time)."""
    if plain == text:
        return ""
    lines = plain.split("\n")
    changed = [line if line != before else "" for line, before in zip(lines, text.split("\n"), strict=True)]
    return "\n".join(changed) if any(changed) else ""


def _without_markup(text: str) -> str:
    if "<" not in text:
        # Without tags or comments, _MARKUP removes every `*` and backquote and each "~~" from
        # the left, which str.replace and str.translate do some ten times faster.
        return text.replace("~~", "").translate(_EMPHASIS)
    # Comments are cut by hand: a pattern would look for the end of each unclosed one again.
    parts, start = [], 0
    while (opening := text.find("<!--", start)) != -1:
        closing = text.find("-->", opening + 4)
        end = len(text) if closing == -1 else closing + 3
        parts += [text[start:opening], "\n" * text.count("\n", opening, end)]
        start = end
    parts.append(text[start:])
    return _MARKUP.sub(lambda match: "\n" * match.group().count("\n"), "".join(parts))


def _find_secrets(text: str, allowed: frozenset[str]) -> list[Secret]:
    """Every credential in `text` as it is written and as entities and escapes decode it.

    The text is searched as it is written and as a reader gets it: with HTML entities,
    percent-escapes and Markdown's backslash escapes decoded and invisible characters dropped
    (`&#65;KIA…` is an AWS key once the page is rendered). A secret is reported where what it
    was decoded from starts, and its fingerprint is that of the decoded secret."""
    views: list[_Decoded] = []
    view = text
    for _ in range(_DECODING_PASSES):
        decoded = _decode(view)
        if decoded is None:
            break
        views.append(decoded)
        view = decoded.text
    found = _search(view)
    if views:
        for index, (offset, kind, secret) in enumerate(found):
            for decoded in reversed(views):
                offset = decoded.source_offset(offset)
            found[index] = (offset, kind, secret)
        # What decoding changes beyond recognition (a value cut short at an escape) is still
        # searched as it is written.
        seen = {(offset, kind) for offset, kind, _ in found}
        found += [(offset, kind, secret) for offset, kind, secret in _search(text) if (offset, kind) not in seen]
    if not found:
        return []
    lines = text.split("\n")
    line_starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    # Each line is looked at once: a long line with thousands of keys on it must not be read again for each.
    marked = {number for number, line in enumerate(lines, 1) if _ALLOW_MARK in line} if _ALLOW_MARK in text else set()
    secrets = []
    for offset, kind, secret in found:
        line = bisect.bisect_right(line_starts, offset)
        secret_fingerprint = fingerprint(secret)
        if secret_fingerprint not in allowed and line not in marked:
            secrets.append(Secret(line, offset - line_starts[line - 1] + 1, kind, secret_fingerprint))
    return sorted(secrets, key=lambda s: (s.line, s.col, s.kind))


def _search(text: str) -> list[tuple[int, str, str]]:
    """(offset, kind, secret) of every credential in `text` as it is."""
    found: list[tuple[int, str, str]] = []
    # Most pages hold none of the literals every token contains, and are not searched further;
    # a URL can only carry a password when the page has an "@" too.
    needed = any(needle in text for needle in _NEEDLES) or ("://" in text and "@" in text)
    tokens = _TOKENS.finditer(text) if needed else ()
    for match in tokens:
        index = int(match.lastgroup[1:]) if match.lastgroup else 0
        kind, pattern = _RULES[index]
        inner = pattern.fullmatch(match.group(0))
        secret = inner.group(1) if inner else match.group(0)
        if kind == "a password in a URL" and _PLACEHOLDER.match(secret):
            continue
        found.append((match.start() + match.group(0).find(secret), kind, secret))
    tokens_found = {secret for _, _, secret in found}
    for name in _names(text):
        match = _ASSIGNED.match(text, name.end())
        if not match:
            continue
        secret = match.group(1).rstrip(",;")
        if _PLACEHOLDER.match(secret) or entropy(secret) < ENTROPY_MIN or secret in tokens_found:
            continue
        if "(" in secret and _CODE.fullmatch(secret):
            continue
        tokens_found.add(secret)
        found.append((match.start(1), "a high-entropy value assigned to a secret's name", secret))
    return found


#: What lies between a key as written and as a reader gets it: HTML character references (the
#: sanitiser and the browser decode them, with any number of leading zeros, and named ones
#: without their `;` as HTML allows), percent-escapes (in a URL), Markdown's backslash escapes
#: and characters nobody sees. Each alternative is bounded or stops at the first character it
#: cannot hold, so the whole text is decoded in one linear pass.
_INVISIBLE_CHARACTERS = "\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_ENCODED = re.compile(
    r"&#[xX][0-9A-Fa-f]+;?|&#[0-9]+;?|&[A-Za-z][A-Za-z0-9]{0,31};?|%[0-9A-Fa-f]{2}|\\[!-/:-@\[-`{-~]"
    f"|[{_INVISIBLE_CHARACTERS}]")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARACTERS}]")
#: A character _ENCODED can start at: most pages have none, and looking for one takes a quarter
#: of the time of looking for _ENCODED itself.
_ENCODED_START = re.compile(f"[&%\\\\{_INVISIBLE_CHARACTERS}]")
#: An entity in a URL is decoded by the browser, then its percent-escape by whoever reads the
#: URL (`&#37;41` is `%41` is `A`): two passes.
_DECODING_PASSES = 2


@dataclass(frozen=True)
class _Decoded:
    """A text decoded, with where each piece of it came from: `starts[i]` is where piece i
    begins in `text`, `sources[i]` where what it was decoded from begins in the text before,
    and `literal[i]` whether it is unchanged (so its characters map one to one)."""

    text: str
    starts: list[int]
    sources: list[int]
    literal: list[bool]

    def source_offset(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.sources[index] + (offset - self.starts[index] if self.literal[index] else 0)


def _decode(text: str) -> _Decoded | None:
    """`text` with every escape decoded once; None when nothing in it changes."""
    pieces: list[str] = []
    starts: list[int] = []
    sources: list[int] = []
    literal: list[bool] = []
    length = 0
    end = 0

    def add(piece: str, source: int, unchanged: bool) -> None:
        nonlocal length
        if piece:
            pieces.append(piece)
            starts.append(length)
            sources.append(source)
            literal.append(unchanged)
            length += len(piece)

    if not _ENCODED_START.search(text):
        return None
    changed = False
    for match in _ENCODED.finditer(text):
        token = match.group()
        decoded = _decode_token(token)
        if decoded == token:
            continue
        changed = True
        add(text[end:match.start()], end, True)
        add(decoded, match.start(), False)
        end = match.end()
    if not changed:
        return None
    add(text[end:], end, True)
    return _Decoded("".join(pieces), starts, sources, literal)


@functools.lru_cache(maxsize=4096)
def _decode_token(token: str) -> str:
    if token[0] == "%":
        value = int(token[1:], 16)
        return chr(value) if value < 0x80 else token
    if token[0] == "\\":
        return token[1]
    if token[0] != "&":
        return ""  # an invisible character
    if token[1] == "#":
        # html.unescape reads the number with int(), which refuses more than 4,300 digits.
        hexadecimal = token[2] in "xX"
        digits = token[3 if hexadecimal else 2:].rstrip(";").lstrip("0") or "0"
        if len(digits) > 8:
            return "\ufffd"  # past U+10FFFF: what a browser shows
        token = f"&#{'x' if hexadecimal else ''}{digits};"
    return _INVISIBLE.sub("", html.unescape(token))


def secret_message(secret: Secret) -> str:
    return (f"{secret.kind} is written here; remove it, and revoke it (it stays in the git history). "
            "The file is not published until then. If it is not a secret, allow it with "
            f"secrets_allow: ['{secret.fingerprint}']")


#: What the site shows instead of a commit message with a credential in it.
WITHHELD_MESSAGE = "(message withheld: it contains a credential)"
WITHHELD_NAME = "(name withheld: it contains a credential)"


def commit_secret_message(commit: str, secret: Secret) -> str:
    return (f"the message or author name of commit {commit[:10]} holds {secret.kind}; the site shows "
            f"\"{WITHHELD_MESSAGE}\" (or \"{WITHHELD_NAME}\") instead. Revoke it: it stays in the git history. "
            "If it is not a secret, allow it with "
            f"secrets_allow: ['{secret.fingerprint}']")


#: How much of an attachment tells text from binary: git's own test, no NUL in the first 8 KB.
SNIFF_BYTES = 8192
#: UTF-32's marks first: UTF-16's little-endian one begins UTF-32's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def text_of_attachment(path: str | os.PathLike[str]) -> str | None:
    """The text of a file judged by what it holds, whatever its name (`id_rsa`, `main.tf`):
    UTF-16 or UTF-32 after a byte order mark, or UTF-8 with no NUL byte in its first 8 KB.
    None for anything else (a picture, a PDF, an archive). A text file is read whole, however
    large, and a byte past the first 8 KB that is not UTF-8 does not hide the rest of it."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
        encoding = _text_encoding(head)
        if encoding is None:
            return None
        data = head + handle.read()
    text = data.decode(encoding, "replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _text_encoding(head: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if b"\x00" in head:
        return None
    try:
        # Not final: the first 8 KB may end inside a character.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    return "utf-8-sig"
