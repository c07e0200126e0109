"""The fuzzing property as one call: write the wiki, run kb and MkDocs on it, raise if anything broke.

Hypothesis tells bugs apart by the type of the exception and where it was raised. All failures
are raised here, so each kind of failure gets its own exception class: Hypothesis then shrinks
each one to its own minimal wiki instead of wandering from one bug to another.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Collection
from pathlib import Path

from fuzz_content import Wiki
from fuzz_oracle import Failure, check
from fuzz_run import run_all, write_wiki


class PropertyFailure(AssertionError):
    """One or more properties broken by one wiki; the first one's signature names the class."""

    signature = ""

    def __init__(self, failures: list[Failure], wiki: Wiki) -> None:
        self.failures = failures
        self.wiki = wiki
        super().__init__("\n\n".join(f"[{f.signature}]\n{f.detail[-3000:]}" for f in failures))


_CLASSES: dict[str, type[PropertyFailure]] = {}


def failure_class(signature: str) -> type[PropertyFailure]:
    if signature not in _CLASSES:
        name = "Broken_" + re.sub(r"\W+", "_", signature).strip("_")[:80]
        _CLASSES[signature] = type(name, (PropertyFailure,), {"signature": signature})
    return _CLASSES[signature]


#: Which failure names the exception when one wiki breaks several properties: the worst first.
_ORDER = ("crash", "hang", "killed", "traceback", "leak", "clean", "published", "malformed", "unsafe")


def _rank(failure: Failure) -> int:
    return next((i for i, prefix in enumerate(_ORDER) if failure.signature.startswith(prefix)), len(_ORDER))


def run_property(wiki: Wiki, *, build: bool, ignore: Collection[str] = ()) -> list[Failure]:
    """Every broken property of `wiki`, raised as a PropertyFailure unless all are in `ignore`."""
    with tempfile.TemporaryDirectory(prefix="kb-fuzz-") as folder:
        root = Path(folder)
        write_wiki(wiki, root, commit=build)
        failures = check(wiki, root, run_all(root, build=build))
    new = sorted((f for f in failures if f.signature not in ignore), key=_rank)
    if new:
        raise failure_class(new[0].signature)(new, wiki)
    return failures
