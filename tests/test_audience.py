"""Who may read the site: a site_url on a public host warns unless the configuration says the
wiki is meant for that audience."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.audience import check_audience, public_host
from kb.config import KbConfig
from kb.diagnostics import Severity
from kb.siteconfig import check_site, key_place, read_site_settings


@pytest.mark.parametrize(("site_url", "expected"), [
    ("https://acme.github.io/wiki/", ("acme.github.io", "GitHub Pages")),
    ("https://ACME.GitHub.IO./", ("acme.github.io", "GitHub Pages")),
    ("acme.github.io/wiki", ("acme.github.io", "GitHub Pages")),
    ("https://group.gitlab.io/wiki/", ("group.gitlab.io", "GitLab Pages")),
    ("https://wiki-3f2a.pages.dev/", ("wiki-3f2a.pages.dev", "Cloudflare Pages")),
    ("https://wiki.netlify.app/", ("wiki.netlify.app", "Netlify")),
    ("https://wiki-acme.vercel.app:443/", ("wiki-acme.vercel.app", "Vercel")),
    # GitHub's privately published sites, behind its access control.
    ("https://fluffy-eel-5z8qj.pages.github.io/", None),
    ("https://wiki.corp.example/", None),
    ("https://github.io.corp.example/", None),
    ("https://notgithub.io/", None),
    ("http://10.0.0.5:8080/wiki/", None),
    ("https://[::1]/", None),
    ("", None),
])
def test_public_host(site_url: str, expected: tuple[str, str] | None) -> None:
    assert public_host(site_url) == expected


@pytest.mark.parametrize(("site_url", "audience", "warns"), [
    ("https://acme.github.io/wiki/", "internal", True),
    ("https://acme.github.io/wiki/", "public", False),
    # A private GitHub Pages site is never at <owner>.github.io: that address is public.
    ("https://acme.github.io/wiki/", "private-pages", True),
    ("https://fluffy-eel-5z8qj.pages.github.io/", "internal", False),
    # GitLab Pages' access control is a project setting kb cannot see: the option says it is on.
    ("https://group.gitlab.io/wiki/", "internal", True),
    ("https://group.gitlab.io/wiki/", "private-pages", False),
    ("https://wiki.corp.example/", "internal", False),
    (None, "internal", False),
])
def test_check_audience(site_url: str | None, audience: str, warns: bool) -> None:
    found = check_audience(site_url, audience, "mkdocs.yml", 3, 1)
    assert bool(found) is warns
    for diagnostic in found:
        assert (diagnostic.path, diagnostic.line, diagnostic.severity, diagnostic.code) == (
            "mkdocs.yml", 3, Severity.WARNING, "site.public")
        assert "audience: public" in diagnostic.message


def test_audience_option_is_checked() -> None:
    assert KbConfig.from_options({}).audience == "internal"
    assert KbConfig.from_options({"audience": "public"}).audience == "public"
    with pytest.raises(ValueError, match="audience: 'everyone' is not one of internal, private-pages, public"):
        KbConfig.from_options({"audience": "everyone"})


def test_the_warning_is_where_site_url_is_written_even_when_inherited(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "base.yml").write_text("site_name: X\n\nsite_url: !ENV [URL, 'https://a.gitlab.io/']\n",
                                                  encoding="utf-8")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("INHERIT: shared/base.yml\ntheme: material\n", encoding="utf-8")
    assert key_place(config_file, "site_url") == (tmp_path / "shared" / "base.yml", 3, 1)
    assert key_place(config_file, "nav") == (config_file, 1, 1)
    [diagnostic] = check_site(config_file, "https://a.gitlab.io/", KbConfig())
    assert (diagnostic.path, diagnostic.line, diagnostic.col) == ("shared/base.yml", 3, 1)


def test_site_settings_carry_the_warning_graded_by_validation(tmp_path: Path) -> None:
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: X\nplugins:\n  - kb:\n      validation: {site.public: error}\n"
                           "site_url: https://acme.github.io/\n", encoding="utf-8")
    [diagnostic] = read_site_settings(config_file).diagnostics
    assert (diagnostic.path, diagnostic.line, diagnostic.severity) == ("mkdocs.yml", 5, Severity.ERROR)
    config_file.write_text("site_name: X\nplugins:\n  - kb: {audience: public}\nsite_url: https://acme.github.io/\n",
                           encoding="utf-8")
    assert read_site_settings(config_file).diagnostics == ()


def test_a_site_url_from_the_environment_is_read_as_mkdocs_reads_it(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: X\nsite_url: !ENV [KB_TEST_SITE_URL, 'https://wiki.corp.example/']\n",
                           encoding="utf-8")
    monkeypatch.delenv("KB_TEST_SITE_URL", raising=False)
    assert read_site_settings(config_file).diagnostics == ()
    monkeypatch.setenv("KB_TEST_SITE_URL", "https://acme.gitlab.io/wiki/")
    [diagnostic] = read_site_settings(config_file).diagnostics
    assert (diagnostic.line, diagnostic.code) == (2, "site.public") and "GitLab Pages" in diagnostic.message
