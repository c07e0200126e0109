"""Views of people: each profile, with the evidence of what they know, and the directory."""

from __future__ import annotations

from kb.model import Person
from kb.views.context import ViewContext, unclaimed_anchor
from kb.views.records import PersonItem, PersonProfile, TopicEvidence, UnclaimedItem

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
    return PersonProfile(
        name=person.name, role=person.role, team=person.team, location=person.location,
        timezone=person.timezone, contact=contact, topics=topics,
        owned=view.sorted_items(owned),
        reviewed=view.sorted_items(kb.reviewed.get(person.id, ())),
        recent=view.changes_by((person.id,)),
        needs_review=view.sorted_items(needs_review),
    )


def people_index(view: ViewContext) -> tuple[PersonItem, ...]:
    """Everyone with a profile, by name, with their strongest topics."""
    items = []
    for person in sorted(view.kb.people.values(), key=lambda p: (p.name.casefold(), p.id)):
        topics = [topic for topic, _ in view.kb.expertise.topics_of(person.id)]
        items.append(PersonItem(
            person.name, view.url(person.path), person.role, person.team, person.location,
            tuple(view.topic_link(topic) for topic in topics[:DIRECTORY_TOPICS]),
            tuple(sorted(view.kb.topics[topic].name for topic in topics)),
        ))
    return tuple(items)


def unclaimed_index(view: ViewContext) -> tuple[UnclaimedItem, ...]:
    """Git authors without a profile, most changes first: the same evidence, and a way to claim it."""
    items = []
    people = view.kb.identities.unclaimed.values()
    for person in sorted(people, key=lambda p: (-p.changes, p.name.casefold(), p.id)):
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
