"""Git authors: who a profile claims, who is an unclaimed person, and which names are likely one."""

from __future__ import annotations

from pathlib import Path

import pytest
from vaults import BOT, JANE, KEPANO, LEE, STEPH, STEPHAN

from kb.analyse.identities import Identities, shown_name
from kb.analyse.knowledge import build_knowledge_base
from kb.analyse.likeness import find_likely
from kb.config import KbConfig
from kb.model import Person
from kb.read.collect import Source
from kb.read.history import read_history
from kb.read.parse import parse_source

from conftest import commit_files


def person(person_id: str, front: str) -> Person:
    page, _ = parse_source(Source(f"people/{person_id}.md", f"people/{person_id}.md", f"---\n{front}\n---\n"), KbConfig())
    assert isinstance(page, Person)
    return page


@pytest.mark.parametrize(("name", "shown"), [
    ("Steph Ango", "Steph Ango"), ("lee@vault.example", "lee"), ("12345+kepano@users.noreply.github.com", "kepano"),
    ("Ann (ann+wiki@corp.example)", "Ann (ann)"), ("@kepano", "@kepano"), ("   ", "unknown author"),
    ("jdoe@corp", "jdoe"), ("jane@[10.0.0.1]", "jane"), ('"john q"@corp.example', "john q"),
    ("pat.smith\uff20corp.example", "pat.smith")])
def test_a_name_is_shown_without_any_address_in_it(name: str, shown: str) -> None:
    assert shown_name(name) == shown


def test_a_commit_subject_is_shown_without_any_address_in_it() -> None:
    from kb.analyse.identities import shown_text

    assert shown_text("Merge pull request #12 from jdoe@corp.example, thanks ann+x@corp") == (
        "Merge pull request #12 from jdoe, thanks ann")


def test_authors_no_profile_claims_are_unclaimed_people_one_per_name() -> None:
    ann = person("ann", "name: Ann Lee\nemails: [ann@corp.example]")
    authors = [("Ann L.", "ann@corp.example"), ("Steph Ango", "a@x.example"), ("steph  ango", "b@y.example"),
               ("Steph Ango", "b@y.example"), ("lee@vault.example", "lee@vault.example"), ("Steph-Ango", "c@z.example")]
    identities = Identities([ann], authors)
    assert identities.author_of("Ann L.", "ann@corp.example") == "ann"
    found = {p.id: (p.name, p.names, p.changes) for p in identities.unclaimed.values()}
    slug = next(person_id for person_id in found if person_id.startswith("git/steph-ango-"))
    assert found == {
        "git/lee": ("lee", (), 1),  # the address is never a name to show or to claim
        # Case and spacing aside, one name is one person; their most used spelling names them.
        "git/steph-ango": ("Steph Ango", ("Steph Ango", "steph  ango"), 3),
        # Another name is another person, even when it makes the same slug.
        slug: ("Steph-Ango", ("Steph-Ango",), 1),
    }
    assert identities.author_of("STEPH ANGO", "new@address.example") == "git/steph-ango"
    assert identities.person_of("Steph Ango", "a@x.example") is None  # a profile's id only
    assert identities.author_of("Nobody", "n@x.example") is None


def test_a_profile_claims_an_unclaimed_person_by_name(tmp_path: Path) -> None:
    root = tmp_path / "wiki"
    root.mkdir()
    commit_files(root, {"content/a.md": "# A\n"}, "Add a", KEPANO, "2025-01-01T00:00:00Z")
    commit_files(root, {"content/a.md": "# A\n\nMore.\n"}, "Expand a", STEPH, "2025-02-01T00:00:00Z")
    commit_files(root, {"content/a.md": "# A\n\nMore!\n"}, "Bump", BOT, "2025-03-01T00:00:00Z")

    def kb():
        history, _ = read_history(root / "content")
        return build_knowledge_base(root / "content", history=history)

    assert sorted(kb().identities.unclaimed) == ["git/kepano", "git/steph-ango"]  # never the bot
    commit_files(root, {"content/people/steph.md": "---\nname: Steph Ango\nnames: [kepano]\n---\n"}, "Claim",
                 STEPH, "2025-04-01T00:00:00Z")
    claimed = kb()
    assert claimed.identities.unclaimed == {}
    assert claimed.identities.author_of(*KEPANO) == "steph"


def test_names_of_one_person_are_suggested_together() -> None:
    authors = [KEPANO] * 5 + [STEPH] * 3 + [STEPHAN, JANE, JANE, LEE]
    (group,) = find_likely(authors, [])
    assert group.names == (("kepano", 5), ("Steph Ango", 3), ("Stephan Ango", 1))
    assert group.reasons == ("kepano is the name in an email address of Steph Ango",
                             "Steph Ango and Stephan Ango are similar names")
    # A full name names the profile better than a handle.
    assert (group.profile, group.exists) == ("people/steph-ango.md", False)


@pytest.mark.parametrize(("one", "other", "why"), [
    (("Ann Lee", "ann@corp.example"), ("alee", "ann@corp.example"), "alee and Ann Lee used one email address"),
    (("jroe", "jroe@home.example"), ("Jane Roe", "j.roe@corp.example"), "jroe is the name in an email address of Jane Roe"),
    (("Jonathan Smith", "a@x.example"), ("Jon Smith", "b@y.example"), "Jon Smith and Jonathan Smith are similar names"),
    (("Katherine Jonson", "a@x.example"), ("Katherine Johnson", "b@y.example"),
     "Katherine Johnson and Katherine Jonson are similar names"),
])
def test_what_makes_two_names_alike(one: tuple[str, str], other: tuple[str, str], why: str) -> None:
    (group,) = find_likely([one, one, other], [])
    assert group.reasons == (why,)


@pytest.mark.parametrize("other", [("Jane Roe", "jane@x.example"), ("Ann Leeson", "ann@y.example"),
                                   ("ann", "someone@x.example"), ("Bo Li", "bo@x.example")])
def test_different_people_are_not_suggested(other: tuple[str, str]) -> None:
    assert find_likely([("Ann Lee", "ann.lee@corp.example"), other], []) == ()


def test_a_name_alike_a_profile_is_suggested_for_that_profile() -> None:
    steph = person("steph", "name: Steph Ango\nemails: [steph@obsidian.example]")
    # The profile's own commits show its handle's address: kepano used it too.
    (group,) = find_likely([KEPANO, ("Stephan Ango", "x@y.example")], [steph], [("steph", "kepano@obsidian.example")])
    assert group.names == (("kepano", 1), ("Stephan Ango", 1))
    assert (group.profile, group.exists) == ("people/steph.md", True)
    # Two profiles are two people the wiki tells apart already.
    other = person("stephan", "name: Stephan Ango")
    assert find_likely([], [steph, other]) == ()
