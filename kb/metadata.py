"""Reading a page's YAML front matter strictly, with the line of every key.

MkDocs' own reader drops YAML errors silently and then renders the header as text, publishing a
page its author meant to hide. kb splits the header with python-frontmatter's YAML handler and
loads it with a loader that rejects duplicate keys and anything but a mapping, keeping the
position of every problem so it can be reported at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_HANDLER = YAMLHandler()


class StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that refuses duplicate keys in any mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[tuple[type, Any], yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain value, not a list or mapping", key_node.start_mark
                ) from None
            # `1` and `true` are equal in Python but are different YAML keys.
            identity = (type(key), key)
            if identity in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}: each key may be given only once", key_node.start_mark
                )
            seen[identity] = key_node
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_yaml_map)


@dataclass(frozen=True)
class FrontMatterError:
    line: int
    col: int
    message: str


@dataclass
class FrontMatter:
    """The header of a page. Lines are 1-based and count the whole file."""

    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    #: The text after the header, and the file line its first line is on.
    body: str = ""
    body_line: int = 1
    error: FrontMatterError | None = None

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def read_front_matter(text: str) -> FrontMatter:
    """Split `text` into header and body and load the header. Never raises: a header that
    cannot be read comes back with `error` set and no data."""
    if not _HANDLER.detect(text):
        return FrontMatter(body=text)
    boundaries = list(_HANDLER.FM_BOUNDARY.finditer(text))
    if len(boundaries) < 2:
        return FrontMatter(
            body="",
            body_line=1,
            error=FrontMatterError(1, 1, "the front matter starts with '---' but is never closed by another '---' line"),
        )
    opening, closing = boundaries[0], boundaries[1]
    header = text[opening.end() : closing.start()]
    header_line = text.count("\n", 0, opening.end()) + 1
    body_start = closing.end() + 1 if text[closing.end() : closing.end() + 1] == "\n" else closing.end()
    body = text[body_start:]
    body_line = text.count("\n", 0, body_start) + 1
    if header.startswith("\n"):
        header, header_line = header[1:], header_line + 1
    try:
        data, key_lines = _load_mapping(header, header_line)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = header_line + mark.line if mark else header_line
        col = mark.column + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        return FrontMatter(body=body, body_line=body_line, error=FrontMatterError(line, col, _plain(problem)))
    except _NotAMapping as error:
        return FrontMatter(body=body, body_line=body_line, error=FrontMatterError(header_line, 1, str(error)))
    return FrontMatter(data=data, key_lines=key_lines, body=body, body_line=body_line)


class _NotAMapping(ValueError):
    pass


def _load_mapping(header: str, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    loader = StrictLoader(header)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
            raise _NotAMapping(f"the front matter is {kind}; it must be 'key: value' lines")
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    key_lines = {
        str(key_node.value): first_line + key_node.start_mark.line
        for key_node, _ in node.value
        if isinstance(key_node, yaml.ScalarNode)
    }
    # YAML allows non-string keys (`1: x`, `true: y`); front matter keys are names.
    return {str(key): value for key, value in data.items()}, key_lines


def _plain(problem: str) -> str:
    return problem.replace("\n", " ").strip()
