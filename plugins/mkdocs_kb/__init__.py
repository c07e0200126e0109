"""The MkDocs plugin `kb`: the adapter between MkDocs and the kb core."""

from mkdocs_kb.plugin import KbPlugin, KbPluginConfig

__all__ = ["KbPlugin", "KbPluginConfig"]
