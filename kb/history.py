"""What git says about the content: for now, when the checked-out commit was made.

The build date of a site is the date of its commit, not the wall clock, so that two builds of
one commit are byte-identical (sitemaps carry it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import git


def head_commit_time(directory: Path) -> dt.datetime | None:
    """The committer time of HEAD in the repository holding `directory`, or None when it is
    not in a git repository (or the repository has no commit yet)."""
    try:
        output = git.Git(str(directory)).log("-1", "--format=%ct")
    except git.GitCommandError:
        return None
    output = output.strip()
    return dt.datetime.fromtimestamp(int(output), dt.UTC) if output else None
