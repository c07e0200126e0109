"""Where kb's theme layer (templates, CSS, JS for Material) is on this machine."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def theme_dir() -> str:
    # An installed wheel carries the theme inside this package; an editable install of a source
    # checkout finds it at the top of the repository, where it is maintained.
    packaged = Path(__file__).parent / "theme"
    if packaged.is_dir():
        return str(packaged)
    return str(Path(__file__).resolve().parents[2] / "theme")
