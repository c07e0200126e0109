"""The `kb` command: `kb check` reports every problem in a knowledge base, without building it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import git

from kb.analyse.knowledge import KnowledgeBase, build_knowledge_base, summarize_held_back
from kb.barrier import InternalError
from kb.commands.adopt import build_adoption, render_adoption
from kb.commands.new import TYPES, NewPageError, new_page
from kb.commands.publish import build_site
from kb.commands.report import render_report, report_json
from kb.config import KbConfig
from kb.diagnostics import Diagnostic, Severity, count_by_severity, format_github, format_json, format_text, sort_diagnostics
from kb.read.history import PendingHistory, changed_since
from kb.siteconfig import find_config_file, minimal_site_settings, read_site_settings


class Loaded(NamedTuple):
    content_dir: Path
    config: KbConfig
    kb: KnowledgeBase
    #: Problems with the site as a whole, from mkdocs.yml (a public site_url, say).
    site_diagnostics: tuple[Diagnostic, ...]


def _content_dir(argument: str | None) -> tuple[Path, KbConfig, tuple[Diagnostic, ...]]:
    """The content directory to work on (an argument, else mkdocs.yml's docs_dir, else
    content/), the site's kb options and the problems of its configuration."""
    config_file = find_config_file()
    if config_file is None:
        return Path(argument or "content"), KbConfig(), ()
    settings = read_site_settings(config_file)
    return (Path(argument) if argument else settings.docs_dir), settings.config, settings.diagnostics


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}


def _load(directory: str | None, with_history: bool, adopting: bool = False) -> Loaded | None:
    """The knowledge base of the content directory (see _content_dir), with its git history if
    asked for; None, with a message, when there is no such directory. `adopting` reads a folder
    without a mkdocs.yml as the smallest configuration with kb would (kb.siteconfig)."""
    content_dir, config, site_diagnostics = _content_dir(directory)
    if adopting and find_config_file() is None:
        config = minimal_site_settings(content_dir).config
    if not content_dir.is_dir():
        print(f"kb: no content directory at {content_dir}", file=sys.stderr)
        return None
    history = PendingHistory(content_dir, config.bots) if with_history else None
    kb = build_knowledge_base(content_dir, config, content_dir.as_posix(), history)
    return Loaded(content_dir, config, kb, site_diagnostics)


def check(args: argparse.Namespace) -> int:
    loaded = _load(args.dir, with_history=True)
    if loaded is None:
        return 2
    content_dir, kb = loaded.content_dir, loaded.kb
    if args.wanted:
        return print_wanted(kb, args.format)
    if args.people:
        return print_people(kb, args.format)
    if args.since:
        return print_resets(kb, content_dir, args.since, args.format)
    # What `mkdocs build` reports: the problems of every page and of the site as a whole.
    diagnostics = sort_diagnostics([*loaded.site_diagnostics, *kb.diagnostics])
    shown = [d for d in diagnostics if args.format == "json" or d.severity is not Severity.INFO or args.verbose]
    sys.stdout.write(FORMATTERS[args.format](shown))
    if args.verbose:
        for diagnostic in shown:
            if diagnostic.detail:
                print(f"{diagnostic.path}: {diagnostic.code}:\n{diagnostic.detail}", file=sys.stderr)
    counts = count_by_severity(diagnostics)
    if args.format == "text":
        pages = len(kb.articles) + len(kb.people) + len(kb.topic_pages)
        print(
            f"kb: {pages} pages checked, {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings"
            f", {summarize_held_back(kb.held_back)}" + (", topics from folders" if kb.folder_topics else ""),
            file=sys.stderr,
        )
    failed = counts[Severity.ERROR] > 0 or (args.strict and counts[Severity.WARNING] > 0)
    return 1 if failed else 0


def print_wanted(kb: KnowledgeBase, output_format: str) -> int:
    """Pages that wikilinks ask for and nobody has written, most wanted first."""
    rows = sorted(
        ((name, sorted({_display(kb, edge.source) for edge in edges}), len(edges)) for name, edges in kb.links.wanted.items()),
        key=lambda row: (-row[2], row[0].casefold()),
    )
    if output_format == "json":
        data = [{"name": name, "links": count, "linked_from": sources} for name, sources, count in rows]
        print(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True))
        return 0
    for name, sources, count in rows:
        print(f"{name}\t{count} {'link' if count == 1 else 'links'}\t{', '.join(sources)}")
    print(f"kb: {len(rows)} wanted {'page' if len(rows) == 1 else 'pages'}", file=sys.stderr)
    return 0


def print_people(kb: KnowledgeBase, output_format: str, limit: int = 20) -> int:
    """The most active git authors who have no profile: their work counts nowhere as expertise."""
    if not kb.history.known:
        print(f"kb: no git history ({kb.read.history.state}), so no authors to list", file=sys.stderr)
        return 1
    rows = sorted(kb.expertise.unknown_authors.items(), key=lambda row: (-row[1], row[0].casefold()))[:limit]
    if output_format == "json":
        print(json.dumps([{"name": name, "changes": count} for name, count in rows], indent=2, ensure_ascii=False))
        return 0
    for name, count in rows:
        print(f"{name}\t{count} {'change' if count == 1 else 'changes'}")
    people_dir = kb.config.people_dir
    print(f"kb: {len(rows)} active authors without a profile; add {people_dir}/<id>.md with their git names "
          "and emails under 'names' and 'emails' so their work counts", file=sys.stderr)
    return 0


def print_resets(kb: KnowledgeBase, content_dir: Path, revision: str, output_format: str) -> int:
    """Vetted pages that the changes since `revision` touch: merging resets their review."""
    try:
        changed = changed_since(content_dir, revision)
    except git.GitCommandError as error:
        print(f"kb: cannot compare with {revision!r}: {error.stderr.strip()}", file=sys.stderr)
        return 2
    notes = []
    for path in changed:
        article = kb.articles.get(path)
        if article and article.status.is_vetted:
            reviewer = kb.people[article.reviewed_by].name if article.reviewed_by in kb.people else article.reviewed_by
            when = f" on {article.reviewed_on.isoformat()}" if article.reviewed_on else ""
            notes.append(Diagnostic(
                article.display, article.meta_line("status"), 1, Severity.INFO, "review.reset",
                f"this change resets the {article.status.value} status reviewed by {reviewer}{when}; "
                "ask them, or another reviewer, to review it again"))
    sys.stdout.write(FORMATTERS[output_format](notes))
    if output_format == "text":
        print(f"kb: {len(notes)} vetted {'page' if len(notes) == 1 else 'pages'} changed since {revision}", file=sys.stderr)
    return 0


def report(args: argparse.Namespace) -> int:
    loaded = _load(args.dir, with_history=True)
    if loaded is None:
        return 2
    kb = loaded.kb
    sys.stdout.write(report_json(kb) if args.format == "json" else render_report(kb))
    return 0


def adopt(args: argparse.Namespace) -> int:
    loaded = _load(args.dir, with_history=True, adopting=True)
    if loaded is None:
        return 2
    sys.stdout.write(render_adoption(build_adoption(loaded.kb, loaded.content_dir.as_posix(), loaded.site_diagnostics)))
    return 0


def new(args: argparse.Namespace) -> int:
    loaded = _load(args.dir, with_history=False)
    if loaded is None:
        return 2
    content_dir, config, kb = loaded.content_dir, loaded.config, loaded.kb
    owner = args.owner
    if owner and owner not in kb.people:
        print(f"kb: no person '{owner}' in {config.people_dir}/; the page names them anyway", file=sys.stderr)
    try:
        path, owner = new_page(kb, content_dir, args.title, "person" if args.person else args.type, args.topic, owner)
    except NewPageError as error:
        print(f"kb: {error}", file=sys.stderr)
        return 1
    print(path.as_posix())
    if not args.person and owner is None:
        print("kb: no owner: your git identity is in no profile; add --owner YOUR-ID, or add your git email to "
              f"your profile in {config.people_dir}/ (kb new --person \"Your Name\")", file=sys.stderr)
    return 0


def build(args: argparse.Namespace) -> int:
    config_file = Path(args.config_file) if args.config_file else find_config_file()
    if config_file is None or not config_file.is_file():
        print(f"kb: no {config_file or 'mkdocs.yml'}", file=sys.stderr)
        return 2
    return build_site(config_file, strict=not args.no_strict, site_dir=Path(args.site_dir) if args.site_dir else None)


def _display(kb: KnowledgeBase, path: str) -> str:
    page = kb.page(path)
    return page.display if page else path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kb", description="Work with a kb knowledge base.")
    commands = parser.add_subparsers(dest="command", required=True)
    checker = commands.add_parser(
        "check",
        help="report every problem in the content",
        description="Report every problem in the content as path:line:col: severity: message [code]. "
        "Exits 1 on any error (and on any warning with --strict).",
    )
    checker.add_argument("dir", nargs="?", help="content directory (default: docs_dir of ./mkdocs.yml, else content/)")
    checker.add_argument("--format", choices=("text", "github", "json"), default="text")
    checker.add_argument("--strict", action="store_true", help="fail on warnings too")
    checker.add_argument("--verbose", action="store_true",
                         help="show notes (info) as well, and the details of any internal error")
    checker.add_argument("--wanted", action="store_true", help="list wanted pages (wikilink targets nobody wrote) instead")
    checker.add_argument("--people", action="store_true", help="list the most active git authors without a profile instead")
    checker.add_argument("--since", metavar="REV", help="list the vetted pages that the changes since REV would reset")
    checker.set_defaults(run=check)
    reporter = commands.add_parser(
        "report", help="print the insights: reviews due, gaps, orphans, activity",
        description="The insights page as tables in the terminal (or JSON), from the content and its git history.")
    reporter.add_argument("dir", nargs="?", help="content directory (default: docs_dir of ./mkdocs.yml, else content/)")
    reporter.add_argument("--format", choices=("text", "json"), default="text")
    reporter.add_argument("--verbose", action="store_true", help="show the details of any internal error")
    reporter.set_defaults(run=report)
    adopter = commands.add_parser(
        "adopt", help="report what kb would make of an existing folder of Markdown, and the configuration it needs",
        description="Read a vault or docs tree as the build would, before kb is added to it, and report: the pages "
        "published and held back, the problems by code, the people in git and the names that are likely one "
        "person, whether topics come from folders, and the mkdocs.yml lines that fit the content.")
    adopter.add_argument("dir", nargs="?", help="the docs folder (default: docs_dir of ./mkdocs.yml, else content/)")
    adopter.add_argument("--verbose", action="store_true", help="show the details of any internal error")
    adopter.set_defaults(run=adopt)
    creator = commands.add_parser(
        "new", help="start a page from a template",
        description="Write a new page from the wiki's template for its type, in the folder of its topic, "
        "owned by you (from your git identity) unless --owner says otherwise, and print where it went.")
    creator.add_argument("title")
    creator.add_argument("--topic", help="the page's topic: it goes in the folder where that topic's pages are")
    creator.add_argument("--type", choices=TYPES, default="article")
    creator.add_argument("--owner", help="person id of the owner (default: whoever your git identity belongs to)")
    creator.add_argument("--person", action="store_true", help="start a person profile called TITLE instead")
    creator.add_argument("--dir", help="content directory (default: docs_dir of ./mkdocs.yml, else content/)")
    creator.set_defaults(run=new)
    builder = commands.add_parser(
        "build", help="build the site, replacing the published one only if the build succeeds",
        description="Run mkdocs build into a directory beside the site and swap it in only when it succeeded: "
        "a failed build leaves the last good site in place.")
    builder.add_argument("-f", "--config-file", help="the site's config (default: ./mkdocs.yml, else ./mkdocs.yaml)")
    builder.add_argument("-d", "--site-dir", help="where the site goes (default: site_dir of the config)")
    builder.add_argument("--no-strict", action="store_true", help="publish even with warnings (errors still withhold pages)")
    builder.set_defaults(run=build)
    server = commands.add_parser(
        "serve", help="preview the site, showing each saved page within a second or two",
        description="Run mkdocs serve --dirty: a saved page is written alone first, with what the last build knew, "
        "then the pages it changed elsewhere (backlinks, topics, people, listings); a page added, removed or "
        "retitled, or a change to mkdocs.yml, builds the whole site again.")
    server.add_argument("-f", "--config-file", help="the site's config (default: ./mkdocs.yml, else ./mkdocs.yaml)")
    server.add_argument("-a", "--dev-addr", metavar="IP:PORT", help="where to serve (default: 127.0.0.1:8000)")
    server.add_argument("--open", action="store_true", help="open the preview in a browser")
    server.add_argument("--poll", action="store_true",
                        help="look for changes by polling every file twice a second, as mkdocs serve does: for a wiki "
                             "in a folder Docker or a network drive mounts, where saves are otherwise not seen")
    server.set_defaults(run=serve)
    return parser


def serve(args: argparse.Namespace) -> int:
    """`mkdocs serve --dirty` in this process's place: MkDocs keeps the output between builds only
    then, and kb's plugin writes what each save changed (mkdocs_kb.preview)."""
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty"]
    if args.config_file:
        command += ["--config-file", args.config_file]
    if args.dev_addr:
        command += ["--dev-addr", args.dev_addr]
    if args.open:
        command.append("--open")
    if args.poll:
        # The plugin reads it (mkdocs_kb.plugin.POLL): kb's core knows nothing of MkDocs.
        os.environ["KB_SERVE_POLL"] = "1"
    os.execv(sys.executable, command)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except InternalError as error:
        # A bug in kb that no single page explains: say so plainly; the traceback is for --verbose.
        print(f"kb: internal error: {error}", file=sys.stderr)
        if getattr(args, "verbose", False) and error.detail:
            print(error.detail, file=sys.stderr)
        else:
            print("kb: run with --verbose for the details, and please report them", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
