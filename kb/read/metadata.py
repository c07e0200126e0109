"""Reading a page's YAML front matter strictly, with the line of every key.

MkDocs' own reader drops YAML errors silently and then renders the header as text, publishing a
page its author meant to hide. kb loads the header with a loader that rejects duplicate keys and
anything but a mapping, keeping the position of every problem so it can be reported at its line.

The work per header is bounded: anchors and aliases are refused (ten lines of aliases expand to
billions of values for any code that walks them), nesting is capped, and dates stay text until
the schema reads them (YAML's own date constructor raises on `2024-02-30`).

A header that some other tool would read but kb would not — after a blank line or a comment,
TOML between `+++` lines, JSON, MkDocs' MultiMarkdown `Key: value` lines naming a draft — is an
error, so that a page meant as a draft is held back instead of published with its header as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.read.publication import DRAFT_KEYS

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Front matter nested deeper than this is not metadata; refusing it keeps every walk over it short.
MAX_DEPTH = 16
#: Characters that do not show: a header after them looks right and is not one.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
#: How far into a file a misplaced header is looked for.
_LOOKAHEAD_LINES = 40
#: How far a misplaced header and its closing line are looked for: any header kb would read.
_LOOKAHEAD_CHARS = 1 << 16

_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_KEY_LINE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+)[ \t]*[:=]", re.MULTILINE)
#: A line that can be part of a YAML mapping: a key, an indented value, an item, a complex key, a comment.
_YAML_LINE = re.compile(r"\S[^:]*:(?:\s|$)|\s|- |[?:](?:\s|$)|#")
#: MkDocs reads `Key: value` lines at the top of a page as metadata (MultiMarkdown style).
_MULTIMARKDOWN = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that refuses duplicate keys in any mapping and keeps dates as text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, yaml.Node] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark)
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark
                ) from None
            # Front matter keys are names: `1` and `"1"`, or `null` and `None`, are one name.
            identity = str(key)
            if identity in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key_node.value!r}: each key may be given only once", key_node.start_mark
                )
            seen[identity] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_timestamp_text(self, node: yaml.ScalarNode) -> str:
        return str(self.construct_scalar(node))


StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", StrictLoader.construct_timestamp_text)


@dataclass(frozen=True)
class FrontMatterError:
    line: int
    col: int
    message: str
    #: `frontmatter.yaml` for a header that cannot be read, `frontmatter.placement` for one that
    #: is not where, or not in the form, kb reads.
    code: str = "frontmatter.yaml"


@dataclass
class FrontMatter:
    """The header of a page. Lines are 1-based and count the whole file."""

    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    #: YAML 1.1's yes, no, on and off as written, for the keys whose value (or list item) is one
    #: (`written_words`); `data` holds them as true and false.
    words: dict[str, str | tuple[str | None, ...]] = field(default_factory=dict)
    #: The text after the header, and the file line its first line is on.
    body: str = ""
    body_line: int = 1
    error: FrontMatterError | None = None

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def read_front_matter(text: str) -> FrontMatter:
    """Split `text` into header and body and load the header. Never raises: a header that
    cannot be read, or is misplaced, comes back with `error` set and no data."""
    opening = _OPENING.match(text)
    if opening is None:
        return FrontMatter(body=text, error=_misplaced_header(text))
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        return FrontMatter(
            body="",
            body_line=1,
            error=FrontMatterError(1, 1, "the front matter starts with '---' but is never closed by another '---' line"),
        )
    header = text[opening.end() : closing.start()]
    header_line = 2
    body_start = closing.end() + 1 if text[closing.end() : closing.end() + 1] == "\n" else closing.end()
    body = text[body_start:]
    body_line = text.count("\n", 0, body_start) + 1
    if text.startswith(".", closing.start()):
        continued = _header_after_dots(text, body_start)
        if continued:
            return FrontMatter(body=body, body_line=body_line, error=FrontMatterError(
                body_line, 1, f"the front matter ends with '...' on line {body_line - 1}, but the 'key: value' "
                f"lines after it, up to the '---' on line {continued}, look like more of it; end it with one line "
                "— the page is held back until then", "frontmatter.placement"))
    else:
        second = _second_header(text, body_start)
        if second:
            return FrontMatter(body=body, body_line=body_line, error=FrontMatterError(
                second[0], 1, f"a second front matter block, from line {second[0]} to line {second[1]}, follows the "
                f"one that ends on line {body_line - 1}; kb reads only the first, so its keys would be shown as text: "
                "put them all in one block — the page is held back until then", "frontmatter.placement"))
    try:
        data, key_lines, words = _load_mapping(header, header_line)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line, col = _place(header, header_line, mark.index) if mark else (header_line, 1)
        problem = getattr(error, "problem", None) or str(error)
        return FrontMatter(body=body, body_line=body_line, error=FrontMatterError(line, col, _plain(problem)))
    except _Refused as error:
        return FrontMatter(body=body, body_line=body_line,
                           error=FrontMatterError(*_place(header, header_line, error.index), str(error)))
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError, MemoryError):
        # PyYAML's own constructors raise plain Python errors on values that do not fit the tag
        # written for them (`!!bool maybe`, `!!int x`) or on numbers too long to convert.
        return FrontMatter(body=body, body_line=body_line, error=FrontMatterError(
            header_line, 1, "a value cannot be read as written: a tag such as !!int or !!bool that does not fit it, "
            "or a number too long"))
    return FrontMatter(data=data, key_lines=key_lines, words=words, body=body, body_line=body_line)


def _place(header: str, first_line: int, index: int) -> tuple[int, int]:
    """The file line and column of a character of the header, counting lines at `\n` only."""
    index = min(index, len(header))
    return first_line + header.count("\n", 0, index), index - (header.rfind("\n", 0, index) + 1) + 1


class _Refused(ValueError):
    """A header kb will not load; `index` is where in it the problem is."""

    def __init__(self, message: str, index: int = 0) -> None:
        super().__init__(message)
        self.index = index


def _load_mapping(header: str, first_line: int) -> tuple[dict[str, Any], dict[str, int], dict[str, Any]]:
    if "&" in header or "*" in header:
        _refuse_anchors(header)
    loader = StrictLoader(header)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}, {}
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise _Refused(f"the front matter is {kind}; it must be 'key: value' lines")
        _check_depth(node)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    # YAML allows non-string keys (`1: x`, `true: y`, `null: z`); front matter keys are names,
    # and each name's line is its key's (duplicates are refused, so keys and nodes pair up).
    # Keys are named as written (`null`, not None), and lines are counted in `\n` only: YAML also
    # breaks lines at NEL and U+2028, which editors and kb's messages do not.
    names = [_name(key, key_node) for key, (key_node, _) in zip(data, node.value, strict=False)]
    key_lines = {name: first_line + header.count("\n", 0, key_node.start_mark.index)
                 for name, (key_node, _) in zip(names, node.value, strict=False)}
    words = {name: written for name, (_, value_node) in zip(names, node.value, strict=False)
             if (written := written_words(value_node)) is not None}
    return dict(zip(names, data.values(), strict=False)), key_lines, words


#: What YAML 1.1, which PyYAML reads, takes for true and false besides those two words. YAML 1.2,
#: which Obsidian and Hugo read, takes them as text: `aliases: [Yes, No]`, `lang: no` (Norwegian).
_YAML_11_BOOLEANS = frozenset({"yes", "no", "on", "off"})


def written_words(node: yaml.Node) -> str | tuple[str | None, ...] | None:
    """A value's yes, no, on or off as written (for a list, each item's, None for the others),
    or None when it has none: where a key's value is text, that is what its author meant."""
    if _is_yaml_11_boolean(node):
        return str(node.value)
    if isinstance(node, yaml.SequenceNode) and any(_is_yaml_11_boolean(item) for item in node.value):
        return tuple(str(item.value) if _is_yaml_11_boolean(item) else None for item in node.value)
    return None


def _is_yaml_11_boolean(node: yaml.Node) -> bool:
    return (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool" and not node.style
            and str(node.value).lower() in _YAML_11_BOOLEANS)


def _name(key: Any, node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) and not isinstance(key, str) else str(key)


def _refuse_anchors(header: str) -> None:
    """Anchors (`&a`) and aliases (`*a`) let ten lines stand for billions of values."""
    for event in yaml.parse(header, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            name = event.anchor
            written = f"*{name}" if isinstance(event, yaml.AliasEvent) else f"&{name}"
            raise _Refused(
                f"anchors and aliases ({written}) are not allowed in front matter; write the value out",
                event.start_mark.index)


def _check_depth(root: yaml.Node) -> None:
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _Refused(f"the front matter is nested deeper than {MAX_DEPTH} levels", node.start_mark.index)
        if isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)


def _header_after_dots(text: str, start: int) -> int | None:
    """The line of a `---` that closes `key:` lines right after a header's `...` closer.

    YAML's `...` ends a document, so Jekyll and Pandoc end the header there; an author who wrote
    it mid-header (or out of habit) meant the lines below as front matter, a draft marker among them.
    """
    # As far as a header can go (kb reads headers of any length): a long list runs on for pages.
    lines = text[start:].split("\n")
    # Comments and blank lines may come first: the block is front matter when a key follows them.
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    if not lines or not lines[0].strip() or not _KEY_LINE.match(first):
        return None
    closer = next((number for number, line in enumerate(lines) if re.fullmatch(r"(?:---|\.\.\.)[ \t]*", line)), None)
    if closer is None:
        return None
    block = lines[:closer]
    if all(_YAML_LINE.match(line) or not line.strip() for line in block) or _is_mapping("\n".join(block)):
        return text.count("\n", 0, start) + 1 + closer
    return None


def _is_mapping(text: str) -> bool:
    """Whether `text` reads as a YAML mapping (without building it: aliases stay unexpanded)."""
    try:
        return isinstance(yaml.compose(text, Loader=_BaseLoader), yaml.MappingNode)
    except yaml.YAMLError:
        return False


def _second_header(text: str, start: int) -> tuple[int, int] | None:
    """(first line, closing line) of a second header right after the first, blank lines
    between: a `---` line, or none, then `key: value` lines up to a `---` or `...` line. An
    author who wrote one meant it as front matter, a draft marker among it. Markdown reads the
    lines as a rule and a heading (`Note: see below` over `---` is a heading), so without a
    `---` above them they count only when they name a key that can hold a page back."""
    # As far as any header kb would read: a long list of tags may come before the closing line.
    lines = text[start : start + _LOOKAHEAD_CHARS].split("\n")
    first = next((number for number, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    opened = re.fullmatch(r"---[ \t]*", lines[first]) is not None
    keys_from = first + 1 if opened else first
    if keys_from >= len(lines) or not _KEY_LINE.match(lines[keys_from]):
        return None
    closer = next((number for number in range(keys_from + 1, len(lines))
                   if re.fullmatch(r"(?:---|\.\.\.)[ \t]*", lines[number])), None)
    if closer is None:
        return None
    block = lines[keys_from:closer]
    if not (all(_YAML_LINE.match(line) or not line.strip() for line in block) or _is_mapping("\n".join(block))):
        return None
    named = {key.group(1).lower() for line in block if (key := _KEY_LINE.match(line))}
    if not opened and not named & (DRAFT_KEYS | {"status"}):
        return None
    offset = text.count("\n", 0, start) + 1
    return offset + first, offset + closer


def _misplaced_header(text: str) -> FrontMatterError | None:
    """A header that is not on the first line, or is not YAML between `---` lines."""
    lines = text[:_LOOKAHEAD_CHARS].split("\n")
    index, in_comment = 0, False
    while index < len(lines):
        stripped = lines[index].strip().strip(_INVISIBLE)
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            index += 1
        elif not stripped:
            index += 1
        else:
            break
    else:
        return None
    first = lines[index].rstrip()
    bare = first.strip().strip(_INVISIBLE)
    rest = "\n".join(lines[index + 1 :])
    line = index + 1
    if bare == "+++":
        return FrontMatterError(line, 1, "TOML front matter (between '+++' lines) is not read; write it as YAML "
                                "between '---' lines — the page is held back until then", "frontmatter.placement")
    if (bare == "{" and re.search(r'^\s*"[^"]+"\s*:', rest, re.MULTILINE)) or re.match(r'\{\s*"[^"]+"\s*:', bare):
        return FrontMatterError(line, 1, "JSON front matter is not read; write it as YAML between '---' lines — "
                                "the page is held back until then", "frontmatter.placement")
    if re.fullmatch(r"-{3,}", bare) and (index > 0 or first != "---"):
        closing = re.search(r"^[\s\u200b\ufeff]*(?:-{3,}|\.\.\.)\s*$", rest, re.MULTILINE)
        # Past the lookahead, a `key:` line right under the dashes is enough: fail closed.
        if (_KEY_LINE.search(rest, 0, closing.start()) if closing else _KEY_LINE.match(rest)):
            where = (f"start on the first line, not line {line}; remove what is above its '---'" if index > 0 else
                     "start with a line of exactly '---', with nothing before or after it on that line")
            return FrontMatterError(line, 1, f"the front matter must {where} — the page is held back until then",
                                    "frontmatter.placement")
    return None


def multimarkdown_header(text: str) -> list[tuple[str, str, int]]:
    """The `Key: value` lines MkDocs reads as metadata at the top of a page that has no `---`
    header (MultiMarkdown style), as (lower-case key, value, line). kb does not read them as
    metadata, but a draft written this way must still be held back."""
    found: list[tuple[str, str, int]] = []
    for number, line in enumerate(text.split("\n", _LOOKAHEAD_LINES)[:_LOOKAHEAD_LINES], start=1):
        match = _MULTIMARKDOWN.match(line)
        if match:
            found.append((match.group("key").lower(), match.group("value").strip(), number))
        elif not line.strip() or not line.startswith(("    ", "\t")) or not found:
            break
    return found


def _plain(problem: str) -> str:
    return problem.replace("\n", " ").strip()
