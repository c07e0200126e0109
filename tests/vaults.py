"""Two small wikis as teams bring them to kb: an Obsidian vault and a Hugo content tree, each in
a git repository of its own with several authors over several months, no profiles, and (almost)
no tags.

One person commits as `kepano` (GitHub's private address), as `Steph Ango` (another address
with the same handle) and as `Stephan Ango`; one author's git name is an email address; a bot
commits too. No address may reach the site.
"""

from __future__ import annotations

from pathlib import Path

from conftest import commit_files

KEPANO = ("kepano", "12345+kepano@users.noreply.github.com")
STEPH = ("Steph Ango", "kepano@obsidian.example")
STEPHAN = ("Stephan Ango", "stephan@ango.example")
JANE = ("Jane Roe", "jane.roe@vault.example")
#: Someone whose git name is their address: shown as "lee", never as the address.
LEE = ("lee@vault.example", "lee@vault.example")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
AUTHORS = (KEPANO, STEPH, STEPHAN, JANE, LEE, BOT)
#: Every address the repositories hold: none may be in any output file.
EMAILS = tuple(email for _, email in AUTHORS)


def _page(title: str, body: str = "", **meta: str) -> str:
    header = "".join(f"{key}: {value}\n" for key, value in meta.items())
    return f"---\n{header}---\n# {title}\n\n{body or 'Some words about ' + title.lower() + '.'}\n"


def vault_pages(foreign_status: bool = True) -> dict[str, str]:
    """An Obsidian vault: notes in folders, `cssclasses` on many, one tag in all, wikilinks to
    notes nobody wrote. `foreign_status` adds notes with statuses of another tool."""
    pages = {
        "Home.md": _page("Home", "Start with [[Welcome]], then [[Graph view]].", tags="[start]"),
        "Getting started/Welcome.md": _page("Welcome", "See [[Install Obsidian]] and [[Vault basics]].",
                                            cssclasses="[wide]", aliases="[Start here]"),
        "Getting started/Install Obsidian.md": _page("Install Obsidian", "Then read [[First steps]].", cssclasses="[wide]"),
        "Getting started/Vault basics.md": _page("Vault basics", cssclasses="[wide]"),
        "Plugins/Graph view.md": _page("Graph view", "Links show as lines; see [[Backlinks]]."),
        "Plugins/Core plugins/Backlinks.md": _page("Backlinks", "Every note that links here. See [[Plugin ideas]]."),
        "Plugins/Core plugins/Outline.md": _page("Outline", cssclasses="[narrow]"),
        "Plugins/Canvas.md": _page("Canvas", "Not ready.", publish="false"),
        "Sync/Sync setup.md": _page("Sync setup", "Turn it on in settings."),
        "Sync/Sync conflicts.md": _page("Sync conflicts"),
        "Publish/Custom domains.md": _page("Custom domains", "Point the domain at us; see [[DNS records]]."),
        "Publish/Publish settings.md": _page("Publish settings"),
    }
    if foreign_status:
        pages |= {
            "Sync/Selective sync.md": _page("Selective sync", status="Completed"),
            "Publish/Analytics.md": _page("Analytics", "Still writing this.", status="In progress"),
        }
    return pages


def hugo_pages(toml: bool = True) -> dict[str, str]:
    """A Hugo content tree: sections with `_index.md`, `weight` and `categories`, a draft post;
    `toml` adds a page whose front matter is TOML, which kb does not read."""
    pages = {
        "_index.md": _page("Acme docs", "Welcome to the docs."),
        "docs/_index.md": _page("Documentation", weight="1"),
        "docs/install/linux.md": _page("Install on Linux", "Use the package.", weight="10", date="2025-01-05"),
        "docs/install/macos.md": _page("Install on macOS", "Use the installer.", weight="20", date="2025-01-06"),
        "docs/guides/deploy.md": _page("Deploy", "Ship it; then [Install on Linux](../install/linux.md).", weight="5"),
        "docs/guides/rollback.md": _page("Roll back", weight="6"),
        "blog/release.md": _page("Release 1.0", "It is out.", categories="[news]", date="2025-03-01"),
        "blog/hello.md": _page("Hello", "Soon.", draft="true", categories="[news]"),
        "blog/roadmap.md": _page("Roadmap", categories="[plans]", date="2025-04-01"),
    }
    if toml:
        pages["about.md"] = '+++\ntitle = "About"\n+++\nWho we are.\n'
    return pages


def commit_history(root: Path, folder: str, pages: dict[str, str]) -> None:
    """The pages committed over several months by the authors above, each page first written by
    one and then changed by others, so that every author has evidence on some topic."""
    paths = sorted(pages)
    writers = (KEPANO, KEPANO, STEPH, JANE, KEPANO, STEPHAN, LEE)
    for number, path in enumerate(paths):
        month = 1 + number % 9
        commit_files(root, {f"{folder}/{path}": pages[path]}, f"Add {path}", writers[number % len(writers)],
                     f"2025-{month:02d}-10T09:00:00Z")
    for number, path in enumerate(paths[::2]):
        edited = pages[path] + "\nOne more line.\n"
        author = (STEPH, KEPANO, JANE)[number % 3]
        commit_files(root, {f"{folder}/{path}": edited}, f"Expand {path}", author, f"2025-10-{1 + number:02d}T09:00:00Z")
    commit_files(root, {f"{folder}/{paths[0]}": pages[paths[0]] + "\nOne more line.\n\nBumped.\n"}, "Bump", BOT,
                 "2025-11-01T09:00:00Z")
