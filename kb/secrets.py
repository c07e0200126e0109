"""Credentials committed to pages: found, reported at their line, never printed.

A page with a secret is held back like a draft: publishing it would show the secret to everyone
who can read the wiki. A string that only looks like a secret (an example key in a how-to) is
allowed by its fingerprint, which the message gives, in the `secrets_allow` option.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass

#: (kind, pattern): the secret is the pattern's group 1, or the whole match.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a private key", re.compile(r"(-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----)")),
    ("an AWS access key", re.compile(r"\b((?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16})\b")),
    ("a GitHub token", re.compile(r"\b((?:gh[pousr]_[A-Za-z0-9]{36,})|github_pat_[A-Za-z0-9_]{40,})\b")),
    ("a GitLab token", re.compile(r"\b(glpat-[A-Za-z0-9_-]{20,})")),
    ("a Slack token", re.compile(r"\b(xox[abprs]-[A-Za-z0-9-]{10,})")),
    ("a Slack webhook", re.compile(r"(https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,})")),
    ("a Google API key", re.compile(r"\b(AIza[0-9A-Za-z_-]{35})")),
    ("a Stripe key", re.compile(r"\b((?:sk|rk)_live_[0-9A-Za-z]{20,})")),
    ("a password in a URL", re.compile(r"\b[a-z][a-z0-9+.-]{1,20}://[^\s/:@]+:([^\s/@]{3,})@[^\s/]")),
)
#: Names that hold secrets, looked for in the lower-cased text; then what is assigned to them.
_SECRET_NAME = re.compile(r"pass(?:word|wd)?|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|token")
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
    """Every credential in `text` (all of it: front matter and code blocks too), by line."""
    found: list[Secret] = []
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
        found.append(_at(text, match.start() + match.group(0).find(secret), kind, secret))
    lower = text.lower()
    if len(lower) != len(text):  # a few characters change length when lowered; offsets must hold
        lower = text
    for name in _SECRET_NAME.finditer(lower):
        match = _ASSIGNED.match(text, name.end())
        if not match:
            continue
        secret = match.group(1).rstrip(",;")
        if _PLACEHOLDER.match(secret) or entropy(secret) < ENTROPY_MIN:
            continue
        if any(f.fingerprint == fingerprint(secret) for f in found):
            continue
        found.append(_at(text, match.start(1), "a high-entropy value assigned to a secret's name", secret))
    lines = text.split("\n") if found else []
    return sorted(
        (f for f in found if f.fingerprint not in allowed and "kb:allow-secret" not in lines[f.line - 1]),
        key=lambda f: (f.line, f.col),
    )


def _at(text: str, offset: int, kind: str, secret: str) -> Secret:
    line_start = text.rfind("\n", 0, offset) + 1
    return Secret(text.count("\n", 0, offset) + 1, offset - line_start + 1, kind, fingerprint(secret))


def secret_message(secret: Secret) -> str:
    return (f"{secret.kind} is written here; remove it, and revoke it (it stays in the git history). "
            "The file is not published until then. If it is not a secret, allow it with "
            f"secrets_allow: ['{secret.fingerprint}']")
