"""Expertise and review state from real git history in temporary repositories."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kb.analyse.knowledge import KnowledgeBase, build_knowledge_base
from kb.analyse.review import ReviewState, review_of
from kb.read.history import read_history

from conftest import commit_files, kb_cli

ANN = ("Ann Lee", "ann@corp.example")
BOB_BY_NAME = ("bstone", "bob@home.example")  # matched through `names` in his profile
CAROL = ("Carol No-Profile", "carol@corp.example")
BOT = ("renovate[bot]", "bot@renovateapp.com")

PEOPLE = {
    "content/people/ann.md": "---\nname: Ann Lee\nemails: [ann@corp.example]\n---\n",
    "content/people/bob.md": "---\nname: Bob Stone\nnames: [bstone]\n---\n",
    "content/people/dee.md": "---\nname: Dee\n---\n",
    "content/topics/ops.md": "---\ntitle: Operations\nmoderators: [dee]\n---\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "wiki"
    root.mkdir()
    commit_files(root, PEOPLE | {
        "content/deploy.md": "---\ntags: [ops]\nowners: [ann]\nstatus: verified\nreviewed_by: bob\nreviewed_on: 2025-03-01\n"
                             "review_every: 6 months\n---\n" + "line\n" * 40,
        "content/q.md": "---\ntype: question\ntags: [ops]\nanswered_by: [bob]\n---\nWhy?\n",
    }, "Start the wiki", ANN, "2025-01-01T00:00:00Z")
    commit_files(root, {"content/rollback.md": "---\ntags: [ops]\n---\nRoll back.\n" + "x\n" * 100},
                 "Write the rollback guide", BOB_BY_NAME, "2026-05-01T00:00:00Z")
    commit_files(root, {"content/rollback.md": "---\ntags: [ops]\n---\nRoll back!\n" + "x\n" * 100},
                 "Fix a typo", CAROL, "2026-05-02T00:00:00Z")
    commit_files(root, {"content/rollback.md": "---\ntags: [ops]\n---\nRoll back!!\n" + "x\n" * 100},
                 "Bump", BOT, "2026-05-03T00:00:00Z")
    return root


def knowledge(root: Path) -> KnowledgeBase:
    history, _ = read_history(root / "content")
    return build_knowledge_base(root / "content", history=history)


def test_evidence_per_person_and_topic(repo: Path) -> None:
    kb = knowledge(repo)
    evidence = {person: found.describe() for person, found in kb.expertise.experts("ops")}
    assert evidence == {
        "ann": "owns 1 page, 2 earlier edits",  # deploy.md and q.md
        "bob": "reviewed 1, answered 1 question, 1 edit this year",
        "dee": "moderates the topic",
        # No profile: an unclaimed person, with the same kind of evidence; the bot never counts.
        "git/carol-no-profile": "1 edit this year",
    }
    assert [person for person, _ in kb.expertise.experts("ops")] == ["bob", "ann", "dee", "git/carol-no-profile"]
    assert kb.expertise.unknown_authors == {"Carol No-Profile": 1}  # the bot never counts


def test_old_edits_count_less(repo: Path) -> None:
    kb = knowledge(repo)
    ann = kb.expertise.by_topic["ops"]["ann"]
    bob = kb.expertise.by_topic["ops"]["bob"]
    # Ann's two edits (47 and 6 lines) are 16 months old; Bob's 104-line edit is 2 days old.
    assert (ann.edits, bob.edits) == (2, 1)
    undecayed = (1 + math.log10(1 + 47)) + (1 + math.log10(1 + 6))
    assert ann.edit_points == pytest.approx(undecayed * 0.5 ** (487 / 365), rel=0.01)
    assert ann.edit_points < bob.edit_points


def test_half_life_is_configurable(repo: Path) -> None:
    from kb.config import KbConfig

    history, _ = read_history(repo / "content")
    slow = build_knowledge_base(repo / "content", KbConfig(expertise_half_life_days=3650), history=history)
    fast = knowledge(repo)
    assert slow.expertise.by_topic["ops"]["ann"].edit_points > fast.expertise.by_topic["ops"]["ann"].edit_points


def test_review_states(repo: Path) -> None:
    kb = knowledge(repo)
    # Reviewed 2025-03-01 for six months; "today" is the newest commit, 2026-05-03.
    assert review_of(kb.articles["deploy.md"], kb.facts).state is ReviewState.OVERDUE
    assert review_of(kb.articles["rollback.md"], kb.facts).state is ReviewState.UNREVIEWED
    page = "---\ntags: [ops]\nstatus: verified\nreviewed_by: bob\nreviewed_on: 2026-05-01\n---\nFresh.\n"
    commit_files(repo, {"content/fresh.md": page}, "Fresh page", BOB_BY_NAME, "2026-05-02T00:00:00Z")
    kb = knowledge(repo)
    assert review_of(kb.articles["fresh.md"], kb.facts).state is ReviewState.FRESH
    commit_files(repo, {"content/fresh.md": page + "More.\n"}, "Edit after review", ANN, "2026-05-04T00:00:00Z")
    kb = knowledge(repo)
    review = review_of(kb.articles["fresh.md"], kb.facts)
    assert (review.state, review.changed_by) == (ReviewState.CHANGED, "Ann Lee")


def test_kb_check_people_lists_authors_without_a_profile(repo: Path) -> None:
    done = kb_cli(repo, "check", "--people", "content")
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["Carol No-Profile\t1 change"]
