"""The example wiki's story: when the Larkspur Learning Network's wiki started, who joined when,
which pages moved, who left, which bot tidies the pages, and which reviews a later edit lapsed.

make_history.py turns this, and the pages in content/ as they are now, into a git history.
Everything here is a fact of the story; how a page grew is derived from the page itself. A page
or person the story does not name (one added to content/ later) still gets a history: the
generator places it by its folder, or anywhere in the eighteen months.
"""

from __future__ import annotations

import datetime as dt

#: The first commit: Amara sets up the wiki.
START = dt.date(2025, 6, 2)
#: The newest commit, and so the day the site is "as of": reviews, expertise and "this quarter"
#: are measured from it. A review dated later than this moves it on (make_history.end_date).
END = dt.date(2026, 11, 27)

#: Who sets the wiki up: the first commit (mkdocs.yml, the page templates, the home page).
FOUNDER = "amara-okafor"

#: The day each person's first commit lands (their profile comes with it). Anyone else with a
#: profile joins on a day drawn from their id.
JOINED = {
    "amara-okafor": dt.date(2025, 6, 2),
    "priya-natarajan": dt.date(2025, 6, 4),
    "jonas-berg": dt.date(2025, 6, 9),
    "kwame-mensah": dt.date(2025, 6, 12),
    "hannah-weiss": dt.date(2025, 6, 23),
    "tomasz-kowalczyk": dt.date(2025, 7, 7),
    "mei-lin-chen": dt.date(2025, 8, 4),
    "diego-ramirez": dt.date(2025, 8, 18),
    "rafael-souza": dt.date(2025, 9, 8),
    "sofia-lindqvist": dt.date(2025, 10, 6),
}

#: When the pages of each top folder were first written: the guide first, then onboarding, and
#: so on. A page is created on a day in its folder's span; a folder not named here spans it all.
WAVES = {
    "kb": (dt.date(2025, 6, 4), dt.date(2025, 8, 29)),
    "onboarding": (dt.date(2025, 6, 23), dt.date(2025, 11, 14)),
    "remote": (dt.date(2025, 8, 4), dt.date(2026, 2, 27)),
    "tools": (dt.date(2025, 8, 25), dt.date(2026, 5, 15)),
    "knowledge-sharing": (dt.date(2025, 9, 22), dt.date(2026, 7, 10)),
    "writing": (dt.date(2025, 10, 13), dt.date(2026, 8, 21)),
    "mentoring": (dt.date(2026, 1, 5), dt.date(2026, 9, 25)),
    "communities": (dt.date(2026, 1, 12), dt.date(2026, 10, 23)),
}
#: Drafts are recent work in progress.
DRAFTS = (dt.date(2026, 8, 3), dt.date(2026, 11, 13))

#: A trainer who wrote some of the first pages and left at the end of 2025. She has no profile:
#: kb lists her among the people without one, with her evidence, as it does any git author that
#: no profile claims. Her pages passed to their owners in January.
LEAVER = ("Lena Fischer", "lena.fischer@larkspur.example")
LEAVER_LEFT = dt.date(2025, 12, 19)
LEAVER_JOINED = dt.date(2025, 6, 16)
LEAVER_PAGES = ("knowledge-sharing/recording-sessions.md", "remote/virtual-coffee.md", "tools/shared-calendars.md")
HANDOVER = (dt.date(2026, 1, 12), dt.date(2026, 1, 30))

#: The bot that strips trailing whitespace every quarter. kb's default `bots` (`*-bot`) leaves
#: its commits out: they never make a page "updated", never count as expertise, and never lapse
#: a review. Its last run is the newest commit.
BOT = ("larkspur-format-bot", "format-bot@larkspur.example")
BOT_RUNS = (dt.date(2025, 9, 30), dt.date(2025, 12, 31), dt.date(2026, 3, 31), dt.date(2026, 6, 30),
            dt.date(2026, 9, 30))

#: Pages that had another name: their path now → (the path before, its title then, the day of
#: the move, who moved it). kb follows a page back through its renames.
RENAMES = {
    "remote/running-effective-video-calls.md": (
        "remote/video-call-tips.md", "Video call tips", dt.date(2026, 1, 20), "diego-ramirez"),
    "tools/which-diagram-tool-should-i-use.md": (
        "tools/diagram-tools.md", "Diagram tools", dt.date(2026, 3, 3), "sofia-lindqvist"),
    "onboarding/setting-up-your-laptop.md": (
        "tools/laptop-setup.md", "Laptop setup", dt.date(2025, 10, 14), "kwame-mensah"),
}

#: Vetted pages that an owner edited after the review, so they show as changed since review:
#: path → (the day, who).
CHANGED_AFTER_REVIEW = {
    "onboarding/buddy-program.md": (dt.date(2026, 9, 16), "hannah-weiss"),
    "writing/writing-for-skimmers.md": (dt.date(2026, 10, 21), "priya-natarajan"),
}
