"""Review states, recent changes, feeds and insights on a real repository with dated commits."""

from __future__ import annotations

import json
import re
import typing
import xml.etree.ElementTree as etree
from pathlib import Path

import jinja2
import pytest

from kb.analyse.insights import INSIGHTS_LISTS, EntryKind
from kb.analyse.knowledge import KnowledgeBase, build_knowledge_base
from kb.analyse.review import ReviewState, review_of
from kb.read.history import read_history
from kb.views.insights import ENTRY_KINDS
from kb.views.records import Link

from conftest import Built, commit_files, copy_site, git, kb_cli, mkdocs_build

ANN = ("Ann Lee", "ann@corp.example")
BOB = ("Bob Stone", "bob@corp.example")
ATOM = "{http://www.w3.org/2005/Atom}"


def vetted(reviewer: str, on: str, every: str = "6 months", tags: str = "[ops]") -> str:
    return f"---\ntags: {tags}\nowners: [ann]\nstatus: verified\nreviewed_by: {reviewer}\nreviewed_on: {on}\nreview_every: {every}\n---\n"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trust")
    commit_files(root, {
        "mkdocs.yml": "site_name: Trust\nsite_url: https://wiki.example.com/kb/\ndocs_dir: docs\ntheme: material\n"
                      "plugins:\n  - kb:\n      validation:\n        link.wanted: info\n",
        "docs/people/ann.md": "---\nname: Ann Lee\nemails: [ann@corp.example]\n---\n",
        "docs/people/bob.md": "---\nname: Bob Stone\nemails: [bob@corp.example]\n---\n",
        "docs/topics/ops.md": "---\ntitle: Operations\n---\n",
        "docs/overdue.md": vetted("bob", "2025-01-01") + "Old advice. See [[fresh]] and [[Release train]].\n",
        "docs/old-question.md": "---\ntype: question\ntags: [hiring]\nowners: [bob]\n---\nAsked long ago.\n",
        "docs/solo.md": "---\ntags: [solo]\nowners: [ann]\n---\nOnly Ann knows.\n",
    }, "Start", ANN, "2025-01-10T10:00:00Z")
    commit_files(root, {
        "docs/fresh.md": vetted("bob", "2026-05-01", "1 year") + "Current. See [[overdue]].\n",
        "docs/soon.md": vetted("bob", "2025-12-10") + "Due soon. [[fresh]]\n",
        "docs/lapsed.md": vetted("bob", "2026-04-01") + "Reviewed, then edited.\n",
        "docs/imported.md": vetted("bob", "2026-01-01", "1 year") + "Reviewed before it came here.\n",
        "docs/new-question.md": "---\ntype: question\ntags: [hiring]\nowners: [ann]\n---\nAsked lately.\n",
        "docs/draft.md": "---\nstatus: draft\ntags: [ops]\n---\nSECRET-DRAFT\n",
    }, "Add pages", BOB, "2026-05-01T10:00:00Z")
    commit_files(root, {"docs/lapsed.md": vetted("bob", "2026-04-01") + "Reviewed, then edited by Ann.\n",
                        "docs/draft.md": "---\nstatus: draft\n---\nSECRET-DRAFT edited\n"},
                 "Edit after the review", ANN, "2026-05-20T10:00:00Z")
    commit_files(root, {"docs/fresh.md": vetted("bob", "2026-05-01", "1 year") + "Current, touched by its reviewer.\n"},
                 "Reviewer tidies up", BOB, "2026-06-01T09:00:00Z")
    return root


@pytest.fixture(scope="module")
def kb(repo: Path) -> KnowledgeBase:
    return build_knowledge_base(repo / "docs", history=read_history(repo / "docs")[0])


@pytest.fixture(scope="module")
def site(repo: Path) -> Built:
    built = mkdocs_build(repo)
    assert built.returncode == 0, built.log
    return built


@pytest.mark.parametrize(
    ("page", "state"),
    [("fresh.md", ReviewState.FRESH), ("soon.md", ReviewState.DUE_SOON), ("overdue.md", ReviewState.OVERDUE),
     ("lapsed.md", ReviewState.CHANGED), ("imported.md", ReviewState.FRESH), ("old-question.md", ReviewState.UNREVIEWED)],
)
def test_review_states(kb: KnowledgeBase, page: str, state: ReviewState) -> None:
    assert review_of(kb.articles[page], kb.facts).state is state


def test_insight_lists(kb: KnowledgeBase) -> None:
    insights = kb.insights
    assert insights.today.isoformat() == "2026-06-01"
    assert list(insights.reviews_due) == ["overdue.md", "lapsed.md"]  # by the date the review ran out
    assert list(insights.reviews_due_soon) == ["soon.md"]
    assert insights.never_reviewed == ("old-question.md", "solo.md", "new-question.md")  # oldest first
    assert insights.open_questions == ("old-question.md", "new-question.md")
    assert "lapsed.md" in insights.orphans and "fresh.md" not in insights.orphans
    assert insights.wanted == (("Release train", 1),)
    assert insights.unvetted_topics == ("hiring", "solo")
    assert insights.single_expert_topics == (("solo", "ann"),)
    assert [(m.month, m.created, m.edits) for m in insights.activity][0] == ("2025-01", 3, 3)
    assert [(m.month, m.created, m.edits) for m in insights.activity][-1] == ("2026-06", 0, 1)
    assert len(insights.activity) == 18  # every month in between, even empty ones
    assert dict(insights.top_contributors) == {"bob": 6, "ann": 1}


def parse_feed(data: str) -> etree.Element:
    feed = etree.fromstring(data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "author/" + ATOM + "name", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}updated").text.endswith("Z")
    return feed


def test_site_feed_is_valid_atom_without_drafts(site: Built) -> None:
    text = (site.site / "feed.xml").read_text(encoding="utf-8")
    feed = parse_feed(text)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries][:2] == ["Changed: Fresh", "Changed: Lapsed"]
    assert entries[0].find(f"{ATOM}link").get("href") == "https://wiki.example.com/kb/fresh/"
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Bob Stone"
    assert "SECRET" not in text and "draft" not in text
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("tag:wiki.example.com,2000:") for i in ids)


def test_topic_feeds_and_head_links(site: Built) -> None:
    ops = parse_feed((site.site / "feeds" / "ops.xml").read_text(encoding="utf-8"))
    titles = {e.find(f"{ATOM}title").text for e in ops.findall(f"{ATOM}entry")}
    assert "New page: Fresh" in titles and not any("question" in t.lower() for t in titles)
    topic = site.html("topics/ops/")
    assert '<link rel="alternate feed" type="application/atom+xml" title="Operations: recent changes" href="../../feeds/ops.xml">' in topic
    assert 'type="application/atom+xml" title="Trust: recent changes" href="../../feed.xml"' in topic


def test_changes_page_groups_by_day_and_marks_new_pages(site: Built) -> None:
    html = site.html("changes/")
    assert html.index('id="kb-day-2026-06-01"') < html.index('id="kb-day-2026-05-20"') < html.index('id="kb-day-2026-05-01"')
    day = html.split('id="kb-day-2026-05-01"', 1)[1].split("</ul>", 1)[0]
    assert '<span class="kb-new">New</span> <a href="../fresh/">Fresh</a>' in day
    assert "SECRET" not in html and "Draft" not in html


def test_article_header_explains_the_review_state(site: Built) -> None:
    lapsed = site.html("lapsed/")
    assert "Changed since review" in lapsed and "Ann Lee, 2026-05-20" in lapsed
    overdue = site.html("overdue/")
    assert "Review overdue since 2025-06-30: the page may be out of date." in overdue
    assert "Review holds until 2027-05-01." in site.html("fresh/")


def test_insights_page_and_json(site: Built) -> None:
    html = site.html("insights/")
    for section in ("kb-reviews-due", "kb-never-reviewed", "kb-unvetted-topics", "kb-single-expert",
                    "kb-open-questions", "kb-wanted", "kb-orphans", "kb-activity", "kb-top-contributors"):
        assert f'id="{section}"' in html, section
    assert html.count('<rect class="kb-chart__edits"') == 18 + 1  # a bar a month, and the legend
    assert html.count('class="kb-chart__label"') == 9  # every other month: twelve labels at most
    data = json.loads((site.site / "assets" / "kb" / "insights.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in data["reviews_due"]] == ["overdue.md", "lapsed.md"]
    assert data["reviews_due"][1]["changed_by"] == "Ann Lee"


def test_every_declared_insights_list_is_on_the_page_in_the_json_and_in_the_report(site: Built, repo: Path) -> None:
    html = site.html("insights/")
    data = json.loads((site.site / "assets" / "kb" / "insights.json").read_text(encoding="utf-8"))
    report = kb_cli(repo, "report", "docs").stdout
    for declared in INSIGHTS_LISTS:
        total = len(data[declared.attribute])
        heading = f'<h2 id="kb-{declared.name}">{declared.title} ({total})</h2>'
        assert (heading in html) == bool(total or declared.empty), declared.name
        assert f"\n{declared.title} ({total})\n" in report, declared.name
    # The page shows them in the declared order, as the report does.
    shown = [d.name for d in INSIGHTS_LISTS if f'id="kb-{d.name}"' in html]
    assert shown == sorted(shown, key=lambda name: html.index(f'id="kb-{name}"'))
    titles = [d.title for d in INSIGHTS_LISTS]
    assert titles == sorted(titles, key=lambda title: report.index(f"\n{title} ("))


def test_kb_report(repo: Path) -> None:
    done = kb_cli(repo, "report", "docs")
    assert done.returncode == 0
    assert "Reviews overdue or lapsed (2)" in done.stdout and "docs/lapsed.md" in done.stdout
    data = json.loads(kb_cli(repo, "report", "docs", "--format", "json").stdout)
    assert data["wanted"] == [{"links": 1, "name": "Release train"}]


def test_check_since_lists_the_verifications_a_change_resets(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    git(clone, "checkout", "-q", "-b", "change")
    (clone / "docs" / "fresh.md").write_text(vetted("bob", "2026-05-01", "1 year") + "Rewritten.\n", encoding="utf-8")
    (clone / "docs" / "old-question.md").write_text("---\ntype: question\n---\nStill asked.\n", encoding="utf-8")
    done = kb_cli(clone, "check", "docs", "--since", "main")
    assert done.stdout.splitlines() == [
        "docs/fresh.md:4:1: info: this change resets the verified status reviewed by Bob Stone on 2026-05-01; "
        "ask them, or another reviewer, to review it again [review.reset]"]
    github = kb_cli(clone, "check", "docs", "--since", "main", "--format", "github").stdout
    assert github.startswith("::notice file=docs/fresh.md,line=4,col=1,title=review.reset::")


def test_every_kind_of_insights_entry_has_its_view_and_its_macro() -> None:
    kinds = set(typing.get_args(EntryKind))
    assert set(ENTRY_KINDS) == kinds
    macros = (Path(__file__).parent.parent / "theme" / "partials" / "kb" / "macros.html").read_text(encoding="utf-8")
    branches = set(re.findall(r'kind == "([a-z-]+)"', macros.split("{% macro entry(", 1)[1].split("endmacro", 1)[0]))
    assert kinds <= branches
    assert {declared.kind for declared in INSIGHTS_LISTS} <= kinds


def test_a_kind_without_a_macro_fails_the_page_instead_of_showing_an_empty_list() -> None:
    theme = Path(__file__).parent.parent / "theme" / "partials" / "kb"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(theme.parent.parent)))
    env.filters["url"] = lambda value: value
    template = env.from_string('{% import "partials/kb/macros.html" as m with context %}{{ m.entry(kind, item) }}')
    assert "kb-evidence" in template.render(kind="topic-count", item=(Link("Go", "go/"), 2))
    with pytest.raises(jinja2.UndefinedError):
        template.render(kind="owner-count", item=("x", 1))


def test_without_git_history_the_insights_page_says_nothing_is_dated(tmp_path: Path) -> None:
    root = copy_site("basic", tmp_path)  # never committed
    built = mkdocs_build(root, strict=False)
    assert built.returncode == 0, built.log
    html = built.html("insights/")
    assert "nothing here is dated" in html and "As of the newest commit" not in html


def test_the_report_shows_control_characters_from_content_as_codes() -> None:
    from kb.commands.report import table

    shown = table("Wanted pages", ("name", "links"), [("esc\x1b[31mred\u202e\tbell\x07", 1)])
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown and "\t" not in shown
    assert "esc\\u001b[31mred\\u202e\\u0009bell\\u0007" in shown
