"""The plugin's options, declared to MkDocs from the core's one table of them (kb.options).

MkDocs checks their types as it reads mkdocs.yml; kb.config.KbConfig.from_options then checks
what only kb knows (durations, languages, status values), the same for `kb check`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from kb.options import OPTIONS, Option


def declared(option: Option) -> c.BaseConfigOption[Any]:
    """The MkDocs config option of one of kb's options."""
    types = option.types[0] if len(option.types) == 1 else option.types
    if option.group:
        return c.SubConfig(config_class("LimitsConfig", option.group))
    if option.listed:
        return c.ListOfItems(c.Type(types), default=list(option.default))
    if option.choices and dict in option.types:
        return c.DictOfItems(c.Choice(option.choices), default=dict(option.default))
    if option.choices:
        return c.Choice(option.choices, default=option.default)
    if option.default is None:
        return c.Optional(c.Type(types))
    return c.Type(types, default=option.default)


def config_class(name: str, table: Mapping[str, Option]) -> type[base.Config]:
    """A MkDocs Config class with an option for each of the table's (docs in its __doc__)."""
    doc = "\n".join(f"{key}: {option.doc}" for key, option in table.items())
    return type(name, (base.Config,), {"__doc__": doc, **{key: declared(option) for key, option in table.items()}})


#: Every option of the plugin; `limits` is a typed group of its own, so a misspelt key in it is reported.
KbPluginConfig = config_class("KbPluginConfig", OPTIONS)

__all__ = ["KbPluginConfig"]
