"""The plugin's options are declared once (kb.options): MkDocs checks their types from that
table, with typed groups for `limits` and `validation`, and kb check reads the same defaults."""

from __future__ import annotations

from typing import Any

from kb.config import KbConfig
from kb.options import LIMIT_OPTIONS, OPTIONS
from mkdocs_kb.options import KbPluginConfig


def validated(options: dict[str, Any]) -> tuple[Any, list[tuple[str, Any]], list[tuple[str, Any]]]:
    config = KbPluginConfig()
    config.load_dict(options)
    failed, warnings = config.validate()
    return config, failed, warnings


def test_mkdocs_gets_every_option_with_the_cores_default() -> None:
    config, failed, warnings = validated({})
    assert not failed and not warnings
    assert set(config) == set(OPTIONS)
    for name, option in OPTIONS.items():
        if not option.group:
            assert config[name] == (list(option.default) if option.listed else option.default), name
    assert dict(config["limits"]) == {name: option.default for name, option in LIMIT_OPTIONS.items()}
    assert KbConfig.from_options(dict(config)) == KbConfig.from_options({}) == KbConfig()


def test_limits_are_a_typed_group() -> None:
    config, failed, warnings = validated({"limits": {"page_seconds": 2, "page_secs": 3}})
    assert not failed
    assert config["limits"]["page_seconds"] == 2
    assert any("page_secs" in str(message) for _, message in warnings)
    _, failed, _ = validated({"limits": {"nesting_max": "deep"}})
    assert failed and failed[0][0] == "limits"


def test_validation_levels_are_checked_by_mkdocs() -> None:
    config, failed, _ = validated({"validation": {"link.wanted": "info"}})
    assert not failed and config["validation"] == {"link.wanted": "info"}
    _, failed, _ = validated({"validation": {"link.wanted": "loud"}})
    assert failed and failed[0][0] == "validation"
