"""Stage 1, collect: walk the content directory and read every Markdown file as text.

kb walks the tree itself, before the site engine does, so that what gets published is decided in
one place: symlinks are refused (MkDocs follows them, out of the repository and into loops) and
every Markdown file is decoded strictly as UTF-8, so a file in another encoding is reported by
name instead of being published as mojibake. Inside a git work tree, files git ignores are
never read (kb.read.worktree), and of files that would take each other's place in a checkout or in
the site only one is published (kb.read.collisions). Other files are published only if their type is
on kb's list (kb.read.attachments), SVG as kb.read.svg rewrites it.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import hashlib
import os
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from kb.barrier import Budget, page_failure
from kb.diagnostics import Diagnostic, Severity
from kb.read.attachments import PUBLISHED_SUFFIXES, SVG_SUFFIX, is_cname, is_editor_file, refusal
from kb.read.collisions import Collision, find_collisions
from kb.read.limits import Limits
from kb.read.secrets import find_secrets, secret_message, text_of_attachment
from kb.read.svg import SvgRefused, sanitize_svg, svg_diagnostics
from kb.read.worktree import WorkTree
from kb.urls import site_path, unsafe_name

#: Exactly the suffixes MkDocs renders as pages (it tells them apart case-sensitively).
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
#: Markdown that MkDocs would not render but copy as it is, front matter and all: `Page.MD`,
#: and MDX. A draft or a private profile would be published as a raw file.
_UNRENDERED_MARKDOWN = (*MARKDOWN_SUFFIXES, ".mdx")
#: Names Windows cannot check out.
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}


@dataclass(frozen=True)
class Source:
    """One Markdown file: its path inside the content directory (POSIX), the path to show in
    diagnostics, and its text with any BOM removed and line endings normalised to LF."""

    path: str
    display: str
    text: str

    @functools.cached_property
    def digest(self) -> bytes:
        """What tells this text from another: a cache of parses keys by it, without the text."""
        return hashlib.blake2b(self.text.encode("utf-8"), digest_size=16).digest()


class PackedSource(Source):
    """A Source whose text is kept compressed, and decompressed each time it is read: once the
    pages are parsed the texts are read again only when the wiki is analysed anew without some
    pages (kb.analyse.knowledge.hold_back), and uncompressed they were a fifth of a built
    knowledge base's memory."""

    def __init__(self, source: Source) -> None:
        object.__setattr__(self, "path", source.path)
        object.__setattr__(self, "display", source.display)
        object.__setattr__(self, "packed", zlib.compress(source.text.encode("utf-8"), 1))
        if "digest" in source.__dict__:  # taken already (a preview's parse cache): kept, else taken when asked
            object.__setattr__(self, "digest", source.digest)

    @property  # type: ignore[override]
    def text(self) -> str:
        return zlib.decompress(self.packed).decode("utf-8")

    def __repr__(self) -> str:
        return f"PackedSource(path={self.path!r}, display={self.display!r})"


@dataclass
class Collection:
    sources: list[Source] = field(default_factory=list)
    #: Other files (images, attachments) that may be published.
    assets: list[str] = field(default_factory=list)
    #: What to publish of an asset in place of the file itself: each SVG as kb.read.svg rewrote it.
    rewritten: dict[str, bytes] = field(default_factory=dict)
    #: Paths that must not be published at all: symlinks, undecodable files, files and folders
    #: git ignores, the losers of collisions, types kb does not publish. A folder stands for
    #: everything in it.
    refused: set[str] = field(default_factory=set)
    #: Why a refused path is not published, in a few words, where that is known.
    reasons: dict[str, str] = field(default_factory=dict)
    #: Refused paths that git ignores (a folder stands for all it holds).
    ignored: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: What diagnostics put before a content path (`content`, so `content/ops/deploy.md`).
    display_root: str = ""
    #: What git said of the files when they were collected (None outside git).
    worktree: WorkTree | None = None
    #: The problems each source's own reading found (of `diagnostics`), where it found any.
    read_problems: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)

    def display(self, path: str) -> str:
        return _display(self.display_root, path)

    def packed(self) -> Collection:
        """This collection, its sources' texts compressed (PackedSource)."""
        return dataclasses.replace(self, sources=[source if isinstance(source, PackedSource) else PackedSource(source)
                                                  for source in self.sources])

    def refusals(self) -> dict[str, str]:
        """Every refused path, with why in a few words ("" where only its diagnostic says),
        but those git ignores: kb treats them as absent, as a build of the repository finds them."""
        return {path: self.reasons.get(path, "") for path in sorted(self.refused - self.ignored)}


def is_markdown(path: str) -> bool:
    return path.endswith(MARKDOWN_SUFFIXES)


def decode_markdown(data: bytes, *, whole: bool = True) -> str:
    """Decode strictly as UTF-8, dropping a BOM and normalising CRLF and CR to LF. With
    `whole=False`, `data` is a file's start: a character its end cuts in two is left out.
    Raises UnicodeDecodeError for anything that is not UTF-8."""
    # Decoded whole, then the BOM dropped: an error's position is then the file's own byte.
    decoded = data.decode("utf-8", errors="strict") if whole else codecs.getincrementaldecoder("utf-8")().decode(data)
    text = decoded.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


#: The types of the site's own files (KbConfig.site_files): its styles and scripts.
SITE_FILE_SUFFIXES = frozenset({".css", ".js", ".mjs"})
#: What MkDocs leaves out of every site, before a site's own exclude_docs (which can take them
#: back with `!/templates/`).
MKDOCS_EXCLUDES = (".*", "/templates/")


@dataclass(frozen=True)
class Exclusions:
    """What the site engine leaves out, as gitignore lines (MkDocs' `exclude_docs` and
    `draft_docs`): kb leaves the same files out of everything it derives."""

    exclude: tuple[str, ...] = ()
    drafts: tuple[str, ...] = ()

    @property
    def takes_back(self) -> bool:
        """Whether the site's own lines take back something MkDocs leaves out (`!.well-known/`):
        then names that start with '.' must be read like any other."""
        return any(line.strip().startswith("!") for line in self.exclude)

    @property
    def site_lines(self) -> tuple[str, ...]:
        """The site's own exclude_docs lines, without MkDocs' defaults before them."""
        defaults = len(MKDOCS_EXCLUDES)
        return self.exclude[defaults:] if self.exclude[:defaults] == MKDOCS_EXCLUDES else self.exclude

    def left_out_by_site(self, path: str) -> bool:
        """Whether the site's own exclude_docs lines leave `path` out (not MkDocs' defaults,
        nor draft_docs): where a site keeps fragments that other plugins include."""
        own = self.site_lines
        return bool(own) and _spec(own).match_file(path) and _spec(self.exclude).match_file(path)

    def reason(self, path: str) -> str | None:
        if self.exclude and _spec(self.exclude).match_file(path):
            own = self.site_lines
            if not (own and _spec(own).match_file(path)):
                if path.startswith("templates/"):
                    return ("MkDocs leaves a top-level templates/ folder out of every site; add '!/templates/' to "
                            "exclude_docs in mkdocs.yml to publish it")
                return "MkDocs leaves files and folders whose names start with '.' out of every site"
            return "exclude_docs in mkdocs.yml leaves this file out of the site"
        if self.drafts and _spec(self.drafts).match_file(path):
            return "draft_docs in mkdocs.yml makes this file a draft"
        return None


@functools.cache
def _spec(lines: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines)


def collect_sources(
    content_dir: Path, display_root: str, limits: Limits | None = None, secrets_allow: frozenset[str] = frozenset(),
    worktree: WorkTree | None = None, in_ci: bool | None = None, exclusions: Exclusions | None = None,
    attachments: frozenset[str] = PUBLISHED_SUFFIXES, site_files: frozenset[str] = frozenset(),
) -> Collection:
    """Walk `content_dir` in sorted order. `display_root` prefixes paths in diagnostics
    (usually the content directory as the user wrote it, such as `content`). `worktree` is
    what git says of the files (kb.read.worktree.read_worktree; None outside git). A file git does
    not track is a note, or a warning in CI (`CI` set, unless `in_ci` says otherwise), where
    only what is committed is built. `attachments` are the suffixes of the files other than
    pages that are published (kb.read.attachments.attachment_suffixes). `site_files` are the site's own scripts
    and styles (KbConfig.site_files), published whatever their type."""
    limits = limits or Limits()
    collection = Collection(display_root=display_root, worktree=worktree)
    root = str(content_dir)

    def unreadable_folder(error: OSError) -> None:
        folder = os.path.relpath(error.filename or root, root).replace(os.sep, "/")
        _refuse(collection, folder, Diagnostic(_display(display_root, "" if folder == "." else folder).rstrip("/"), 1, 1,
                                               Severity.ERROR, "file.unreadable",
                                               f"cannot read the folder: {error.strerror}; nothing in it is published"))

    with Budget(limits.page_seconds) as budget:
        _walk(collection, root, display_root, limits, secrets_allow, worktree, budget, unreadable_folder,
              exclusions or Exclusions(), attachments, site_files)
    _refuse_collisions(collection, display_root)
    if worktree is not None and worktree.problem:
        collection.diagnostics.append(Diagnostic(
            display_root or ".", 1, 1, Severity.WARNING, "file.git-unreadable",
            f"git cannot read this repository ({worktree.problem}); kb reads the .gitignore files itself, and "
            "holds back every file they name"))
    elif worktree is not None and worktree.content_ignored:
        collection.diagnostics.append(Diagnostic(
            display_root or ".", 1, 1, Severity.WARNING, "file.content-ignored",
            "git ignores the content directory itself, so the repository does not hold the wiki and a build of it "
            "(CI) publishes none of these files; kb publishes them here, reading no ignore rule inside it. Remove "
            "the rule from .gitignore and commit the pages"))
    elif worktree is not None:
        _note_untracked(collection, display_root, worktree, bool(os.environ.get("CI")) if in_ci is None else in_ci)
    return collection


def _walk(collection: Collection, root: str, display_root: str, limits: Limits, secrets_allow: frozenset[str],
          worktree: WorkTree | None, budget: Budget, unreadable_folder: Callable[[OSError], None],
          exclusions: Exclusions, attachments: frozenset[str], site_files: frozenset[str]) -> None:
    for current, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable_folder):
        relative_dir = os.path.relpath(current, root)
        relative_dir = "" if relative_dir == "." else relative_dir.replace(os.sep, "/") + "/"
        kept_dirs = []
        for name in sorted(dirnames):
            if name.startswith(".") and (name == ".git" or not exclusions.takes_back):
                continue
            if worktree is not None and worktree.is_ignored(relative_dir + name):
                _refuse_ignored(collection, relative_dir + name, display_root, "folder")
            elif _refuse_unsafe_name(collection, relative_dir + name, display_root, "folder"):
                pass
            elif os.path.islink(os.path.join(current, name)):
                _refuse_symlink(collection, relative_dir + name, display_root, "folder")
            else:
                kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            path = relative_dir + name
            hidden = name.startswith(".") or "/." in f"/{relative_dir}"
            if hidden and (not exclusions.takes_back or exclusions.reason(path)):
                continue  # MkDocs leaves it out, as it does every such name: nothing to say
            absolute = os.path.join(current, name)
            ignored = worktree is not None and worktree.is_ignored(path)
            if is_editor_file(name):
                _refuse_editor_file(collection, absolute, path, display_root, secrets_allow,
                                    committed=not ignored)
                continue
            if ignored:
                _refuse_ignored(collection, path, display_root, "file")
                continue
            if _refuse_unsafe_name(collection, path, display_root, "file") or _refuse_secret_name(
                    collection, path, display_root, secrets_allow):
                continue
            excluded = exclusions.reason(path)
            if excluded:
                _refuse(collection, path, Diagnostic(_display(display_root, path), 1, 1, Severity.INFO, "file.excluded",
                                                     f"{excluded}; kb leaves it out of everything too"), excluded)
                continue
            _collect_guarded(collection, absolute, path, display_root, limits, secrets_allow, budget, attachments,
                             path in site_files)


def _collect_guarded(collection: Collection, absolute: str, path: str, display_root: str, limits: Limits,
                     secrets_allow: frozenset[str], budget: Budget, attachments: frozenset[str],
                     site_file: bool) -> None:
    """One file collected behind the fault barrier; a source's own problems are noted with it."""
    found = len(collection.diagnostics)
    try:
        with budget.page():
            _collect_file(collection, absolute, path, display_root, limits, secrets_allow, attachments, site_file)
    except OSError as error:
        _refuse(collection, path, Diagnostic(_display(display_root, path), 1, 1, Severity.ERROR,
                                             "file.unreadable", f"cannot read the file: {error.strerror}"))
    except Exception as error:  # the fault barrier: see kb.barrier
        _refuse(collection, path, page_failure(_display(display_root, path), error, "reading", budget.seconds))
    if len(collection.diagnostics) > found and collection.sources and collection.sources[-1].path == path:
        collection.read_problems[path] = tuple(collection.diagnostics[found:])


def collect_sources_again(
    earlier: Collection, changed: Iterable[str], content_dir: Path, limits: Limits | None = None,
    secrets_allow: frozenset[str] = frozenset(), worktree: WorkTree | None = None,
    attachments: frozenset[str] = PUBLISHED_SUFFIXES, site_files: frozenset[str] = frozenset(),
) -> Collection | None:
    """`earlier` (collected with the same options) with the pages at `changed` read again, for a
    preview that knows no other file of the content came, went or changed since (it stamps
    them all, and walks everything when an editor's backup, which it does not stamp, did): the
    walk of every file is left out. None where it takes a whole collect_sources:
    git says otherwise of the files than it did, or a path is not one of the pages, or a page
    is no longer one to publish."""
    if worktree != earlier.worktree:
        return None
    places = {source.path: number for number, source in enumerate(earlier.sources)}
    changed = sorted(set(changed))
    if any(path not in places for path in changed):
        return None
    sources = list(earlier.sources)
    read_problems = dict(earlier.read_problems)
    dropped: Counter[Diagnostic] = Counter(d for path in changed for d in read_problems.pop(path, ()))
    diagnostics = []
    for diagnostic in earlier.diagnostics:
        if dropped[diagnostic] > 0:
            dropped[diagnostic] -= 1
        else:
            diagnostics.append(diagnostic)
    with Budget((limits or Limits()).page_seconds) as budget:
        for path in changed:
            alone = Collection(display_root=earlier.display_root)
            _collect_guarded(alone, str(content_dir / path), path, earlier.display_root, limits or Limits(),
                             secrets_allow, budget, attachments, path in site_files)
            if [source.path for source in alone.sources] != [path] or alone.refused:
                return None
            sources[places[path]] = alone.sources[0]
            diagnostics.extend(alone.diagnostics)
            read_problems.update(alone.read_problems)
    return dataclasses.replace(earlier, sources=sources, diagnostics=diagnostics, read_problems=read_problems,
                               refused=set(earlier.refused), reasons=dict(earlier.reasons), ignored=set(earlier.ignored),
                               assets=list(earlier.assets), rewritten=dict(earlier.rewritten))


def _collect_file(
    collection: Collection, absolute: str, path: str, display_root: str, limits: Limits, secrets_allow: frozenset[str],
    attachments: frozenset[str], site_file: bool = False,
) -> None:
    name = path.rsplit("/", 1)[-1]
    _check_name(collection, path, display_root)
    if os.path.islink(absolute):
        _refuse_symlink(collection, path, display_root)
    elif is_markdown(name):
        _read_markdown(collection, absolute, path, display_root, limits)
    elif name.lower().endswith(_UNRENDERED_MARKDOWN):
        suffix = "." + name.rsplit(".", 1)[-1]
        _refuse(collection, path, Diagnostic(
            _display(display_root, path), 1, 1, Severity.ERROR, "file.suffix",
            f"MkDocs does not render '{suffix}' files as pages: it would publish this one as it is, front matter "
            "and all; rename it to end in '.md'"))
    elif _has_secrets(collection, absolute, path, display_root, secrets_allow):
        collection.refused.add(path)
    elif site_file and refusal(name, SITE_FILE_SUFFIXES) is None:
        collection.assets.append(path)
    elif _refuse_type(collection, absolute, path, display_root, attachments):
        pass
    elif name.lower().endswith(SVG_SUFFIX):
        _read_svg(collection, absolute, path, display_root, limits)
    else:
        collection.assets.append(path)


def _refuse_type(collection: Collection, absolute: str, path: str, display_root: str,
                 attachments: frozenset[str]) -> bool:
    """Refuse a file whose type is not on the list kb publishes (kb.read.attachments)."""
    refused = refusal(path.rsplit("/", 1)[-1], attachments)
    if refused is None or (path == "CNAME" and _is_cname(absolute)):
        return False
    code, why, advice = refused
    _refuse(collection, path, Diagnostic(_display(display_root, path), 1, 1, Severity.ERROR, code,
                                         f"{why}, so this file is not published; {advice}"), why)
    return True


def _is_cname(absolute: str) -> bool:
    with open(absolute, "rb") as handle:
        return is_cname("CNAME", handle.read(256))


def _read_svg(collection: Collection, absolute: str, path: str, display_root: str, limits: Limits) -> None:
    """Publish the SVG as kb.read.svg rewrites it, and say what that left out; refuse one it cannot read."""
    display = _display(display_root, path)
    size = os.path.getsize(absolute)
    if size > limits.page_max_bytes:
        _refuse(collection, path, Diagnostic(
            display, 1, 1, Severity.ERROR, "svg.too-large",
            f"the SVG is {size // 1024} KB, over the limit of {limits.page_max_bytes // 1024} KB for a file kb "
            "reads; it is not published: simplify it, or export it as PNG"), "it is too large for kb to check")
        return
    with open(absolute, "rb") as handle:
        data = handle.read()
    try:
        sanitized = sanitize_svg(data)
    except SvgRefused as error:
        _refuse(collection, path, Diagnostic(display, error.line, error.col, Severity.ERROR, "svg.invalid",
                                             f"{error.message}; the file is not published"),
                "kb cannot read it as SVG")
        return
    collection.assets.append(path)
    collection.rewritten[path] = sanitized.data
    collection.diagnostics.extend(svg_diagnostics(display, sanitized.removed))


def _refuse(collection: Collection, path: str, diagnostic: Diagnostic, why: str = "") -> None:
    collection.refused.add(path)
    collection.diagnostics.append(diagnostic)
    if why:
        collection.reasons[path] = why


def _display(display_root: str, path: str) -> str:
    return f"{display_root.rstrip('/')}/{path}" if display_root else path


def _refuse_symlink(collection: Collection, path: str, display_root: str, kind: str = "file") -> None:
    collection.refused.add(path)
    collection.reasons[path] = f"the folder {path}/ is a symbolic link" if kind == "folder" else "it is a symbolic link"
    collection.diagnostics.append(
        Diagnostic(
            _display(display_root, path), 1, 1, Severity.ERROR, "file.symlink",
            "symbolic links are not published; replace the link with the file itself",
        )
    )


def _has_secrets(collection: Collection, absolute: str, path: str, display_root: str, allowed: frozenset[str]) -> bool:
    """Whether an attachment holds a credential. Every attachment that is text by its content is
    searched, whatever its name and size: a key is as readable in `id_rsa` or `main.tf` as in
    `notes.txt`, and in a large log as in a small one."""
    text = text_of_attachment(absolute)
    if text is None:
        return False
    secrets = find_secrets(text, allowed)
    for secret in secrets:
        collection.diagnostics.append(Diagnostic(
            _display(display_root, path), secret.line, secret.col, Severity.ERROR, "secret.found", secret_message(secret)))
    return bool(secrets)


def _refuse_editor_file(collection: Collection, absolute: str, path: str, display_root: str,
                        allowed: frozenset[str], committed: bool) -> None:
    """An editor's backup or auto-save file is never published, and only noted (its name is the
    editor's: Emacs' `#page.md#` is not refused for the `#`), as are those git ignores. One that
    may be committed is searched for credentials like any file: Emacs' `page.md~` holds the
    page as it was, with the key its writer has just taken out."""
    try:
        secret = committed and (_refuse_secret_name(collection, path, display_root, allowed) or (
            not os.path.islink(absolute) and _has_secrets(collection, absolute, path, display_root, allowed)))
    except OSError:
        secret = False  # gone already (an auto-save is removed as its page is saved), or unreadable
    if secret:
        collection.refused.add(path)
        return
    _refuse(collection, path, Diagnostic(
        _display(display_root, path), 1, 1, Severity.INFO, "file.editor",
        "an editor's backup or auto-save file, not a page: it is not published"), "it is an editor's backup file")


def _refuse_ignored(collection: Collection, path: str, display_root: str, kind: str) -> None:
    """Git ignores it: a file of the writer's own that the repository never holds. It is not
    read at all, so nothing in it reaches the site, the diagnostics or the link graph."""
    collection.refused.add(path)
    collection.ignored.add(path)
    what = "this folder, so nothing in it is" if kind == "folder" else "this file, so it is not"
    collection.diagnostics.append(Diagnostic(
        _display(display_root, path), 1, 1, Severity.WARNING, "file.ignored",
        f"git ignores {what} published; to publish it, remove it from .gitignore and commit it"))


def _note_untracked(collection: Collection, display_root: str, worktree: WorkTree, in_ci: bool) -> None:
    """A published file git does not track yet: a page being written, shown by a local preview,
    that a build of the repository will not have until it is committed."""
    severity = Severity.WARNING if in_ci else Severity.INFO
    for path in [source.path for source in collection.sources] + collection.assets:
        if worktree.is_untracked(path):
            collection.diagnostics.append(Diagnostic(
                _display(display_root, path), 1, 1, severity, "file.untracked",
                "git does not track this file: this build publishes it, but a build of the repository (CI) "
                "will not have it until it is committed (git add); list it in .gitignore if it is yours alone"))


def _refuse_collisions(collection: Collection, display_root: str) -> None:
    """Of files that would take each other's place, or a place kb writes, withhold the losers."""
    collisions = find_collisions([source.path for source in collection.sources], collection.assets)
    if not collisions:
        return
    for collision in collisions:
        collection.refused.add(collision.path)
        collection.reasons[collision.path] = (
            "kb or MkDocs writes a file of its own in its place" if collision.kind == "reserved"
            else f"it would take the place of {collision.other}, which is published instead")
        collection.diagnostics.append(_collision_diagnostic(collision, display_root))
    lost = {collision.path for collision in collisions}
    collection.sources = [source for source in collection.sources if source.path not in lost]
    collection.assets = [path for path in collection.assets if path not in lost]


def _collision_diagnostic(collision: Collision, display_root: str) -> Diagnostic:
    path = _display(display_root, collision.path)
    if collision.kind == "reserved":
        return Diagnostic(path, 1, 1, Severity.ERROR, "file.reserved", _reserved_message(collision.other))
    other = _display(display_root, collision.other)
    if collision.kind == "name" and _nfc(collision.path) == _nfc(collision.other):
        why = (f"{path} and {other} are one name with its accents encoded in two ways (decomposed and "
               "precomposed Unicode): on macOS they are one file")
    elif collision.kind == "name":
        why = f"{path} and {other} differ only in upper and lower case: on macOS and Windows they are one file"
    elif collision.kind == "url":
        why = f"{path} and {other} would both be the page /{site_path(collision.other)}"
    else:
        why = f"the site needs a folder {collision.path}/ for {other}, and this file would take its name"
    return Diagnostic(path, 1, 1, Severity.ERROR, "file.collision",
                      f"{why}; {other} is published and this file is not: rename one of them")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _reserved_message(place: str) -> str:
    if place.endswith("/"):
        return (f"kb writes files of its own in /{place}, and this file would overwrite one or take the folder's "
                f"name; it is not published: move it out of {place} or rename it")
    return f"kb or MkDocs writes /{place} in the site itself, and this file would take its place; it is not published: rename it"


def _refuse_secret_name(collection: Collection, path: str, display_root: str, allowed: frozenset[str]) -> bool:
    """A credential in a file's name is published with the file, whatever is in it."""
    secrets = find_secrets(path.replace("/", "\n"), allowed)
    for secret in secrets[:1]:
        _refuse(collection, path, Diagnostic(_display(display_root, path), 1, 1, Severity.ERROR, "secret.found",
                                             f"the file's name holds {secret.kind}; rename the file and revoke the "
                                             f"credential. If it is not a secret, allow it with secrets_allow: "
                                             f"['{secret.fingerprint}']"))
    return bool(secrets)


def _refuse_unsafe_name(collection: Collection, path: str, display_root: str, kind: str) -> bool:
    """A name that would end or change the URL made of it (`javascript:x/`, `a?b`, `a#b`), that
    Windows cannot check out, or that hides characters. Refused, folders with all they hold."""
    why = unsafe_name(path.rsplit("/", 1)[-1])
    if why is None:
        return False
    what = "this folder's name holds" if kind == "folder" else "this file's name holds"
    held = "nothing in it is published" if kind == "folder" else "it is not published"
    _refuse(collection, path, Diagnostic(
        _display(display_root, path), 1, 1, Severity.ERROR, "file.name",
        f'{what} {why}, which is unsafe in a URL or a file name (no control or invisible characters, and none of '
        f': ? # \\ < > " | *); {held} until it is renamed'),
        f"the name of the folder {path}/ is unsafe in a URL" if kind == "folder" else "its name is unsafe in a URL")
    return True


def _check_name(collection: Collection, path: str, display_root: str) -> None:
    """Names Windows cannot check out (the characters it forbids are refused before)."""
    display = _display(display_root, path)
    name = path.rsplit("/", 1)[-1]
    stem = name.split(".", 1)[0].casefold()
    if stem in _WINDOWS_RESERVED or name.endswith((".", " ")):
        collection.diagnostics.append(Diagnostic(
            display, 1, 1, Severity.WARNING, "file.name",
            "this file name cannot be checked out on Windows (a reserved name such as CON or AUX, or a trailing "
            "dot or space); rename it"))


def _read_markdown(collection: Collection, absolute: str, path: str, display_root: str, limits: Limits) -> None:
    display = _display(display_root, path)
    try:
        size = os.path.getsize(absolute)
        if size > limits.page_max_bytes:
            collection.refused.add(path)
            collection.diagnostics.append(Diagnostic(
                display, 1, 1, Severity.ERROR, "page.too-large",
                f"the page is {size // 1024} KB, over the limit of {limits.page_max_bytes // 1024} KB; "
                "it is not published: split it into several pages"))
            return
        if size > limits.page_warn_bytes:
            collection.diagnostics.append(Diagnostic(
                display, 1, 1, Severity.WARNING, "page.large",
                f"the page is {size // 1024} KB; pages over {limits.page_warn_bytes // 1024} KB are slow to read "
                "and to build: consider splitting it"))
        with open(absolute, "rb") as handle:
            data = handle.read()
        text = decode_markdown(data)
    except UnicodeDecodeError as error:
        collection.refused.add(path)
        collection.diagnostics.append(
            Diagnostic(
                display, *_line_col_of_offset(data, error.start), Severity.ERROR, "file.encoding",
                f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x}); "
                "save it as UTF-8 — it is not published until then",
            )
        )
        return
    except OSError as error:
        collection.refused.add(path)
        collection.diagnostics.append(
            Diagnostic(display, 1, 1, Severity.ERROR, "file.unreadable", f"cannot read the file: {error.strerror}")
        )
        return
    if "\x00" in text:
        collection.refused.add(path)
        line = text.count("\n", 0, text.index("\x00")) + 1
        collection.diagnostics.append(
            Diagnostic(
                display, line, 1, Severity.ERROR, "file.binary",
                "the file contains NUL bytes, so it is not text; it is not published",
            )
        )
        return
    collection.sources.append(Source(path, display, text))


def _line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
