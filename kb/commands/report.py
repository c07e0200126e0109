"""`kb report`: the insights page in a terminal, as plain tables, or as JSON."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from kb.analyse.knowledge import KnowledgeBase
from kb.render.emit import emit_insights
from kb.views.insights import insights_tables

#: What a cell from content (a wikilink's name, a commit author's) may not print as it is: control
#: characters, which would drive the terminal, line breaks and tabs, which would break the table,
#: and bidi controls, which would reorder it. Each is shown as its code instead.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def cell(value: object) -> str:
    return _UNPRINTABLE.sub(lambda found: f"\\u{ord(found[0]):04x}", str(value))


def table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]], empty: str = "none") -> str:
    cells = [[cell(value) for value in row] for row in rows]
    lines = [f"{title} ({len(cells)})"]
    if not cells:
        return "\n".join([*lines, f"  {empty}", ""])
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(header)]
    lines.append("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    lines.extend("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    return "\n".join([*lines, ""])


def render_report(kb: KnowledgeBase) -> str:
    when = kb.insights.today or "an unknown date (no git history)"
    parts = [f"kb report: {len(kb.articles)} pages, as of {when}", ""]
    parts.extend(table(title, header, rows) for title, header, rows in insights_tables(kb))
    return "\n".join(parts)


def report_json(kb: KnowledgeBase) -> str:
    return emit_insights(kb).decode("utf-8")
