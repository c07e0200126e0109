"""What kb needs from a site's mkdocs.yml, read without MkDocs (the core never imports it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kb.config import KbConfig


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: tags such as `!!python/name:` or `!ENV` become None."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class SiteSettings:
    docs_dir: Path
    site_dir: Path
    config: KbConfig


def read_site_settings(config_file: Path) -> SiteSettings:
    """The docs_dir, site_dir and kb plugin options of an mkdocs.yml. Raises SystemExit with a
    message when the kb options are wrong."""
    with open(config_file, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_TolerantLoader) or {}
    if not isinstance(data, dict):
        data = {}
    base = config_file.parent
    options: dict[str, Any] = {}
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("kb"), dict):
            options = plugin["kb"]
    try:
        config = KbConfig.from_options(options)
    except ValueError as error:
        raise SystemExit(f"kb: {config_file}: plugin 'kb': {error}") from None
    return SiteSettings(base / str(data.get("docs_dir") or "docs"), base / str(data.get("site_dir") or "site"), config)
