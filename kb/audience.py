"""Who may read the site. An intranet wiki must not reach the internet by accident: a site on a
static host's shared domain (GitHub Pages' `*.github.io`, Netlify's `*.netlify.app`) is public
to anyone unless the host restricts it, and nothing in the build says so. The wiki's
configuration says who it is for (the `audience` option), and a `site_url` on such a host
that the configuration does not account for is a warning, which fails a strict build.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from kb.diagnostics import Diagnostic, Severity

#: The values of the `audience` option. `internal`, the default: only people inside the company
#: may read the wiki. `private-pages`: it is on a public host behind that host's access control
#: (private GitHub Pages, GitLab Pages access control). `public`: anyone may read it.
AUDIENCES = ("internal", "private-pages", "public")

#: Shared domains of static hosts where a site is public by default, by the host's name.
PUBLIC_HOSTS = {
    "github.io": "GitHub Pages",
    "gitlab.io": "GitLab Pages",
    "pages.dev": "Cloudflare Pages",
    "netlify.app": "Netlify",
    "vercel.app": "Vercel",
    "web.app": "Firebase Hosting",
    "firebaseapp.com": "Firebase Hosting",
    "amplifyapp.com": "AWS Amplify",
    "azurestaticapps.net": "Azure Static Web Apps",
    "onrender.com": "Render",
    "surge.sh": "Surge",
    "bitbucket.io": "Bitbucket Cloud",
    "codeberg.page": "Codeberg Pages",
    "readthedocs.io": "Read the Docs",
}

#: Where GitHub serves the sites it publishes privately (GitHub Enterprise Cloud): only people
#: who can read the repository can read them. A private site never has a plain `*.github.io` address.
PRIVATE_GITHUB_PAGES = "pages.github.io"


def public_host(site_url: str) -> tuple[str, str] | None:
    """The host of `site_url` and the name of the public static host it is on, or None when it
    is on none of them (an internal host, a custom domain, GitHub's private Pages)."""
    host = _hostname(site_url)
    if not host or _within(host, PRIVATE_GITHUB_PAGES):
        return None
    for domain, name in PUBLIC_HOSTS.items():
        if _within(host, domain):
            return host, name
    return None


def check_audience(site_url: str | None, audience: str, path: str, line: int = 1, col: int = 1) -> list[Diagnostic]:
    """A `site.public` warning at `path:line:col` (where site_url is written) when the site
    would be public and the configuration does not say the wiki is meant to be."""
    found = public_host(site_url or "")
    if found is None or audience == "public":
        return []
    host, name = found
    if audience == "private-pages":
        if not _within(host, "github.io"):
            return []  # the host's own access control, which kb cannot see, restricts the site
        message = (f"site_url is on {host}, GitHub Pages' address for sites anyone can read; a privately published "
                   f"site has a *.{PRIVATE_GITHUB_PAGES} address (the repository's Settings > Pages shows it): use "
                   "that address, or the kb option 'audience: public' if the wiki is public")
    else:
        message = (f"site_url is on {name} ({host}), where anyone on the internet can read a site unless the "
                   "host restricts it: publish the wiki on an internal host, or say who may read it with the kb "
                   "option 'audience: private-pages' (the host's access control is on) or 'audience: public'")
    return [Diagnostic(path, line, col, Severity.WARNING, "site.public", message)]


def _hostname(site_url: str) -> str:
    text = site_url.strip()
    try:
        # A scheme-less "team.github.io/wiki" is read as a host too.
        host = urlsplit(text if "//" in text else f"//{text}").hostname
    except ValueError:
        return ""
    return (host or "").rstrip(".")


def _within(host: str, domain: str) -> bool:
    return host == domain or host.endswith(f".{domain}")
