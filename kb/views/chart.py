"""The insights page's activity chart, drawn at build time as SVG: readable without JavaScript,
printable, and identical in every build of the same commit.

Everything in it is numbers and month labels kb made itself; it is still built with an XML
library, so nothing can break out of the markup.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from kb.analyse.contributions import MonthActivity

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 20, 40


def activity_chart(months: tuple[MonthActivity, ...]) -> str:
    """Edits (light bars) and pages created (dark bars) per month."""
    svg = etree.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {WIDTH} {HEIGHT}", "width": str(WIDTH),
        "height": str(HEIGHT), "role": "img",
        "class": "kb-chart", "aria-labelledby": "kb-chart-title kb-chart-desc",
    })
    total_edits = sum(m.edits for m in months)
    total_created = sum(m.created for m in months)
    etree.SubElement(svg, "title", {"id": "kb-chart-title"}).text = "Activity per month"
    span = f" from {months[0].month} to {months[-1].month}" if months else ""
    etree.SubElement(svg, "desc", {"id": "kb-chart-desc"}).text = (
        f"{total_edits} edits and {total_created} pages created{span}.")
    if not months:
        return etree.tostring(svg, encoding="unicode")
    peak = max(max(m.edits for m in months), 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / len(months)
    bar = max(slot * 0.8, 1.0)
    axis = etree.SubElement(svg, "g", {"class": "kb-chart__axis"})
    for fraction in (0, 0.5, 1):
        y = TOP + plot_height * (1 - fraction)
        etree.SubElement(axis, "line", {"x1": str(LEFT), "x2": str(WIDTH - RIGHT), "y1": f"{y:.1f}", "y2": f"{y:.1f}"})
        etree.SubElement(axis, "text", {"x": str(LEFT - 4), "y": f"{y + 3:.1f}", "text-anchor": "end"}).text = str(
            round(peak * fraction))
    every = -(-len(months) // 12)  # at most twelve month labels: more would run into each other
    for index, month in enumerate(months):
        x = LEFT + index * slot + (slot - bar) / 2
        group = etree.SubElement(svg, "g")
        etree.SubElement(group, "title").text = f"{month.month}: {month.edits} edits, {month.created} pages created"
        for value, name in ((month.edits, "edits"), (month.created, "created")):
            height = plot_height * value / peak
            etree.SubElement(group, "rect", {
                "class": f"kb-chart__{name}", "x": f"{x:.1f}", "width": f"{bar:.1f}",
                "y": f"{TOP + plot_height - height:.1f}", "height": f"{height:.1f}",
            })
        if index % every == 0:
            etree.SubElement(svg, "text", {
                "x": f"{x + bar / 2:.1f}", "y": str(HEIGHT - BOTTOM + 14), "text-anchor": "middle",
                "class": "kb-chart__label",
            }).text = month.month
    legend = etree.SubElement(svg, "g", {"class": "kb-chart__legend"})
    for offset, (name, label) in enumerate((("edits", "edits"), ("created", "pages created"))):
        x = LEFT + offset * 140
        etree.SubElement(legend, "rect", {"class": f"kb-chart__{name}", "x": str(x), "y": str(HEIGHT - 14),
                                          "width": "10", "height": "10"})
        etree.SubElement(legend, "text", {"x": str(x + 14), "y": str(HEIGHT - 5)}).text = label
    return etree.tostring(svg, encoding="unicode")
