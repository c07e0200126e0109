"""A small wiki built with a real `mkdocs build --strict`, asserted on the HTML written."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import Built


class Page(HTMLParser):
    """Links, text and a few landmarks of one HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._href: str | None = None
        self._label = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "a":
            self._href, self._label = attributes.get("href", ""), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((" ".join(self._label.split()), self._href))
            self._href = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._href is not None:
            self._label += data

    def by_class(self, name: str) -> list[dict[str, str]]:
        return [attrs for _, attrs in self.tags if name in attrs.get("class", "").split()]


def article_part(html: str) -> str:
    return html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]


def test_article_header_badge_topics_owners_review(basic_site: Built) -> None:
    html = basic_site.html("guides/deploy/")
    page = Page(article_part(html))
    assert page.by_class("kb-badge--verified")
    links = dict(page.links)
    assert links["Operations"] == "../../topics/ops/"
    assert links["Kubernetes"] == "../../topics/kubernetes/"
    assert links["Brand New Topic"] == "../../topics/brand-new-topic/"
    assert links["Ann Lee"] == "../../people/ann/"
    assert links["Bob <b>Builder</b>"] == "../../people/bob/"
    assert '<time datetime="2026-03-01">2026-03-01</time>' in html


def test_front_matter_text_is_escaped_everywhere(basic_site: Built) -> None:
    html = basic_site.html("guides/deploy/")
    assert "<img src=x onerror" not in html
    assert "<title>Deploying &lt;img src=x onerror=alert(1)&gt; safely - Basic wiki</title>" in html
    assert "<h1>Deploying &lt;img src=x onerror=alert(1)&gt; safely</h1>" in html
    assert 'content="How we ship; the &lt;b&gt;short&lt;/b&gt; version."' in html
    people = basic_site.html("people/")
    assert "Bob &lt;b&gt;Builder&lt;/b&gt;" in people and "<b>Builder</b>" not in people


def test_page_body_is_sanitised(basic_site: Built) -> None:
    body = article_part(basic_site.html("guides/deploy/"))
    assert "<script" not in body
    assert "onclick" not in body
    assert "javascript:" not in body.lower()
    assert 'id="__config"' not in body
    assert "<p id=\"user-content-__config\">Check the <a>dashboard</a>.</p>" in body
    assert body.count('id="__config"') == 0
    assert basic_site.html("guides/deploy/").count('id="__config"') == 1  # Material's own, once


def test_links_are_rewritten_and_code_left_alone(basic_site: Built) -> None:
    body = article_part(basic_site.html("guides/deploy/"))
    assert '<a href="../deep/runbook/#rollback">runbook</a>' in body
    assert "[not a link](nowhere.md)" in body


def test_title_and_summary_fallbacks_render(basic_site: Built) -> None:
    html = basic_site.html("guides/deep/runbook/")
    assert html.count("<h1") == 1
    assert "<h1>Runbook for rollbacks</h1>" in html
    assert 'content="The first paragraph becomes the summary when there is none."' in html


def test_bom_and_crlf_page_renders(basic_site: Built) -> None:
    html = basic_site.html("guides/windows/")
    assert "<h1>Written on Windows</h1>" in html
    assert "<p>Line endings are CRLF and the file starts with a BOM.</p>" in html
    assert "\ufeff" not in html


def test_topic_pages_list_best_practice_first(basic_site: Built) -> None:
    html = basic_site.html("topics/ops/")
    part = article_part(html)
    assert "<h1>Operations</h1>" in part
    assert "Running our services in production." in part
    titles = [label for label, href in Page(part.split('id="kb-articles"', 1)[1]).links]
    assert titles[:2] == ["Small pull requests", "Deploying <img src=x onerror=alert(1)> safely"]
    assert "Why do builds fail on Fridays?" in titles
    assert 'id="kb-questions"' in part
    assert "Ann Lee" in dict(Page(part).links)
    sub = article_part(basic_site.html("topics/kubernetes/"))
    assert dict(Page(sub).links)["Operations"] == "../ops/"  # breadcrumb to the parent


def test_topic_index_and_people_directory(basic_site: Built) -> None:
    topics = Page(article_part(basic_site.html("topics/")))
    assert [label for label, _ in topics.links] == ["Brand New Topic", "Operations", "Kubernetes"]
    assert topics.by_class("kb-depth-1")  # Kubernetes sits under Operations
    people = Page(article_part(basic_site.html("people/")))
    assert [label for label, href in people.links if href.startswith(("ann/", "bob/"))] == ["Ann Lee", "Bob <b>Builder</b>"]


def test_person_page_shows_profile_but_never_emails(basic_site: Built) -> None:
    html = basic_site.html("people/ann/")
    part = article_part(html)
    assert "Site reliability engineer" in part and "Lisbon" in part
    assert '<a href="mailto:ann@example.com">ann@example.com</a>' in part
    assert "Ann runs the platform on-call rotation." in part
    assert "Deploying &lt;img" in part  # owns it
    assert "Small pull requests" in part  # reviewed it
    for secret in ("ann.private@corp.example", "bob.secret@corp.example", "alee"):
        assert not any(secret in text for text in basic_site.all_text().values())


def test_community_and_question_headers(basic_site: Built) -> None:
    guild = article_part(basic_site.html("guides/guild/"))
    members = guild.split('id="kb-members"', 1)[1].split("</ul>", 1)[0]
    assert [label for label, _ in Page(members).links if not label.startswith(("Operations", "Kubernetes", "Brand"))] == [
        "Ann Lee", "Bob <b>Builder</b>"]
    assert "Site reliability engineer · Platform" in members
    question = article_part(basic_site.html("guides/why/"))
    assert "Open question" in question


def test_navigation_holds_the_wiki_s_own_pages_only(basic_site: Built) -> None:
    html = basic_site.html("guides/deploy/")
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    labels = re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.DOTALL)
    assert labels == ["Home", "Topics", "People", "Changes", "Insights"]


def test_generated_home_page(basic_site: Built) -> None:
    home = article_part((basic_site.site / "index.html").read_text(encoding="utf-8"))
    assert "<h1>Basic wiki</h1>" in home
    assert "Small pull requests" in home  # vetted answers
    assert "Why do builds fail on Fridays?" in home  # open questions


def test_drafts_appear_nowhere(basic_site: Built) -> None:
    assert not (basic_site.site / "guides" / "hidden").exists()
    assert not (basic_site.site / "topics" / "draft-only-topic").exists()
    for path, text in basic_site.all_text().items():
        assert "HIDDEN-DRAFT" not in text, path
        assert "draft-only-topic" not in text, path


def test_assets_are_copied_and_sitemap_dated_by_the_commit(basic_site: Built) -> None:
    assert (basic_site.site / "guides" / "pixel.gif").read_bytes() == b"GIF89a"
    assert (basic_site.site / "assets" / "kb" / "kb.css").is_file()
    sitemap = (basic_site.site / "sitemap.xml").read_text(encoding="utf-8")
    lastmod = dict(re.findall(r"<loc>https://wiki.example.com/(.*?)</loc>\s*<lastmod>(.*?)</lastmod>", sitemap))
    assert lastmod["guides/deploy/"] == "2026-07-01"  # its own last change
    assert lastmod["guides/best/"] == "2026-06-01"
    assert lastmod["topics/"] == "2026-07-01"  # generated: the commit's date


def test_wikilinks_render_as_ordinary_links(basic_site: Built) -> None:
    body = article_part(basic_site.html("guides/best/"))
    links = dict(Page(body).links)
    assert links["deploys"] == "../deploy/"
    assert links["runbook › Rollback"] == "../deep/runbook/#rollback"
    assert '<img alt="pixel.gif" src="../pixel.gif">' in body
    wanted = dict(Page(body).links)["Release train"]
    assert wanted.startswith("https://git.example.com/team/wiki/new/main/docs?filename=release-train.md&value=---%0Atitle%3A%20%22Release%20train%22")
    assert 'class="kb-wanted"' in body and "start it" in body


def test_backlinks_show_the_linking_sentence(basic_site: Built) -> None:
    part = article_part(basic_site.html("guides/deploy/"))
    backlinks = part.split('id="kb-linked-from"', 1)[1]
    assert dict(Page(backlinks).links) == {"Small pull requests": "../best/"}
    assert '<blockquote class="kb-context">Small changes make deploys boring.</blockquote>' in backlinks
    best = article_part(basic_site.html("guides/best/")).split('id="kb-linked-from"', 1)[1]
    # Sorted by title, each linking page once, with each of its sentences.
    assert [label for label, _ in Page(best).links] == ["Ops guild", "Why do builds fail on Fridays?"]
    assert "Maybe the Small pull requests advice helps." in best


def test_graph_export(basic_site: Built) -> None:
    import json

    graph = json.loads((basic_site.site / "assets" / "kb" / "graph.json").read_text(encoding="utf-8"))
    edges = {(e["source"], e["target"]) for e in graph["edges"]}
    assert ("guides/best.md", "guides/deploy.md") in edges
    assert ("guides/best.md", "guides/deep/runbook.md") in edges
    assert ("guides/why.md", "guides/guild.md") in edges
    assert graph["wanted"] == [{"count": 2, "linked_from": ["guides/best.md", "guides/guild.md"], "name": "Release train"}]
    assert "guides/windows.md" in graph["orphans"] and "guides/best.md" not in graph["orphans"]
    assert [n["id"] for n in graph["nodes"]] == sorted(n["id"] for n in graph["nodes"])
    assert not any("hidden" in n["id"] for n in graph["nodes"])


def test_preview_cards_are_sharded_json(basic_site: Built) -> None:
    import json

    from kb.render.emit import preview_shard_path

    shards = list((basic_site.site / "assets" / "kb" / "previews").glob("*.json"))
    assert shards
    cards = {}
    for shard in shards:
        cards.update(json.loads(shard.read_text(encoding="utf-8")))
    card = cards["guides/deploy/"]
    assert card["title"] == "Deploying <img src=x onerror=alert(1)> safely"
    assert (card["status"], card["topics"]) == ("verified", ["Operations", "Kubernetes", "Brand New Topic"])
    assert cards["people/ann/"]["summary"] == "Site reliability engineer · Platform · Lisbon"
    assert (basic_site.site / preview_shard_path("guides/deploy/", len(shards))).is_file()
    assert not any("HIDDEN" in json.dumps(card) for card in cards.values())


def test_edit_links_open_the_source_for_a_pull_request(basic_site: Built) -> None:
    header = article_part(basic_site.html("guides/deploy/")).split('<div class="kb-header"', 1)[1].split("</div>", 1)[0]
    assert 'href="https://git.example.com/team/wiki/edit/main/docs/guides/deploy.md" rel="edit"' in header
    person = article_part(basic_site.html("people/ann/"))
    assert 'href="https://git.example.com/team/wiki/edit/main/docs/people/ann.md" rel="edit"' in person
    assert 'rel="edit"' not in article_part(basic_site.html("topics/brand-new-topic/"))  # generated: no source


def test_article_dates_and_contributors_come_from_git(basic_site: Built) -> None:
    header = article_part(basic_site.html("guides/deploy/")).split('<div class="kb-dates">', 1)[1].split("</div>", 1)[0]
    assert 'Updated <time datetime="2026-07-01">2026-07-01</time> by <a href="../../people/ann/">Ann Lee</a>' in header
    # The author of the first commit has no profile: a link to their row in the directory.
    assert ('created <time datetime="2026-06-01">2026-06-01</time> by <a href="../../people/#kb-git-test-author">'
            'Test Author</a>') in header
    assert "contributors: " in header and "A. Lee" not in header and "corp.example" not in header
    fresh = article_part(basic_site.html("guides/fresh/"))
    assert "Not committed yet" in fresh


def test_topic_page_lists_dates_and_recent_changes(basic_site: Built) -> None:
    part = article_part(basic_site.html("topics/ops/"))
    assert 'updated <time datetime="2026-07-01">2026-07-01</time>' in part
    recent = part.split('id="kb-recent"', 1)[1]
    first = recent.split("</li>", 1)[0]
    assert '2026-07-01</time> <a href="../../guides/deploy/">' in first and "Say how long to watch" in first
    related = part.split('id="kb-related"', 1)[1].split("</p>", 1)[0]
    assert "Kubernetes" in related


def test_topic_experts_and_ask_show_their_evidence(basic_site: Built) -> None:
    experts = article_part(basic_site.html("topics/ops/")).split('id="kb-ask"', 1)[1].split("</ul>", 1)[0]
    # Test Author committed the whole wiki and has no profile: an expert all the same, unclaimed.
    assert re.findall(r'">([^<]*)</a> <span class="kb-evidence">([^<]*)</span>', experts) == [
        ("Test Author", "5 edits this year"),
        ("Ann Lee", "moderates the topic, owns 1 page, reviewed 1, 1 edit this year"),
        ("Bob &lt;b&gt;Builder&lt;/b&gt;", "owns 2 pages, reviewed 1"),
    ]
    assert '<a href="../../people/#kb-git-test-author">Test Author</a>' in experts
    assert experts.count('class="kb-unclaimed"') == 1
    ask = article_part(basic_site.html("guides/deploy/")).split('<div class="kb-ask">', 1)[1].split("</div>", 1)[0]
    assert re.findall(r'">([^<]*)</a> <span class="kb-evidence">\(([^<]*)\)</span>', ask) == [
        ("Ann Lee", "owns this page"), ("Test Author", "Operations: 5 edits this year"),
        ("Bob &lt;b&gt;Builder&lt;/b&gt;", "Operations: owns 2 pages, reviewed 1")]


def test_profile_shows_evidence_reviews_due_and_contributions(basic_site: Built) -> None:
    part = article_part(basic_site.html("people/ann/"))
    knows = part.split('id="kb-knows"', 1)[1].split("</ul>", 1)[0]
    assert "Operations</a> <span class=\"kb-evidence\">moderates the topic, owns 1 page, reviewed 1, 1 edit this year" in knows
    due = part.split('id="kb-needs-review"', 1)[1].split("</ul>", 1)[0]
    assert "Deploying &lt;img" in due  # changed by Ann after Bob's review
    recent = part.split('id="kb-contributions"', 1)[1].split("</ul>", 1)[0]
    assert "Say how long to watch" in recent


def test_directory_rows_carry_their_filters(basic_site: Built) -> None:
    part = article_part(basic_site.html("people/"))
    assert '<tr data-team="Platform" data-location="Lisbon" data-topics="Brand New Topic\nKubernetes\nOperations">' in part
    assert '<option value="Operations">Operations</option>' in part


def test_insights_offer_to_start_wanted_pages(basic_site: Built) -> None:
    wanted = article_part(basic_site.html("insights/")).split('id="kb-wanted"', 1)[1].split("</ul>", 1)[0]
    assert 'href="https://git.example.com/team/wiki/new/main/docs?filename=release-train.md&amp;value=' in wanted
