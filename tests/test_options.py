"""The plugin's options are declared once (kb.options): MkDocs checks their types from that
table, with typed groups for `limits` and `validation`, and kb check reads the same defaults."""

from __future__ import annotations

import re
from typing import Any

import pytest

from kb.config import KbConfig
from kb.options import LIMIT_OPTIONS, OPTIONS, check_options
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


@pytest.mark.parametrize(("options", "message"), [
    ({"paralel": False}, "paralel: no such option"),
    ({"parallel": "no"}, "parallel: expected true or false, got 'no'"),
    ({"limits": 5}, "limits: expected 'name: value' lines, got 5"),
    ({"limits": {"page_max_kbb": 3}}, "limits: page_max_kbb: no such option"),
    ({"bots": [1]}, "bots: expected a list of text, got 1"),
])
def test_kb_check_refuses_what_mkdocs_refuses(options: dict[str, Any], message: str) -> None:
    """`kb check` reads mkdocs.yml without MkDocs; the build refuses each of these too."""
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        check_options(options)
    assert validated(options)[1] or validated(options)[2]


@pytest.mark.parametrize("limit", ["page_seconds", "page_max_kb", "nesting_max"])
def test_a_limit_is_above_zero(limit: str) -> None:
    for value in (0, -1):
        with pytest.raises(ValueError, match="limits: every limit is a number above 0"):
            KbConfig.from_options({"limits": {limit: value}})
    # YAML's true is an int to Python (and to MkDocs): it would be a limit of 1.
    with pytest.raises(ValueError, match="limits: page_max_kb: expected a whole number, got True"):
        KbConfig.from_options({"limits": {"page_max_kb": True}})
