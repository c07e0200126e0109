"""Views of people: each profile, with the evidence of what they know, and the directory."""

from __future__ import annotations

from kb.model import Person
from kb.views.context import ViewContext, unclaimed_anchor
from kb.views.listings import SHOWN
from kb.views.records import ArticleItem, PersonItem, PersonProfile, TopicEvidence, UnclaimedItem

#: Topics a profile lists with their evidence, and the directory lists per person.
PROFILE_TOPICS, DIRECTORY_TOPICS = 12, 5


def person_profile(view: ViewContext, person: Person) -> PersonProfile:
    kb = view.kb
    owned = kb.owned.get(person.id, ())
    contact = tuple((channel, value, _contact_href(channel, value)) for channel, value in person.contact)
    topics = tuple(
        TopicEvidence(view.topic_link(topic), evidence.describe())
        for topic, evidence in kb.expertise.topics_of(person.id)[:PROFILE_TOPICS]
    )
    needs_review = [path for path in owned if kb.reviews[path].state.needs_review]
    more = view.listings.more
    return PersonProfile(
        name=person.name, role=person.role, team=person.team, location=person.location,
        timezone=person.timezone, contact=contact, topics=topics,
        owned=view.sorted_items(owned)[:SHOWN],
        reviewed=view.sorted_items(kb.reviewed.get(person.id, ()))[:SHOWN],
        recent=view.changes_by((person.id,)),
        needs_review=view.sorted_items(needs_review)[:SHOWN],
        more_owned=more(f"owned:{person.id}"),
        more_reviewed=more(f"reviewed:{person.id}"),
        more_needs_review=more(f"needs-review:{person.id}"),
    )


def person_listing(view: ViewContext, person_id: str, listing: str) -> tuple[ArticleItem, ...]:
    """Every page of one of a profile's listings: "owned", "reviewed" or "needs-review"."""
    kb = view.kb
    owned = kb.owned.get(person_id, ())
    if listing == "owned":
        return view.sorted_items(owned)
    if listing == "reviewed":
        return view.sorted_items(kb.reviewed.get(person_id, ()))
    return view.sorted_items([path for path in owned if kb.reviews[path].state.needs_review])


def people_index(view: ViewContext, limit: int | None = None) -> tuple[PersonItem, ...]:
    """Everyone with a profile (the first `limit`), by name, with their strongest topics."""
    items = []
    for person in sorted(view.kb.people.values(), key=lambda p: (p.name.casefold(), p.id))[:limit]:
        topics = [topic for topic, _ in view.kb.expertise.topics_of(person.id)]
        items.append(PersonItem(
            person.name, view.url(person.path), person.role, person.team, person.location,
            tuple(view.topic_link(topic) for topic in topics[:DIRECTORY_TOPICS]),
            tuple(sorted(view.kb.topics[topic].name for topic in topics)),
        ))
    return tuple(items)


def unclaimed_index(view: ViewContext, limit: int | None = None) -> tuple[UnclaimedItem, ...]:
    """Git authors without a profile (the first `limit`), most changes first: the same evidence,
    and a way to claim it."""
    items = []
    unclaimed = view.kb.identities.unclaimed
    for person_id in list(view.unclaimed_order)[:limit]:
        person = unclaimed[person_id]
        topics = [topic for topic, _ in view.kb.expertise.topics_of(person.id)]
        items.append(UnclaimedItem(
            person.name, unclaimed_anchor(person.id), person.changes,
            tuple(view.topic_link(topic) for topic in topics[:DIRECTORY_TOPICS]),
            tuple(sorted(view.kb.topics[topic].name for topic in topics)),
            view.claim_url(person.id),
        ))
    return tuple(items)


def _contact_href(channel: str, value: str) -> str | None:
    if channel.lower() == "email" and "@" in value and " " not in value:
        return f"mailto:{value}"
    if value.startswith(("https://", "http://")):
        return value
    return None
