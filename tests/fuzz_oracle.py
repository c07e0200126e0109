"""The properties every fuzzed wiki must have, checked on what kb and MkDocs did with it.

Each broken property is a Failure with a signature: a short, stable name for the kind of
failure (the exception and where it was raised, the draft convention that leaked, the
diagnostic code that points nowhere), so that a thousand examples of one bug count as one.
"""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from fuzz_content import Page, Wiki
from fuzz_fork import Ran
from fuzz_run import result_of
from html_safety import unsafe_in_article

DIAGNOSTIC = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info): (?P<message>.*) "
                        r"\[(?P<code>[\w.-]+)\]$", re.DOTALL)
#: Codes of the diagnostics that say their file is not published.
HELD_BACK = frozenset({"frontmatter.yaml", "status.invalid", "secret.found", "file.active", "file.symlink", "page.too-large",
                       "file.encoding", "file.binary", "file.unreadable", "file.type", "svg.invalid", "svg.too-large"})
#: A plain key that a diagnostic names, as in "unknown front matter key 'colour'" or "'tags': expected".
_KEY = re.compile(r"front matter key '([A-Za-z0-9_.-]+)'|^'([A-Za-z0-9_.-]+)': ")
_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line \d+, in (?P<function>.+)$', re.MULTILINE)


@dataclass(frozen=True)
class Failure:
    signature: str
    detail: str


def check(wiki: Wiki, root: Path, results: list[Ran]) -> list[Failure]:
    """Every property of one run; an empty list when all hold."""
    failures: list[Failure] = []
    for ran in results:
        failures += _ran_cleanly(ran)
    listed = result_of(results, "kb check --format json")
    diagnostics = _json_diagnostics(listed, failures) if listed else []
    failures += _locations(root, diagnostics, "kb check")
    text = result_of(results, "kb check --verbose")
    if text and listed and text.raised is None and listed.raised is None:
        failures += _text_matches_json(text, diagnostics)
    built = result_of(results, "mkdocs build")
    held = _held_back(listed, diagnostics)
    if listed and listed.raised is None and not listed.hung:
        failures += _drafts_held(wiki, held)
    if built is not None and built.raised is None and not built.hung:
        logged = [m for _, m in built.records if DIAGNOSTIC.match(m)]
        failures += _locations(root, [_parse(m) for m in logged], "mkdocs build")
        if listed and listed.raised is None:
            failures += _parity({_format(d) for d in diagnostics}, set(logged))
        failures += _site(wiki, root / "site", held)
    return _unique(failures)


def _ran_cleanly(ran: Ran) -> list[Failure]:
    found = []
    if ran.raised:
        found.append(Failure(crash_signature(ran.raised), f"{ran.command} raised:\n{ran.raised}"))
    if ran.hung:
        found.append(Failure(f"hang: {ran.command}", f"{ran.command} did not finish in time and was killed"))
    if ran.signal:
        found.append(Failure(f"killed by signal {ran.signal}: {ran.command}", f"{ran.command} died by signal {ran.signal}"))
    for stream, text in (("stdout", ran.stdout), ("stderr", ran.stderr), ("log", "\n".join(m for _, m in ran.records))):
        if "Traceback (most recent call last)" in text:
            where = text[text.index("Traceback (most recent call last)"):]
            found.append(Failure(f"traceback printed: {crash_signature(where)}", f"{ran.command} printed to {stream}:\n{where}"))
    if ran.stragglers:
        found.append(Failure(f"processes left running: {ran.command}", f"still running after it ended: {ran.stragglers}"))
    if ran.command.startswith("kb check") and ran.returncode not in (None, 0, 1) and not ran.raised:
        found.append(Failure(f"exit status {ran.returncode}: {ran.command}", ran.stderr[-2000:]))
    return found


def crash_signature(trace: str) -> str:
    """`ValueError in construct_yaml_timestamp (yaml/constructor.py) from kb/read/metadata.py` for
    a traceback: the exception, the innermost frame, and the innermost of kb's own modules (not
    its function: the same bug may pass through different ones)."""
    frames = _FRAME.findall(trace)
    last = trace.strip().splitlines()[-1] if trace.strip() else "?"
    exception = last.split(":", 1)[0].strip().rsplit(".", 1)[-1]
    if not frames:
        return f"crash: {exception}"
    inner_file, inner_function = frames[-1]
    ours = [_short(file) for file, _ in frames if "/kb/" in file or "/mkdocs_kb/" in file]
    return f"crash: {exception} in {inner_function} ({_short(inner_file)})" + (f" from {ours[-1]}" if ours else "")


def _short(file: str) -> str:
    parts = file.replace("\\", "/").split("/")
    for anchor in ("site-packages", "wt-fuzz", "main", "lib"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1:])
    return "/".join(parts[-2:])


def _json_diagnostics(ran: Ran, failures: list[Failure]) -> list[dict[str, object]]:
    if ran.raised or ran.hung:
        return []
    try:
        rows = json.loads(ran.stdout)
    except ValueError as error:
        failures.append(Failure("kb check --format json: not JSON", f"{error}: {ran.stdout[:500]!r}"))
        return []
    errors = sum(1 for row in rows if row["severity"] == "error")
    if (ran.returncode == 1) != (errors > 0):
        failures.append(Failure("kb check: exit status disagrees with errors", f"exit {ran.returncode}, {errors} errors"))
    return rows


def _format(row: dict[str, object]) -> str:
    return f"{row['path']}:{row['line']}:{row['col']}: {row['severity']}: {row['message']} [{row['code']}]"


def _parse(message: str) -> dict[str, object]:
    match = DIAGNOSTIC.match(message)
    assert match is not None
    return {**match.groupdict(), "line": int(match["line"]), "col": int(match["col"])}


def _locations(root: Path, diagnostics: list[dict[str, object]], tool: str) -> list[Failure]:
    """Every diagnostic names a file that exists and a line within it."""
    found = []
    for row in diagnostics:
        path, line, col = root / str(row["path"]), int(str(row["line"])), int(str(row["col"]))
        if not path.exists() and not path.is_symlink():
            found.append(Failure(f"{tool}: diagnostic names a missing file [{row['code']}]", _format(row)))
        elif path.is_file():
            text = path.read_bytes().decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
            lines = text.split("\n")
            if not 1 <= line <= len(lines) + 1 or col < 1:
                found.append(Failure(f"{tool}: diagnostic points past the file [{row['code']}]",
                                     f"{_format(row)} (the file has {len(lines)} lines)"))
                continue
            named = _KEY.search(str(row["message"]))
            key = named and (named[1] or named[2])
            if key and line <= len(lines) and key not in lines[line - 1]:
                found.append(Failure(f"{tool}: diagnostic points at a line without its key [{row['code']}]",
                                     f"{_format(row)}, but line {line} is {lines[line - 1][:200]!r}"))
    return found


def _text_matches_json(ran: Ran, diagnostics: list[dict[str, object]]) -> list[Failure]:
    """`kb check` prints one well-formed line per diagnostic: editors and CI read it so."""
    lines = ran.stdout.splitlines()
    bad = [line for line in lines if not DIAGNOSTIC.match(line)]
    if bad or len(lines) != len(diagnostics):
        return [Failure("kb check: output lines are not one diagnostic each",
                        f"{len(lines)} lines for {len(diagnostics)} diagnostics; first bad line: {bad[:1]!r}")]
    return []


def _parity(checked: set[str], logged: set[str]) -> list[Failure]:
    found = []
    for line in sorted(checked - logged):
        found.append(Failure(f"parity: [{_parse(line)['code']}] only in kb check", line))
    for line in sorted(logged - checked):
        found.append(Failure(f"parity: [{_parse(line)['code']}] only in mkdocs build", line))
    return found


def _held_back(listed: Ran | None, diagnostics: list[dict[str, object]]) -> dict[str, str]:
    """Paths kb says it does not publish, with the code that says so."""
    held = {f"docs/{path}": "withheld" for path in (listed.withheld if listed else [])}
    for row in diagnostics:
        if row["code"] in HELD_BACK:
            held[str(row["path"])] = str(row["code"])
    return held


def _drafts_held(wiki: Wiki, held: dict[str, str]) -> list[Failure]:
    """kb's own account: every draft is among the files it says it does not publish."""
    return [Failure(f"draft not held back: {family(page)}", f"{page.path} ({page.how}) is not among kb's withheld files")
            for page in wiki.with_role("draft") if page.path not in held]


def output_files(site: Path) -> dict[str, bytes]:
    """Every output file by its path in the site, decompressed."""
    files = {}
    for path in sorted(site.rglob("*")) if site.is_dir() else ():
        if path.is_file():
            data = path.read_bytes()
            files[path.relative_to(site).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return files


#: The suffixes MkDocs renders as pages, case and all.
MKDOCS_PAGES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def _site(wiki: Wiki, site: Path, held: dict[str, str]) -> list[Failure]:
    texts = output_files(site)
    # Markers are matched without case: search indexes and topic slugs lower-case them.
    lowered = {name: data.lower() for name, data in texts.items()}
    found = []
    for page in wiki.pages:
        # `Page.MD` is no page to MkDocs (it would copy the file as it is): kb may hold it back,
        # but must say why.
        role = page.role if page.path.endswith(MKDOCS_PAGES) or page.role != "clean" else "published"
        marker = page.marker.lower().encode()
        where = sorted(name for name, data in lowered.items() if marker in data) if page.marker else []
        if page.role == "draft" and where:
            found.append(Failure(f"leak: draft page ({family(page)})", f"{page.path} ({page.how}) reached {where[:5]}"))
        elif page.path in held and page.role != "draft" and where:
            found.append(Failure(f"leak: page kb held back [{held[page.path]}]", f"{page.path} reached {where[:5]}"))
        elif role == "clean" and not where:
            reason = f"held back [{held[page.path]}]" if page.path in held else "silently"
            found.append(Failure(f"clean page not published, {reason}", page.path))
        elif role == "published" and not where and page.path not in held:
            found.append(Failure("published page missing, and kb did not say why", page.path))
    for name, data in texts.items():
        found += _well_formed(name, data)
        if name.endswith(".html"):
            unsafe = unsafe_in_article(data.decode("utf-8", "replace"))
            if unsafe:
                found.append(Failure(f"unsafe HTML in an article: {unsafe[0].split(' ')[0]}", f"{name}: {unsafe}"))
    return found


def _well_formed(name: str, data: bytes) -> list[Failure]:
    try:
        if name.endswith(".xml"):
            ElementTree.fromstring(data)
        elif name.endswith(".json"):
            json.loads(data)
    except (ElementTree.ParseError, ValueError) as error:
        kind = "feeds/<topic>.xml" if name.startswith("feeds/") else name.rsplit("/", 1)[-1]
        return [Failure(f"malformed output: {kind}", f"{name}: {error}")]
    return []


def family(page: Page) -> str:
    """The way a draft says so, without the spelling of its value: `draft:` at the top,
    `header after a blank line`, `TOML header`. One fix in kb usually covers a whole family."""
    how = page.how
    for form, name in (("toml ", "TOML header"), ("json ", "JSON header"), ("multimarkdown ", "MultiMarkdown header")):
        if how.startswith(form):
            return name
    if how.endswith(")") and " (" in how:
        place = how[how.rindex(" (") + 2 : -1]
        return {"blank line": "header after a blank line", "html comment": "header after an HTML comment"}.get(
            place, "header closed by '...'")
    if ":" in how and not how.startswith("unreadable"):
        return how.removeprefix("? ").split(":", 1)[0].strip().strip("'\"") + ":"
    return how


def _unique(failures: list[Failure]) -> list[Failure]:
    seen: dict[str, Failure] = {}
    for failure in failures:
        seen.setdefault(failure.signature, failure)
    return list(seen.values())
