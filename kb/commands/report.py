"""`kb report`: the insights page in a terminal, as plain tables, or as JSON."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kb.analyse.knowledge import KnowledgeBase
from kb.render.emit import emit_insights


def table(title: str, header: Sequence[str], rows: Iterable[Sequence[object]], empty: str = "none") -> str:
    cells = [[str(cell) for cell in row] for row in rows]
    lines = [f"{title} ({len(cells)})"]
    if not cells:
        return "\n".join([*lines, f"  {empty}", ""])
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(header)]
    lines.append("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    lines.extend("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells)
    return "\n".join([*lines, ""])


def render_report(kb: KnowledgeBase) -> str:
    insights = kb.insights

    def shown(path: str) -> str:
        page = kb.page(path)
        return page.display if page else path

    def reviews(paths: Iterable[str]) -> list[tuple[str, str, str]]:
        found = []
        for path in paths:
            review = kb.reviews[path]
            when = review.changed_on or review.expires_on
            found.append((shown(path), review.state.value, when.isoformat() if when else ""))
        return found

    def first_date(path: str) -> str:
        changes = kb.changes(path)
        return changes[-1].date.isoformat() if changes else "not committed"

    def name(key: str) -> str:
        return kb.people[key].name if key in kb.people else key

    parts = [f"kb report: {len(kb.articles)} pages, as of {insights.today or 'an unknown date (no git history)'}", ""]
    parts.append(table("Reviews overdue or lapsed", ("page", "state", "since"), reviews(insights.reviews_due)))
    parts.append(table("Reviews due within a month", ("page", "state", "due"), reviews(insights.reviews_due_soon)))
    parts.append(table("Never reviewed, oldest first", ("page", "first commit"),
                       ((shown(p), first_date(p)) for p in insights.never_reviewed)))
    parts.append(table("Orphans", ("page",), ((shown(p),) for p in insights.orphans)))
    parts.append(table("Wanted pages", ("name", "links"), insights.wanted))
    parts.append(table("Topics without a vetted page", ("topic", "pages"),
                       ((kb.topics[s].name, len(kb.topics[s].articles)) for s in insights.unvetted_topics)))
    parts.append(table("Topics that rest on one person", ("topic", "person"),
                       ((kb.topics[s].name, name(p)) for s, p in insights.single_expert_topics)))
    parts.append(table("Open questions, oldest first", ("page", "asked"),
                       ((shown(p), first_date(p)) for p in insights.open_questions)))
    parts.append(table("Activity per month", ("month", "created", "edits"),
                       ((m.month, m.created, m.edits) for m in insights.activity)))
    parts.append(table("Top contributors this quarter", ("who", "changes"),
                       ((name(key), count) for key, count in insights.top_contributors)))
    return "\n".join(parts)


def report_json(kb: KnowledgeBase) -> str:
    return emit_insights(kb).decode("utf-8")
