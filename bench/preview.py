"""The preview benchmark: how soon `kb serve` (mkdocs serve --dirty) shows a save.

    python $KB_CORPUS_SCRIPT 1000 /tmp/corpus        # the corpus generator bench/run.py uses
    python bench/preview.py /tmp/corpus [--out bench/results.md] [--rounds 3]

It copies the corpus (pages and git history: the benchmark edits pages), starts the server on
it as `make serve` does, and waits for the first build. Then, each round, it saves two pages
and reads them from the server over HTTP, as a browser does (the server holds a request while
it builds): a page whose text changed, until it shows the new text; and a page whose tag and
one link changed, until it shows them, and then until its new topic's page lists it, the page
it now links to lists it under "Linked from", and its owner's profile is written again. Times
are from the save. With --out it replaces the "Preview" section of the results file.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from run import CONFIGS, machine
from search import replace_section

HEADING = "## Preview"


@dataclass(frozen=True)
class Subjects:
    """The pages a round edits and reads: content paths, topic slugs and URLs."""

    text_page: str
    tag_page: str
    tag_title: str
    old_tag: str
    new_tag: str
    topic_url: str
    linked_page: str
    owner_url: str | None


def url_of(path: str) -> str:
    from kb.urls import page_url

    return "/" + page_url(path, True)


def choose(content: Path) -> Subjects:
    """Published articles with an owner and tags written as a list of slugs, a small topic the
    second is not in (so that its page lists every one of its pages), and a page nobody links
    to yet: read as kb reads them."""
    from kb.analyse.knowledge import build_knowledge_base
    from kb.config import KbConfig

    kb = build_knowledge_base(content, KbConfig(), "content", None)

    def slug_listed(path: str) -> bool:
        topics = kb.article_topics.get(path, ())
        return bool(topics) and f"\n  - {topics[0]}\n" in (content / path).read_text(encoding="utf-8")

    articles = [path for path, article in sorted(kb.articles.items()) if article.owners and slug_listed(path)]
    small = sorted((slug for slug, topic in kb.topics.items() if 0 < len(topic.articles) < 10
                    and topic.description is None), key=lambda slug: (len(kb.topics[slug].articles), slug))
    unlinked = [path for path in sorted(kb.articles) if not kb.links.backlinks.get(path)]
    text_page, tag_page = articles[0], articles[len(articles) // 2]
    new_tag = next(slug for slug in small if tag_page not in kb.topics[slug].articles)
    linked = next(path for path in unlinked if path not in (text_page, tag_page))
    owner = kb.people.get(kb.articles[tag_page].owners[0])
    return Subjects(text_page, tag_page, kb.articles[tag_page].title, kb.article_topics[tag_page][0], new_tag,
                    url_of(kb.topic_path(new_tag)), linked, url_of(owner.path) if owner else None)


def fetch(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=600) as response:
        text = response.read().decode("utf-8", "replace")
    # The server adds its live-reload script, which differs on every request.
    end = text.rfind("<script>")
    return text[:end] if end >= 0 else text


def wait_for(condition: Callable[[], bool], started: float, limit: float) -> float | None:
    """Seconds from `started` until `condition` holds; None if it did not within `limit`."""
    while time.perf_counter() - started < limit:
        try:
            if condition():
                return time.perf_counter() - started
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
            # (A page read while the server writes it comes short: read it again.)
            pass
        time.sleep(0.05)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def edit(path: Path, change: Callable[[str], str]) -> None:
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, path
    path.write_text(changed, encoding="utf-8")


def one_round(base: str, content: Path, subjects: Subjects, number: int, limit: float) -> dict[str, float | None]:
    found: dict[str, float | None] = {}
    marker = f"Preview marker {number} {time.time_ns()}"
    page = content / subjects.text_page
    edit(page, lambda text: text.rstrip("\n") + f"\n\n{marker}\n")
    started = time.perf_counter()
    found["text: page"] = wait_for(lambda: marker in fetch(base, url_of(subjects.text_page)), started, limit)
    time.sleep(6)  # the rest of that save is written before the next one

    owner_before = fetch(base, subjects.owner_url) if subjects.owner_url else ""
    target = os.path.relpath(subjects.linked_page, os.path.dirname(subjects.tag_page))
    tagged = content / subjects.tag_page
    # Odd rounds move the page to the small topic, even ones back.
    old, new = (subjects.old_tag, subjects.new_tag) if number % 2 else (subjects.new_tag, subjects.old_tag)
    edit(tagged, lambda text: text.replace(f"\n  - {old}\n", f"\n  - {new}\n", 1).rstrip("\n")
         + f"\n\nSee [the other page]({target}).\n")
    started = time.perf_counter()
    title = html.escape(subjects.tag_title, quote=False)
    moved = number % 2 == 1
    found["tags: page text"] = wait_for(lambda: "the other page" in fetch(base, url_of(subjects.tag_page)), started, limit)
    found["tags: page header"] = wait_for(
        lambda: (f"topics/{subjects.new_tag}/" in fetch(base, url_of(subjects.tag_page))) == moved, started, limit)
    found["tags: topic page"] = wait_for(lambda: (title in fetch(base, subjects.topic_url)) == moved, started, limit)
    found["tags: linked page"] = wait_for(lambda: title in fetch(base, url_of(subjects.linked_page)), started, limit)
    if subjects.owner_url:
        found["tags: owner's page"] = wait_for(lambda: fetch(base, subjects.owner_url) != owner_before, started, limit)
    # The link goes again, so that the next round adds it anew.
    edit(tagged, lambda text: text.replace(f"\n\nSee [the other page]({target}).\n", "\n"))
    time.sleep(8)
    return found


def measure(corpus: Path, work: Path, rounds: int, limit: float) -> str:
    """The figures of one corpus, as Markdown."""
    wiki = work / "wiki"
    if wiki.exists():
        shutil.rmtree(wiki)
    shutil.copytree(corpus, wiki, symlinks=True, ignore=shutil.ignore_patterns("site*", "mkdocs*.yml"))
    (wiki / "mkdocs.yml").write_text(CONFIGS["kb"], encoding="utf-8")
    subjects = choose(wiki / "content")
    pages = sum(1 for _ in (wiki / "content").rglob("*.md"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    env.pop("CI", None)
    command = [sys.executable, "-m", "kb.commands.cli", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    results: list[dict[str, float | None]] = []
    with (work / f"serve-{pages}.log").open("w") as log:
        started = time.perf_counter()
        server = subprocess.Popen(command, cwd=wiki, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            first = wait_for(lambda: bool(fetch(base, "/")), started, 3600) or 0.0
            print(f"preview: {pages} pages, first build {first:.1f} s", file=sys.stderr, flush=True)
            for number in range(1, rounds + 1):
                results.append(one_round(base, wiki / "content", subjects, number, limit))
                print(f"preview: round {number}: " + ", ".join(
                    f"{name} {'–' if seconds is None else f'{seconds:.2f}'}" for name, seconds in results[-1].items()),
                    file=sys.stderr, flush=True)
            load = os.getloadavg()
        finally:
            server.terminate()
            server.wait(timeout=60)
    lines = [f"{pages:,} Markdown files (`make_corpus.py`), first build {first:.0f} s, load average {load[0]:.1f} "
             f"(1 min) / {load[1]:.1f} (5 min) after the last round. Seconds from the save until the server "
             f"shows it, median of {rounds} rounds (worst):", "", "| what | seconds |", "|---|---:|"]
    for name in results[0]:
        values = [found[name] for found in results]
        shown = [value for value in values if value is not None]
        cell = f"{statistics.median(shown):.2f} ({max(shown):.2f})" if shown else "–"
        if len(shown) < len(values):
            cell += f", {len(values) - len(shown)} not within {limit:.0f} s"
        lines.append(f"| {name} | {cell} |")
    stages = follow_up_stages((work / f"serve-{pages}.log").read_text(encoding="utf-8", errors="replace"))
    if stages:
        lines += ["", f"Where the time went until the pages next to a save were written, in seconds, median of the "
                      f"{len(stages)} saves whose follow-up got that far (the server's log):", "",
                  "| " + " | ".join(stages[0]) + " |", "|" + "---:|" * len(stages[0]),
                  "| " + " | ".join(f"{statistics.median(found.get(name, 0.0) for found in stages):.2f}"
                                    for name in stages[0]) + " |"]
    return "\n".join(lines) + "\n"


#: The preview's line when a save's neighbours are written (mkdocs_kb.preview).
NEAR_WRITTEN = re.compile(r"kb: \d+ pages next to the save are written \((.*)\)")


def follow_up_stages(log: str) -> list[dict[str, float]]:
    """Each follow-up's seconds by stage, as the server logged them."""
    found = []
    for match in NEAR_WRITTEN.finditer(log):
        stages = {}
        for part in match.group(1).split(", "):
            name, _, seconds = part.rpartition(" ")[0].rpartition(" ")
            stages[name] = float(seconds)
        found.append(stages)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path, help="corpora of make_corpus.py: content/ and its git history")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds to wait for any one thing")
    parser.add_argument("--out", type=Path, help="the results file whose Preview section to replace")
    parser.add_argument("--work", type=Path, help="where the copies go (default: a temporary directory)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="kb-preview-"))
    work.mkdir(parents=True, exist_ok=True)
    blocks = [measure(corpus, work, args.rounds, args.limit) for corpus in args.corpora]
    section = "\n".join([INTRO.format(heading=HEADING, machine=machine()), *blocks])
    print(section)
    if args.out:
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        args.out.write_text(replace_section(old, HEADING, section), encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all("not within" not in block for block in blocks) else 1


INTRO = """{heading}

`kb serve` (what `make serve` runs: `mkdocs serve --dirty` with kb) on a copy of each corpus, written by
`python bench/preview.py CORPUS... --out bench/results.md`. Each round saves one page's text, then
another page's tag (to a small topic and back) and a new link from it, and reads pages from the
server as a browser does. `page` is the saved page's new text, which the preview writes without a
MkDocs build; `page header` its topics, which that shows as the last build knew them; `topic page`,
`linked page` and `owner's page` are the pages the save changed elsewhere, which the follow-up
writes once it has derived the wiki again. The search index stays the last whole build's. Machine:
{machine}.
"""


if __name__ == "__main__":
    raise SystemExit(main())
