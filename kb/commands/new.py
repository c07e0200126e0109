"""`kb new`: a new page from a template, in the right folder, with valid front matter.

Templates are the wiki's own (`.kb/templates/<type>.md` in the content directory), so its
maintainers can change them; kb's defaults are used for any type the wiki does not define.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import git

from kb.analyse.knowledge import KnowledgeBase
from kb.analyse.topics import normalize_tag, slugify

TYPES = ("article", "how-to", "question", "community")
TEMPLATES_DIR = ".kb/templates"


class NewPageError(ValueError):
    """Why the page was not written: it exists already, or a name is not usable."""


def template(content_dir: Path, kind: str) -> str:
    own = content_dir / TEMPLATES_DIR / f"{kind}.md"
    if own.is_file():
        return own.read_text(encoding="utf-8")
    return resources.files("kb").joinpath("templates", f"{kind}.md").read_text(encoding="utf-8")


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


def page_text(template_text: str, title: str, topic: str | None = None, owner: str | None = None) -> str:
    """A template with the title, topic and owner filled in (quoted, so any title is valid YAML)."""
    text = template_text.replace("{title}", json.dumps(title.strip(), ensure_ascii=False))
    text = text.replace("[{topic}]", f"[{json.dumps(topic, ensure_ascii=False)}]" if topic else "[]")
    return text.replace("[{owner}]", f"[{json.dumps(owner, ensure_ascii=False)}]" if owner else "[]")


def profile_text(template_text: str, name: str, git_names: tuple[str, ...] = (), email: str = "") -> str:
    """The person template with their name, the git names that are theirs and, only when given,
    their email (a profile started from the site is never given one: see kb.analyse.identities)."""
    text = page_text(template_text, name)
    text = text.replace("[{email}]", f"[{json.dumps(email)}]" if email else "[]")
    names = ", ".join(json.dumps(git_name, ensure_ascii=False) for git_name in git_names)
    return text.replace("[{git_name}]", f"[{names}]")


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
