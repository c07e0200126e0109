"""Problems found in content, as data.

Every stage returns its problems as `Diagnostic` values instead of logging or raising, so one run
reports everything, and the CLI and the MkDocs adapter each present them in their own way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

#: Characters that would act on a terminal or a log viewer instead of being shown: C0 and C1
#: controls and the bidirectional overrides. Messages quote what authors wrote.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. `line` and `col` are 1-based and count the whole file,
    front matter included; a problem with the file as a whole is at 1:1."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    #: More for whoever debugs kb (an internal error's traceback); shown only when asked for.
    detail: str = field(default="", compare=False, repr=False)

    def format(self) -> str:
        return printable(f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message} [{self.code}]")


def printable(text: str) -> str:
    """`text` on one line, with control and bidi characters written as `\\uXXXX`: a message about
    a file whose name holds them must not reorder or break the line it is printed on."""
    return _UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text.replace("\n", " "))


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.col, d.code, d.message))


#: How many problems of one code one file reports; the rest are counted in one more.
REPEATS_PER_FILE = 20


def cap_repeats(diagnostics: Iterable[Diagnostic], limit: int = REPEATS_PER_FILE) -> list[Diagnostic]:
    """The sorted `diagnostics` with at most `limit` of one code per file: past them, one
    problem at the last one's place counts the rest, with the most severe of their severities.
    A page of 200,000 red links is one problem told 200,000 times; a log of that length buries
    everything else, and costs more than the build."""
    kept: list[Diagnostic] = []
    extra: dict[tuple[str, str], list[Diagnostic]] = {}
    counts: dict[tuple[str, str], int] = {}
    for diagnostic in diagnostics:
        key = (diagnostic.path, diagnostic.code)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= limit:
            kept.append(diagnostic)
        else:
            extra.setdefault(key, []).append(diagnostic)
    for rest in extra.values():
        last = rest[-1]
        severity = min((d.severity for d in rest), key=list(Severity).index)
        kept.append(replace(last, severity=severity, detail="", message=(
            f"{len(rest):,} more like this in this file, down to this line, after the first {limit}; the last: "
            f"{last.message}")))
    return sort_diagnostics(kept)


def apply_validation(diagnostics: Iterable[Diagnostic], levels: Mapping[str, str]) -> list[Diagnostic]:
    """Re-grade problems as a site chose: `levels` maps a code (`link.wanted`) or a family
    (`link.*`) to "error", "warning", "info" or "ignore". The exact code wins over its family."""
    if not levels:
        return list(diagnostics)
    graded = []
    for diagnostic in diagnostics:
        level = levels.get(diagnostic.code) or levels.get(diagnostic.code.split(".", 1)[0] + ".*")
        if level == "ignore":
            continue
        graded.append(replace(diagnostic, severity=Severity(level)) if level else diagnostic)
    return graded


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> dict[Severity, int]:
    counts = {severity: 0 for severity in Severity}
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    return counts


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "".join(d.format() + "\n" for d in diagnostics)


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each becomes an annotation on the file and line."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in diagnostics:
        place = f"file={_escape_property(d.path)}"
        if d.line:
            place += f",line={d.line}"
        if d.col:
            place += f",col={d.col}"
        title = _escape_property(d.code)
        lines.append(f"::{level[d.severity]} {place},title={title}::{_escape_data(printable(d.message))}\n")
    return "".join(lines)


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    rows = [{"path": d.path, "line": d.line, "col": d.col, "severity": d.severity.value, "code": d.code,
             "message": printable(d.message)} for d in diagnostics]
    return json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
