"""The Content Security Policy text, and the hashes of the inline scripts it allows."""

from __future__ import annotations

import base64
import hashlib

from kb.render.csp import inline_script_hashes, origin, policy, with_policy


def sha(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


def test_only_scripts_a_browser_runs_are_hashed() -> None:
    html = ('<script>a()</script><script src="x.js"></script><script id="__config" type="application/json">{}</script>'
            '<SCRIPT type="module">b()</SCRIPT><script type="text/javascript">c()</script><script>a()</script>')
    assert inline_script_hashes(html) == sorted({sha("a()"), sha("b()"), sha("c()")})


def test_the_policy_refuses_inline_script_but_by_hash() -> None:
    text = policy({"img-src": ["https://images.example"]}, [sha("a()")])
    directives = dict(part.split(" ", 1) for part in text.split("; "))
    assert directives["script-src"] == f"'self' {sha('a()')}"
    assert directives["img-src"] == "'self' data: https://images.example"
    assert directives["object-src"] == "'none'" and directives["default-src"] == "'self'"
    # A preview server injects its own inline script (live reload): hashes give way to that.
    assert "script-src 'self' 'unsafe-inline';" in policy({}, [sha("a()")], any_inline=True)


def test_the_policy_comes_first_in_the_head() -> None:
    html = '<html><head>\n<meta charset="utf-8">\n<script>a()</script></head></html>'
    placed = with_policy(html, "default-src 'self'")
    assert placed.index('<meta charset="utf-8">') < placed.index("Content-Security-Policy") < placed.index("<script>")
    assert with_policy("<html><head><title>x</title></head>", "x").startswith(
        '<html><head>\n    <meta http-equiv="Content-Security-Policy" content="x">')


def test_origins_of_configured_urls() -> None:
    assert origin("https://cdn.example.com/lib/x.js?v=1") == "https://cdn.example.com"
    assert origin("//cdn.example.com/x.js") == "https://cdn.example.com"
    assert origin("assets/x.js") is None
