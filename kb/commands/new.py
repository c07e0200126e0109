"""`kb new`: a new page from a template, in the right folder, with valid front matter.

The page starts as the wiki's template for its type says (kb.render.starters).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import git

from kb.analyse.knowledge import KnowledgeBase
from kb.analyse.topics import normalize_tag, slugify
from kb.render.starters import page_text, profile_text, template

TYPES = ("article", "how-to", "question", "community")


class NewPageError(ValueError):
    """Why the page was not written: it exists already, or a name is not usable."""


def git_identity(directory: Path) -> tuple[str, str]:
    """The name and email this checkout commits with, or empty strings."""
    repo = git.Git(str(directory))
    values = []
    for key in ("user.name", "user.email"):
        try:
            values.append(repo.config("--get", key).strip())
        except git.GitCommandError:
            values.append("")
    return values[0], values[1]


def folder_for(kb: KnowledgeBase, topic: str | None) -> tuple[str, str | None]:
    """The folder a page on `topic` belongs in (where most of the topic's pages are, else one named
    after it), and the topic's canonical name, or None when no topic was given."""
    if not topic:
        return "", None
    key = normalize_tag(topic)
    for slug, found in kb.topics.items():
        names = {normalize_tag(slug), normalize_tag(found.name)}
        if found.description:
            names |= {normalize_tag(alias) for alias in found.description.aliases}
        if key in names:
            folders = Counter(path.rsplit("/", 1)[0] for path in found.articles if "/" in path)
            # The topic's name, not its slug: a slug made unique (big-95c4be) is no tag of it.
            return (folders.most_common(1)[0][0] if folders else slug), found.name
    return slugify(topic), topic.strip()


def new_page(
    kb: KnowledgeBase, content_dir: Path, title: str, kind: str = "article", topic: str | None = None,
    owner: str | None = None,
) -> tuple[Path, str | None]:
    """Write the page and return its path, and the owner it was given (None when kb could not tell)."""
    if kind not in (*TYPES, "person"):
        raise NewPageError(f"unknown page type {kind!r}; use one of: {', '.join(TYPES)}, or --person")
    if not title.strip():
        raise NewPageError("the title is empty")
    name, email = git_identity(content_dir)
    if kind == "person":
        folder, file_name, owner = kb.config.people_dir, slugify(title), None
    else:
        folder, topic = folder_for(kb, topic)
        file_name = slugify(title)
        if owner is None:
            owner = kb.identities.person_of(name, email)
    path = content_dir / folder / f"{file_name}.md"
    if path.exists():
        raise NewPageError(f"{path} already exists")
    if kind == "person":
        # A profile claims this checkout's git identity only when it is the committer's own.
        own = bool(name) and name.casefold() == title.strip().casefold()
        text = profile_text(template(content_dir, kind), title, (name,) if own else (), email if own else "")
    else:
        text = page_text(template(content_dir, kind), title, topic, owner)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path, owner
