"""The topic and person cards search shows (kb.search.cards), from a small wiki with history."""

from __future__ import annotations

import json
from pathlib import Path

from kb.analyse.knowledge import build_knowledge_base
from kb.read.history import read_history
from kb.search.cards import ask_me_about, card_shards, fold, search_cards
from kb.search.site import emit_site_search, search_input
from kb.views.context import ViewContext

from conftest import commit_files

PAGES = {
    "topics/mentoring.md": "---\ntitle: Mentoring\naliases: [mentorship]\nparent: learning\n---\nHow mentoring works here.\n",
    "topics/learning.md": "---\ntitle: Learning\n---\nEverything about learning.\n",
    "people/ada.md": "---\nname: Ada Okafor\nrole: Coach\nteam: People\nemails: [ada@corp.example]\n---\nAda coaches.\n\n"
                     "## Ask me about\n\n- Setting up a **mentoring** agreement\n- [Reverse mentoring](../x.md)\n"
                     "- [[Shadowing|shadowing a colleague]]\n- [Click me](javascript:alert(7)) <b>now</b>\n"
                     "<!--\n- Layoffs plan\n-->\n```\n- codeblockitem\n```\n\n## Elsewhere\n\n- not this\n",
    "people/quiet.md": "---\nname: Quiet Person\nsearch: {exclude: true}\n---\n## Ask me about\n\n- mentoring\n",
    "mentoring/hidden.md": "---\ntitle: Hidden verified\ntags: [mentoring]\nstatus: verified\nreviewed_by: ada\n"
                           "reviewed_on: 2026-05-01\nsearch: {exclude: true}\n---\nNot in search.\n",
    "mentoring/finding.md": "---\ntitle: Finding a mentor\ntags: [mentoring]\nstatus: verified\nreviewed_by: ada\n"
                            "reviewed_on: 2026-05-01\nowners: [ada]\n---\nAsk around.\n",
    "mentoring/best.md": "---\ntitle: First sessions\ntags: [mentoring]\nstatus: best-practice\nreviewed_by: ada\n"
                         "reviewed_on: 2026-05-01\n---\nStart small.\n",
    "mentoring/notes.md": "---\ntitle: Mentoring notes\ntags: [mentoring]\n---\nLoose notes.\n",
    "mentoring/draft.md": "---\ntitle: Secret plans\ntags: [mentoring]\nstatus: draft\n---\nNot yet.\n",
}


def build(root: Path):
    commit_files(root, PAGES, "Pages", ("Ada Okafor", "ada@corp.example"), "2026-06-01T09:00:00Z")
    commit_files(root, {"mentoring/notes.md": PAGES["mentoring/notes.md"] + "More.\n"}, "More",
                 ("Gus Newcomer", "gus@corp.example"), "2026-06-02T09:00:00Z")
    history, _ = read_history(root)
    return build_knowledge_base(root, history=history)


def test_ask_me_about_is_the_list_under_its_heading_as_plain_text(tmp_path: Path) -> None:
    kb = build(tmp_path)
    # What the profile shows: no comment, no code block, link labels without their URLs.
    assert ask_me_about(kb.people["ada"]) == ("Setting up a mentoring agreement", "Reverse mentoring",
                                              "shadowing a colleague", "Click me now")


def test_cards_say_what_the_topic_and_person_pages_say(tmp_path: Path) -> None:
    kb = build(tmp_path)
    topic_paths = {slug: f"topics/{slug}.md" for slug in kb.topics}
    cards = search_cards(kb, ViewContext(kb, topic_paths))
    mentoring = next(card for card in cards["topics"] if card["n"] == "Mentoring")
    # Name, aliases, slug and parent are what a query is matched against.
    assert mentoring["k"] == ["Mentoring", "mentorship", "mentoring", "Learning"]
    assert mentoring["u"] == "topics/mentoring/" and mentoring["s"] == "How mentoring works here."
    # Vetted pages only, best practice first; a draft nowhere.
    assert mentoring["p"] == [["First sessions", "mentoring/best/", "best-practice"],
                              ["Finding a mentor", "mentoring/finding/", "verified"]]
    assert mentoring["c"] == 3
    assert "Secret plans" not in json.dumps(cards)
    [ada, *others] = mentoring["e"]
    assert ada[:2] == ["Ada Okafor", "people/ada/"] and "owns 1 page" in ada[2] and "reviewed 3" in ada[2]
    person = next(card for card in cards["people"] if card["n"] == "Ada Okafor")
    assert person["r"] == "Coach · People" and person["k"][0] == "Ada Okafor"
    assert person["k"][1:] == ["Setting up a mentoring agreement", "Reverse mentoring", "shadowing a colleague",
                               "Click me now"]
    # A page or profile that keeps out of search keeps out of the cards too.
    assert "Hidden verified" not in json.dumps(cards) and "Quiet Person" not in json.dumps(cards)
    assert person["t"][0][:2] == ["Mentoring", "topics/mentoring/"]
    # Someone git knows who has no profile: a card with no email, marked unclaimed.
    gus = next(card for card in cards["people"] if card["n"] == "Gus Newcomer")
    assert gus["x"] == 1 and gus["r"] == "no profile yet"
    assert "@" not in json.dumps(cards)


def test_the_search_files_hold_the_cards_and_the_trust_of_every_page(tmp_path: Path) -> None:
    kb = build(tmp_path)
    topic_paths = {slug: f"topics/{slug}.md" for slug in kb.topics}
    files = emit_site_search(kb, search_input(kb, topic_paths))
    manifest = json.loads(files["search/manifest.json"])
    titles = [doc.title for *_, doc in search_input(kb, topic_paths).articles]
    assert dict(zip(titles, manifest["trust"], strict=True)) == {
        "First sessions": "b", "Finding a mentor": "v", "Mentoring notes": "p"}
    assert manifest["labels"]["best-practice"] == "Best practice" and manifest["labels"]["overdue"] == "Review overdue"
    # Cards in shards by their key words' first two letters: a query's first word finds its shard.
    cards = search_cards(kb, ViewContext(kb, topic_paths))
    assert manifest["cards"] == sorted(card_shards(cards))
    shard = json.loads(files[f"search/c/{b'me'.hex()}.json"])
    assert [card["n"] for card in shard["topics"]] == ["Mentoring"]  # by its name, alias and slug
    assert [card["n"] for card in shard["people"]] == ["Ada Okafor"]  # by "Setting up a mentoring agreement"
    assert {card["n"] for key in manifest["cards"] for card in json.loads(files[f"search/c/{key.encode().hex()}.json"])["topics"]} == {
        card["n"] for card in cards["topics"]}
    assert files == emit_site_search(kb, search_input(kb, topic_paths))  # the same bytes every build


def test_cards_are_folded_as_the_browser_folds_a_query() -> None:
    # As search.js: letters, marks and digits (of any script, emoji aside), and `_+#`; no accents.
    assert fold("Café  Straße — Ops/K8s, ¿Qué? C++ 🚀Rocketry") == "cafe straße ops k8s que c++ rocketry"
