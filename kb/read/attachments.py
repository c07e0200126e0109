"""Which attachments kb publishes: a list of the file types it publishes, not of those it refuses.

A file in the content folder is published at the wiki's own address. A browser that opens a
document that can hold script there (HTML, XHTML, XML, SVG, in a dozen spellings: `.xht`,
`.shtml`, `.xsl`…) runs the script as the wiki, with its readers' cookies. A list of such types
always misses one, so kb lists what it publishes instead: pictures a browser only shows, PDF
and office documents, plain text and data, audio and video — types that every web server sends
with their own content type, so that no browser guesses one from what the file holds. SVG is on
the list only as kb rewrites it (kb.read.svg). A site adds suffixes of its own with the `attachments`
option; a type a browser may run is refused there too.
"""

from __future__ import annotations

import functools
import mimetypes
import re
from collections.abc import Iterable

#: Pictures: a browser shows them and runs nothing in them.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico")
#: SVG is published as kb.read.svg sanitises it, never as it was written.
SVG_SUFFIX = ".svg"
#: PDF and office documents: a browser shows a PDF in its own viewer, away from the site's
#: pages, and downloads the others. Macro-enabled (`.docm`) and legacy binary formats are not
#: on the list.
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")
#: Text and data that browsers show as plain text (or JSON) or download.
DATA_SUFFIXES = (".txt", ".csv", ".tsv", ".json")
#: Audio and video: a browser plays them.
MEDIA_SUFFIXES = (".mp3", ".m4a", ".ogg", ".wav", ".mp4", ".webm", ".mov")
#: What kb publishes without being asked.
PUBLISHED_SUFFIXES = frozenset((*IMAGE_SUFFIXES, SVG_SUFFIX, *DOCUMENT_SUFFIXES, *DATA_SUFFIXES, *MEDIA_SUFFIXES))
#: What the list holds, in the words of a message.
PUBLISHED_KINDS = "pictures, PDF and office documents, text and data, audio and video"

#: Types a browser runs as a document or a script, or a web server runs as a program. Never
#: published, and refused in the `attachments` option. (Not the rule itself: a file that is
#: not on the list is refused whether or not it is here; this names the reason better.)
ACTIVE_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".stm", ".mht", ".mhtml", ".hta", ".htc",
    ".js", ".mjs", ".cjs", ".jsx", ".xml", ".xsl", ".xslt", ".xsd", ".rss", ".atom", ".rdf", ".xul", ".xbl",
    ".svgz", ".swf", ".php", ".phtml", ".asp", ".aspx", ".jsp", ".cgi",
})
#: Suffixes a web server acts on anywhere in a name (Apache runs `notes.php.txt` as PHP), and
#: encodings it sends a file in with the type of the suffix before (`page.html.gz` as HTML).
_SERVER_RUN = frozenset({".php", ".phtml", ".asp", ".aspx", ".jsp", ".cgi", ".shtml", ".shtm", ".stm"})
_ENCODINGS = frozenset({".gz", ".br", ".bz2", ".xz", ".z", ".zst"})
#: Content types that a browser may render as a document that runs script.
_ACTIVE_TYPES = re.compile(r"html|xml|javascript|ecmascript|svg|shockwave|rfc822")
_SUFFIX = re.compile(r"(?:\.[^\s./\\:*?\"<>|]+)+")
#: `CNAME` at the top of the docs tells GitHub Pages the site's domain (MkDocs' own advice):
#: published when it is just that, a host name.
_CNAME = re.compile(rb"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})\s*")


def attachment_suffixes(extra: Iterable[object] | None) -> frozenset[str]:
    """kb's own suffixes and a site's `attachments` (`[".drawio", "step"]`), in lower case with
    their dot. Raises ValueError naming a suffix that is not one, or that a browser may run."""
    if extra is None:
        return PUBLISHED_SUFFIXES
    if isinstance(extra, (str, bytes)) or not isinstance(extra, Iterable):
        raise ValueError("expected a list of suffixes, such as ['.drawio', '.step']")
    added = set()
    for item in extra:
        suffix = str(item).strip().lower()
        suffix = suffix if suffix.startswith(".") else "." + suffix
        if not _SUFFIX.fullmatch(suffix):
            raise ValueError(f"{str(item)!r} is not a file suffix such as '.drawio'")
        active = next((part for part in _parts(suffix) if part in ACTIVE_SUFFIXES or _active_type(part)), None)
        if active:
            raise ValueError(
                f"'{suffix}': a browser can run {active} files as a page of the wiki, with its readers' cookies, so kb "
                "never publishes them; link to such a file where it is kept instead")
        added.add(suffix)
    return PUBLISHED_SUFFIXES | added


def refusal(name: str, suffixes: frozenset[str]) -> tuple[str, str, str] | None:
    """Why a file called `name` (not a Markdown page) is not published, if it is not:
    (code, why in a few words, what to do)."""
    lower = name.lower()
    inner = _parts(lower)[1:-1]
    if ran := next((part for part in inner if part in _SERVER_RUN or (
            _suffix(lower) in _ENCODINGS and (part in ACTIVE_SUFFIXES or _active_type(part)))), None):
        return ("file.active", f"a web server may run or send this file as a {ran} file, from the {ran} in its name",
                f"rename it without {ran}")
    if lower.endswith(_as_tuple(suffixes)):
        return None
    suffix = _suffix(lower)
    if suffix == ".svgz":
        return ("file.type", ".svgz files are compressed SVG, which kb cannot check for script",
                "save the picture as plain .svg (uncompressed), which kb publishes once it has removed anything active")
    if suffix in ACTIVE_SUFFIXES or (suffix and _active_type(suffix)):
        return ("file.active", f"a browser would run {suffix} files as a page of the wiki, with its readers' cookies",
                "write the page in Markdown, or attach a picture as PNG or SVG")
    extend = ("if browsers only show or download such files, a site can add the suffix to the kb plugin's `attachments` "
              "option in mkdocs.yml")
    if not suffix:
        return ("file.type", "a file without a suffix could be anything, and kb publishes only the types it knows",
                f"give the file the suffix of its type ({PUBLISHED_KINDS})")
    return ("file.type", f"{suffix} files are not on the list of attachments kb publishes ({PUBLISHED_KINDS})", extend)


#: What editors leave beside a file they save, by name: Emacs' backups (`page.md~`) and
#: auto-saves (`#page.md#`), JetBrains' safe-write copies. Not content: never published, and
#: only noted (Jekyll leaves them out alike). Hidden ones (Vim's swap files, Emacs' locks) are
#: left out with every hidden name.
EDITOR_FILES = re.compile(r"~$|^#.*#$|___jb_(?:tmp|old)___$")


def is_editor_file(name: str) -> bool:
    return EDITOR_FILES.search(name) is not None


def is_cname(path: str, data: bytes) -> bool:
    """A GitHub Pages `CNAME` file: a host name alone, at the top of the docs."""
    return path == "CNAME" and _CNAME.fullmatch(data) is not None


@functools.cache
def _as_tuple(suffixes: frozenset[str]) -> tuple[str, ...]:
    return tuple(suffixes)


def _suffix(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return "." + suffix if dot and stem.strip(".") else ""


def _parts(suffix: str) -> list[str]:
    return ["." + part for part in suffix.split(".") if part]


#: Python's own table of types, not the machine's: kb check and the build agree everywhere.
_TYPES = mimetypes.MimeTypes(filenames=())


def _active_type(suffix: str) -> bool:
    kind, _ = _TYPES.guess_type("x" + suffix, strict=False)
    return bool(kind and _ACTIVE_TYPES.search(kind))
