"""The text a new page starts with: what `kb new` writes, and what the site's "Start this page"
and "Start your profile" links put in the repository's editor.

Templates are the wiki's own (`.kb/templates/<type>.md` in the content directory), so its
maintainers can change them; kb's defaults are used for any type the wiki does not define.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

TEMPLATES_DIR = ".kb/templates"


def template(content_dir: Path, kind: str) -> str:
    own = content_dir / TEMPLATES_DIR / f"{kind}.md"
    if own.is_file():
        return own.read_text(encoding="utf-8")
    return resources.files("kb").joinpath("templates", f"{kind}.md").read_text(encoding="utf-8")


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
