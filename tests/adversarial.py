"""A corpus of hostile and broken content, each case with the outcome kb must produce.

    python tests/adversarial.py DIR     # writes DIR/mkdocs.yml and DIR/docs/...

Every case is one or more files under docs/<case>/ (or, for names that matter only there, at
the top of docs/) and a list of expectations:

- Report(path, line, code): `kb check` reports the code at that line of that file;
- Withheld(path, marker): the file appears in no output file (the marker text is nowhere);
- Rendered(url, text): the page is published and shows the text, safely;
- Cleaned(path, absent): the file is published, and none of these strings is in it.

Beside these hand-written cases, FOUND holds every wiki the fuzzer (`make fuzz`) found kb failing
on, from tests/hostile/found/: each is a regression case of its own, with its own mkdocs.yml,
and must hold every property the fuzzer checks (tests/fuzz_oracle.py).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from fuzz_found import Found, found_cases

LEAK = "LEAKMARK"  # text that must never reach the site, followed by the case name


@dataclass(frozen=True)
class Report:
    path: str
    line: int
    code: str


@dataclass(frozen=True)
class Withheld:
    path: str


@dataclass(frozen=True)
class Rendered:
    url: str
    text: str


@dataclass(frozen=True)
class Cleaned:
    path: str
    absent: tuple[str, ...]


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes]
    expect: list[Report | Withheld | Rendered | Cleaned] = field(default_factory=list)
    #: Files made as symbolic links: link path → target (relative to the link's folder).
    links: dict[str, str] = field(default_factory=dict)
    #: The files go to the top of docs/, not to docs/<case>/: for places the site itself uses.
    at_top: bool = False

    def place(self, path: str) -> str:
        """Where a file of the case is, inside docs/."""
        return path if self.at_top else f"{self.name}/{path}"


def page(front: str, body: str = "Body.\n") -> str:
    return f"---\n{front}\n---\n{body}"


def leak(name: str) -> str:
    return f"{LEAK}-{name}"


SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
#: Attachments: only the types on kb's list are published, SVG as kb sanitises it.
ATTACHMENT_CASES = [
    Case("file-xht", {"page.xht": '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert("xht")</script>'
                                  + leak("file-xht") + "</html>"},
         [Report("page.xht", 1, "file.active"), Withheld("page.xht")]),
    Case("file-exe", {"setup.exe": "MZ " + leak("file-exe")}, [Report("setup.exe", 1, "file.type"), Withheld("setup.exe")]),
    Case("file-no-suffix", {"id_rsa": leak("file-no-suffix") + "\n"}, [Report("id_rsa", 1, "file.type"), Withheld("id_rsa")]),
    Case("file-svgz", {"pic.svgz": b"\x1f\x8b" + leak("file-svgz").encode()}, [Report("pic.svgz", 1, "file.type"), Withheld("pic.svgz")]),
    Case("file-upper-case-html", {"PAGE.HTM": "<script>alert('htm')</script>" + leak("file-upper-case-html")},
         [Report("PAGE.HTM", 1, "file.active"), Withheld("PAGE.HTM")]),
    Case("link-to-refused", {"p.md": "Run [the tool](tool.exe).\n\n![[tool.exe]]\n", "tool.exe": "MZ"},
         [Report("p.md", 1, "link.withheld"), Report("p.md", 3, "link.withheld"), Report("tool.exe", 1, "file.type"),
          Rendered("link-to-refused/p/", "is not published")]),
    Case("svg-script-cdata", {"pic.svg": SVG_OPEN + "\n<script><![CDATA[ alert('cdata') /* " + leak("svg-script-cdata")
                                         + " */ ]]></script><rect width='1' height='1'/></svg>"},
         [Report("pic.svg", 2, "svg.unsafe"), Cleaned("pic.svg", ("alert", "script", "CDATA"))]),
    Case("svg-handlers", {"pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:e="urn:evil" onload="alert(1)">\n'
                                     '<rect OnClick="alert(2)" e:onmouseover="alert(3)"/><SCRIPT>alert(4)</SCRIPT></svg>'},
         [Report("pic.svg", 1, "svg.unsafe"), Cleaned("pic.svg", ("alert", "onload", "OnClick", "onmouseover", "SCRIPT"))]),
    Case("svg-foreign-object", {"pic.svg": SVG_OPEN + '<foreignObject width="99" height="99"><body xmlns="http://www.w3.org/'
                                           '1999/xhtml"><iframe src="javascript:alert(1)"/><p>' + leak("svg-foreign-object")
                                           + "</p></body></foreignObject></svg>"},
         [Report("pic.svg", 1, "svg.unsafe"), Cleaned("pic.svg", ("foreignObject", "iframe", "javascript"))]),
    Case("svg-external-references", {"pic.svg": SVG_OPEN + '\n<use href="https://evil.example/s.svg#a"/>'
                                                '<image xlink:href="https://evil.example/t.png"/>'
                                                '<a xlink:href="javascript:alert(1)"><rect style="fill:url(https://evil.example/f)"/></a>'
                                                "<style>@import url(https://evil.example/x.css);</style></svg>"},
         [Report("pic.svg", 2, "svg.unsafe"), Cleaned("pic.svg", ("evil", "javascript", "<use", "<image", "<style"))]),
    Case("svg-billion-laughs", {"pic.svg": '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;'
                                           '&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<svg>&c;'
                                           + leak("svg-billion-laughs") + "</svg>"},
         [Report("pic.svg", 2, "svg.invalid"), Withheld("pic.svg")]),
    Case("svg-external-entity", {"pic.svg": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;'
                                            + leak("svg-external-entity") + "</svg>"},
         [Report("pic.svg", 1, "svg.invalid"), Withheld("pic.svg")]),
    Case("svg-not-well-formed", {"pic.svg": '<svg xmlns="http://www.w3.org/2000/svg">\n<g>' + leak("svg-not-well-formed")
                                            + "\n</svg>"},
         [Report("pic.svg", 3, "svg.invalid"), Withheld("pic.svg")]),
    Case("svg-embed-clean", {"p.md": "An icon ![[icon.svg|32]] here.\n", "icon.svg": '<svg xmlns="http://www.w3.org/2000/svg" '
                                                                          'viewBox="0 0 2 2"><circle r="1"/></svg>'},
         [Rendered("svg-embed-clean/p/", '<img alt="icon.svg" src="../icon.svg" width="32">'),
          Cleaned("icon.svg", ("script",))]),
]

CASES: list[Case] = [
    Case("yaml-malformed", {"p.md": page("title: [unclosed", leak("yaml-malformed"))},
         [Report("p.md", 3, "frontmatter.yaml"), Withheld("p.md")]),
    Case("front-matter-list", {"p.md": page("- a\n- b", leak("front-matter-list"))},
         [Report("p.md", 2, "frontmatter.yaml"), Withheld("p.md")]),
    Case("front-matter-scalar", {"p.md": page("just words", leak("front-matter-scalar"))},
         [Report("p.md", 2, "frontmatter.yaml"), Withheld("p.md")]),
    Case("duplicate-keys", {"p.md": page("title: A\ntitle: B", leak("duplicate-keys"))},
         [Report("p.md", 3, "frontmatter.yaml"), Withheld("p.md")]),
    Case("front-matter-unclosed", {"p.md": "---\ntitle: Never closed\n" + leak("front-matter-unclosed") + "\n"},
         [Report("p.md", 1, "frontmatter.yaml"), Withheld("p.md")]),
    Case("type-title", {"p.md": page("title: [a, b]", "Typed body.\n")},
         [Report("p.md", 2, "frontmatter.type"), Rendered("type-title/p/", "Typed body.")]),
    Case("type-tags", {"p.md": page("tags: {a: b}")}, [Report("p.md", 2, "frontmatter.type")]),
    Case("type-owners", {"p.md": page("owners: 7")}, [Report("p.md", 2, "frontmatter.type")]),
    Case("type-aliases", {"p.md": page("aliases: {x: 1}")}, [Report("p.md", 2, "frontmatter.type")]),
    Case("type-reviewed-on", {"p.md": page("reviewed_on: next week")}, [Report("p.md", 2, "frontmatter.value")]),
    Case("type-review-every", {"p.md": page("review_every: often")}, [Report("p.md", 2, "frontmatter.value")]),
    Case("type-status", {"p.md": page("status: [published]", leak("type-status"))},
         [Report("p.md", 2, "status.invalid"), Withheld("p.md")]),
    Case("type-page-type", {"p.md": page("type: essay")}, [Report("p.md", 2, "frontmatter.value")]),
    Case("type-answered", {"p.md": page("type: question\nanswered: maybe")}, [Report("p.md", 3, "frontmatter.type")]),
    Case("type-members", {"p.md": page("type: community\nmembers: {a: 1}")}, [Report("p.md", 3, "frontmatter.type")]),
    Case("tags-case-space-unicode", {"p.md": page('tags: ["Café Culture", "cafe\u0301 culture", "  CAFÉ   CULTURE "]')},
         [Rendered("topics/café-culture/", "tags-case-space-unicode/p/")]),
    Case("tag-html", {"p.md": page('tags: ["<script>alert(1)</script>"]')},
         [Rendered("topics/script-alert-1-script/", "&lt;script&gt;alert(1)&lt;/script&gt;")]),
    Case("tag-emoji", {"p.md": page('tags: ["🚀"]')}, [Rendered("tag-emoji/p/", "🚀")]),
    Case("tag-dots-slashes", {"p.md": page('tags: ["../../etc/passwd", "/", "."]')},
         [Rendered("topics/etc-passwd/", "../../etc/passwd")]),
    Case("title-html", {"p.md": page('title: "<img src=x onerror=alert(1)>"')},
         [Rendered("title-html/p/", "&lt;img src=x onerror=alert(1)&gt;")]),
    Case("title-emoji-dots", {"p.md": page('title: "🚀 v1.2.3 ... done."')}, [Rendered("title-emoji-dots/p/", "🚀 v1.2.3 ... done.")]),
    Case("link-missing", {"p.md": "See [[Nothing by that name]] and [x](nowhere.md).\n"},
         [Report("p.md", 1, "link.wanted"), Report("p.md", 1, "link.not-found")]),
    Case("link-draft", {"p.md": "See [[secret-plan]].\n", "secret-plan.md": page("status: draft", leak("link-draft"))},
         [Report("p.md", 1, "link.draft"), Withheld("secret-plan.md")]),
    Case("link-ambiguous", {"p.md": "See [[dup]].\n", "one/dup.md": "# One\n", "two/dup.md": "# Two\n"},
         [Report("p.md", 1, "link.ambiguous")]),
    Case("link-wanted-many", {"p.md": "\n".join(f"[[Hostile wanted {n}]]" for n in range(1, 101)) + "\n"},
         [Report("p.md", 20, "link.wanted"), Report("p.md", 100, "link.wanted")]),
    Case("link-self", {"p.md": "# Self\n\n## Part\n\n[[#Part]] and [[p]] and [me](p.md).\n"},
         [Rendered("link-self/p/", 'href="#part"')]),
    Case("link-cycle", {"a.md": "[[link-cycle/b]]\n", "b.md": "[[link-cycle/a]]\n"},
         [Rendered("link-cycle/a/", "Linked from")]),
    Case("draft-status", {"p.md": page("status: draft\ntitle: " + leak("draft-status"), leak("draft-status"))},
         [Withheld("p.md")]),
    Case("draft-among-published", {"ok.md": "# Published sibling\n", "draft.md": page("status: DRAFT", leak("draft-among"))},
         [Withheld("draft.md"), Rendered("draft-among-published/ok/", "Published sibling")]),
    Case("bom", {"p.md": b"\xef\xbb\xbf---\ntitle: With a BOM\n---\nBOM body.\n"}, [Rendered("bom/p/", "BOM body.")]),
    Case("crlf", {"p.md": b"---\r\ntitle: Windows lines\r\n---\r\nCRLF body.\r\n"}, [Rendered("crlf/p/", "CRLF body.")]),
    Case("latin-1", {"p.md": b"caf\xe9 " + leak("latin-1").encode()}, [Report("p.md", 1, "file.encoding"), Withheld("p.md")]),
    Case("nul-bytes", {"p.md": b"text\x00" + leak("nul-bytes").encode()}, [Report("p.md", 1, "file.binary"), Withheld("p.md")]),
    Case("empty-file", {"empty.md": ""}, [Rendered("empty-file/empty/", "Empty")]),
    Case("only-front-matter", {"p.md": "---\ntitle: Only a header\n---\n"}, [Rendered("only-front-matter/p/", "Only a header")]),
    Case("five-megabytes", {"p.md": leak("five-megabytes") + "\n" + ("word " * 200 + "\n") * 5200},
         [Report("p.md", 1, "page.too-large"), Withheld("p.md")]),
    Case("long-bracket-line", {"p.md": "[[x|" * 4000 + "\n\nAfter the line.\n"},
         [Report("p.md", 1, "page.long-line"), Rendered("long-bracket-line/p/", "After the line.")]),
    Case("nested-quotes", {"p.md": "> " * 600 + "deep\n\nAfter the quotes.\n"},
         [Report("p.md", 1, "page.deep-nesting"), Rendered("nested-quotes/p/", "After the quotes.")]),
    Case("nested-lists", {"p.md": "".join("    " * i + "- item\n" for i in range(300)) + "\nAfter the list.\n"},
         [Report("p.md", 33, "page.deep-nesting"), Rendered("nested-lists/p/", "After the list.")]),
    Case("nested-list-markers", {"p.md": "- " * 500 + "x\n\n" + "1. " * 600 + "y\n\nAfter the markers.\n"},
         [Report("p.md", 1, "page.deep-nesting"), Rendered("nested-list-markers/p/", "After the markers.")]),
    Case("nested-emphasis", {"p.md": "*" * 2000 + "x" + "*" * 2000 + "\n\n" + "**a\n" * 1200 + "x" + "\na**" * 1200
                             + "\n\nAfter the emphasis.\n"},
         [Report("p.md", 1, "page.deep-nesting"), Rendered("nested-emphasis/p/", "After the emphasis.")]),
    Case("nested-after-a-tag", {"p.md": "<hr>" + "* " * 1000 + "x\n\nAfter the tag.\n"},
         [Report("p.md", 1, "page.deep-nesting"), Rendered("nested-after-a-tag/p/", "After the tag.")]),
    Case("symlink-out", {}, [Report("out.md", 1, "file.symlink"), Withheld("out.md")], links={"out.md": "../../outside.md"}),
    Case("symlink-loop", {"real.md": "# Real\n"}, [Report("loop", 1, "file.symlink")], links={"loop": "."}),
    Case("name-spaces", {"a page with spaces.md": "# Spaces in the name\n"},
         [Rendered("name-spaces/a page with spaces/", "Spaces in the name")]),
    Case("name-windows-characters", {'what?.md': "# Question mark " + leak("name-windows-characters") + "\n"},
         [Report("what?.md", 1, "file.name"), Withheld("what?.md")]),
    Case("name-script-folder", {"javascript:window.__x=1;/x.md": "# Click me " + leak("name-script-folder") + "\n"},
         [Report("javascript:window.__x=1;", 1, "file.name"), Withheld("javascript:window.__x=1;/x.md")]),
    Case("name-bidi", {"invoice\u202egpj.md": "# Invoice " + leak("name-bidi") + "\n"},
         [Report("invoice\u202egpj.md", 1, "file.name"), Withheld("invoice\u202egpj.md")]),
    Case("title-bidi", {"page.md": '---\ntitle: "Invoice \\u202egpj.exe"\ntags: ["o\\u200bps"]\n---\nText.\n'},
         [Report("page.md", 2, "text.invisible"), Report("page.md", 3, "text.invisible"),
          Rendered("title-bidi/page/", "Invoice gpj.exe")]),
    Case("title-control-characters", {"page.md": '---\ntitle: "Bell \\x07 and escape \\x1b"\n---\nText.\n'},
         [Rendered("title-control-characters/page/", "Text.")]),
    Case("interface-lookalike", {"page.md": '<div class="md-dialog md-dialog--active" id="kb-search-panel">'
                                            "Session expired</div>\n"},
         [Rendered("interface-lookalike/page/", 'id="user-content-kb-search-panel"')]),
    Case("name-trailing-dot", {"notes.md.": "not markdown, and Windows cannot check it out\n"},
         [Report("notes.md.", 1, "file.name")]),
    Case("name-reserved", {"CON.md": "# A reserved name\n"}, [Report("CON.md", 1, "file.name")]),
    Case("name-case-collision", {"Guide.md": "# Upper " + leak("name-case-collision") + "\n", "guide.md": "# Lower\n"},
         [Report("Guide.md", 1, "file.collision"), Withheld("Guide.md"), Rendered("name-case-collision/guide/", "Lower")]),
    Case("name-unicode-collision", {"cafe\u0301.md": "# Decomposed " + leak("name-unicode-collision") + "\n",
                                    "caf\u00e9.md": "# Precomposed\n"},
         [Report("cafe\u0301.md", 1, "file.collision"), Rendered("name-unicode-collision/caf\u00e9/", "Precomposed")]),
    Case("url-page-and-folder-index", {"topic.md": "# Beside " + leak("url-page-and-folder-index") + "\n",
                                       "topic/index.md": "# Folder index\n"},
         [Report("topic.md", 1, "file.collision"), Rendered("url-page-and-folder-index/topic/", "Folder index")]),
    Case("url-readme-and-index", {"sec/README.md": "# Readme " + leak("url-readme-and-index") + "\n",
                                  "sec/index.md": "# Index\n"},
         [Report("sec/README.md", 1, "file.collision"), Rendered("url-readme-and-index/sec/", "Index")]),
    Case("url-md-and-markdown", {"a.markdown": "# Long suffix " + leak("url-md-and-markdown") + "\n", "a.md": "# Short\n"},
         [Report("a.markdown", 1, "file.collision"), Rendered("url-md-and-markdown/a/", "Short")]),
    Case("file-where-a-folder-goes", {"guide.png": b"\x89PNG " + leak("file-where-a-folder-goes").encode(),
                                      "guide.png.md": "# The page\n"},
         [Report("guide.png", 1, "file.collision"), Rendered("file-where-a-folder-goes/guide.png/", "The page")]),
    Case("reserved-feed", {"feed.xml.md": "# Not the feed " + leak("reserved-feed") + "\n"},
         [Report("feed.xml.md", 1, "file.reserved")], at_top=True),
    Case("reserved-theme-asset", {"assets/kb/kb.css": "body { display: none } /* " + leak("reserved-theme-asset") + " */\n"},
         [Report("assets/kb/kb.css", 1, "file.type")], at_top=True),
    Case("reserved-theme-folder", {"assets/kb/logo.png": b"\x89PNG " + leak("reserved-theme-folder").encode()},
         [Report("assets/kb/logo.png", 1, "file.reserved"), Withheld("assets/kb/logo.png")], at_top=True),
    Case("page-in-search-folder", {"search/index.md": "# How to search\n"}, [Rendered("search/", "How to search")],
         at_top=True),
    Case("git-ignored", {".gitignore": "notes.md\nexport.csv\nprivate/\n", "notes.md": leak("git-ignored-page"),
                         "export.csv": "name\n" + leak("git-ignored-attachment") + "\n",
                         "private/plan.md": "# Plan\n" + leak("git-ignored-folder") + "\n", "shared.md": "# Shared\n"},
         [Report("notes.md", 1, "file.ignored"), Report("export.csv", 1, "file.ignored"), Report("private", 1, "file.ignored"),
          Withheld("notes.md"), Withheld("export.csv"), Withheld("private/plan.md"), Rendered("git-ignored/shared/", "Shared")]),
    Case("html-script", {"p.md": "Text <script>alert('script')</script> more <img src=x onerror=alert('img')>.\n"},
         [Rendered("html-script/p/", "Text")]),
    Case("html-javascript-urls", {"p.md": '<a href="JaVaScRiPt:alert(1)">a</a> <a href="java\tscript:alert(2)">b</a> '
                                          '<a href="&#106;avascript:alert(3)">c</a> [d](javascript:alert(4))\n'},
         [Rendered("html-javascript-urls/p/", "<a>a</a>")]),
    Case("html-base-meta-form-iframe", {"p.md": '<base href="https://evil.example/">\n\n<meta http-equiv="refresh" '
                                                'content="0;url=https://evil.example">\n\n<form action="https://evil.example">'
                                                '<input name=p></form>\n\n<iframe src="https://evil.example"></iframe>\n\nStill here.\n'},
         [Rendered("html-base-meta-form-iframe/p/", "Still here.")]),
    Case("html-config-id", {"p.md": '<div id="__config">{"base": "https://evil.example"}</div>\n\nAfter.\n'},
         [Rendered("html-config-id/p/", "After.")]),
    Case("file-html", {"page.html": "<script>alert('html')</script>" + leak("file-html")},
         [Report("page.html", 1, "file.active"), Withheld("page.html")]),
    Case("file-js", {"app.js": "alert('js') // " + leak("file-js")}, [Report("app.js", 1, "file.active"), Withheld("app.js")]),
    Case("file-svg", {"pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><!--' + leak("file-svg") + "--></svg>"},
         [Report("pic.svg", 1, "svg.unsafe"), Cleaned("pic.svg", ("onload", "alert"))]),
    Case("date-impossible", {"p.md": page("title: Impossible\nreviewed_on: 2024-02-30", "Dated body.\n")},
         [Report("p.md", 3, "frontmatter.value"), Rendered("date-impossible/p/", "Dated body.")]),
    Case("yaml-billion-laughs", {"p.md": page("\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]" for n in range(9)]),
        leak("yaml-billion-laughs"))}, [Report("p.md", 2, "frontmatter.yaml"), Withheld("p.md")]),
    Case("yaml-deep-nesting", {"p.md": page("x: " + "[" * 40 + "]" * 40, leak("yaml-deep-nesting"))},
         [Report("p.md", 2, "frontmatter.yaml"), Withheld("p.md")]),
    Case("tag-300-characters", {"p.md": page("tags: ['" + "long" * 75 + "']", "Long tag body.\n")},
         [Rendered("tag-300-characters/p/", "Long tag body.")]),
    Case("template-traversal", {"p.md": page("template: ../../../outside/evil.html", "Template body.\n")},
         [Report("p.md", 2, "frontmatter.value"), Rendered("template-traversal/p/", "Template body.")]),
    Case("template-partial", {"p.md": page("template: partials/footer.html", "Partial body.\n")},
         [Report("p.md", 2, "frontmatter.value"), Rendered("template-partial/p/", "Partial body.")]),
    Case("icon-missing", {"p.md": page("icon: material/no-such-icon", "Icon body.\n")},
         [Report("p.md", 2, "frontmatter.value"), Rendered("icon-missing/p/", "Icon body.")]),
    Case("hide-number", {"p.md": page("hide: 5\nsearch: everything", "Hide body.\n")},
         [Report("p.md", 2, "frontmatter.type"), Report("p.md", 3, "frontmatter.type"), Rendered("hide-number/p/", "Hide body.")]),
    Case("draft-true", {"p.md": page("draft: true\ntitle: " + leak("draft-true"), leak("draft-true"))}, [Withheld("p.md")]),
    Case("draft-capitalised", {"p.md": page("Draft: True", leak("draft-capitalised"))}, [Withheld("p.md")]),
    Case("draft-not-boolean", {"p.md": page("draft: 'no'", leak("draft-not-boolean"))},
         [Report("p.md", 2, "frontmatter.draft"), Withheld("p.md")]),
    Case("draft-empty", {"p.md": page("draft:", leak("draft-empty"))}, [Report("p.md", 2, "frontmatter.draft"), Withheld("p.md")]),
    Case("publish-false", {"p.md": page("publish: false", leak("publish-false"))}, [Withheld("p.md")]),
    Case("published-false", {"p.md": page("published: false", leak("published-false"))}, [Withheld("p.md")]),
    Case("hugo-build-never", {"p.md": page("build:\n  render: never", leak("hugo-build-never"))}, [Withheld("p.md")]),
    Case("front-matter-after-blank", {"p.md": "\n" + page("status: draft", leak("front-matter-after-blank"))},
         [Report("p.md", 2, "frontmatter.placement"), Withheld("p.md")]),
    Case("front-matter-after-comment", {"p.md": "<!-- draft -->\n" + page("status: draft", leak("front-matter-after-comment"))},
         [Report("p.md", 2, "frontmatter.placement"), Withheld("p.md")]),
    Case("front-matter-toml", {"p.md": "+++\ndraft = true\n+++\n" + leak("front-matter-toml") + "\n"},
         [Report("p.md", 1, "frontmatter.placement"), Withheld("p.md")]),
    Case("front-matter-json", {"p.md": '{\n  "draft": true\n}\n' + leak("front-matter-json") + "\n"},
         [Report("p.md", 1, "frontmatter.placement"), Withheld("p.md")]),
    Case("front-matter-second-block", {"p.md": "---\ntitle: a\n---\ndraft: true\n---\n" + leak("second-block-p") + "\n",
                                       "q.md": "---\ntitle: a\n---\n---\ndraft: true\n---\n" + leak("second-block-q") + "\n",
                                       "r.md": "---\ntitle: a\n---\nNote: a heading\n---\n\nSecond block body.\n"},
         [Report("p.md", 4, "frontmatter.placement"), Withheld("p.md"), Report("q.md", 4, "frontmatter.placement"),
          Withheld("q.md"), Rendered("front-matter-second-block/r/", "Second block body.")]),
    Case("front-matter-multimarkdown", {"p.md": "Title: Plans\nStatus: draft\n\n" + leak("front-matter-multimarkdown") + "\n"},
         [Report("p.md", 2, "frontmatter.placement"), Withheld("p.md")]),
    Case("material-status-new", {"p.md": page("status: new", "New body.\n")}, [Rendered("material-status-new/p/", "New body.")]),
    Case("material-status-deprecated", {"p.md": page("status: deprecated", "Old body.\n")},
         [Rendered("material-status-deprecated/p/", "Old body.")]),
    Case("attachment-of-a-draft", {"plan.md": page("draft: true", "![shot](shot.png) " + leak("attachment-of-a-draft")),
                                    "shot.png": b"\x89PNG " + leak("attachment-of-a-draft-png").encode()},
         [Report("shot.png", 1, "file.draft-only"), Withheld("plan.md"), Withheld("shot.png")]),
    Case("mkdocs-exclude-docs", {"secret/p.md": page("tags: [excluded-topic]", leak("mkdocs-exclude-docs")),
                                 "secret/pic.png": leak("mkdocs-exclude-docs-png"), "kept.md": "# Kept\n"},
         [Report("secret/p.md", 1, "file.excluded"), Withheld("secret/p.md"), Withheld("secret/pic.png"),
          Rendered("mkdocs-exclude-docs/kept/", "Kept")]),
    Case("mkdocs-draft-docs", {"_wip.md": page("title: " + leak("mkdocs-draft-docs"), leak("mkdocs-draft-docs"))},
         [Report("_wip.md", 1, "file.excluded"), Withheld("_wip.md")]),
    Case("topic-folder-index", {"topics/hostile-merge/index.md": "# Merge notes\n\nWritten by hand.\n",
                                "hostile-merge-page.md": page("title: Tagged for merge\ntags: [hostile-merge]")},
         [Rendered("topics/hostile-merge/", "Written by hand."), Rendered("topics/hostile-merge/", "Tagged for merge")],
         at_top=True),
    Case("mkdocs-templates-folder", {"templates/t.md": page("tags: [tpl]", leak("mkdocs-templates"))},
         [Report("templates/t.md", 1, "file.excluded")], at_top=True),
    Case("status-capitalised", {"p.md": page("Status: draft", leak("status-capitalised"))},
         [Report("p.md", 2, "frontmatter.unknown-key"), Withheld("p.md")]),
    Case("jekyll-drafts-folder", {"_drafts/post.md": "# " + leak("jekyll-drafts-folder") + "\n"}, [Withheld("_drafts/post.md")]),
    Case("hugo-cascade", {"_index.md": page("cascade:\n  draft: true"), "child.md": "# " + leak("hugo-cascade") + "\n"},
         [Withheld("child.md"), Report("child.md", 1, "page.cascade")]),
    Case("cascade-not-index", {"notes.md": page("title: Notes\ncascade:\n  draft: true", "My notes.\n"),
                               "ops/deploy.md": "# Deploy is published\n"},
         [Report("notes.md", 3, "frontmatter.unused"), Rendered("cascade-not-index/notes/", "My notes."),
          Rendered("cascade-not-index/ops/deploy/", "Deploy is published")]),
    Case("cascade-target", {"index.md": page("cascade:\n  - _target: {path: /cascade-target/drafts/**}\n"
                                             "    build: {render: never}", "Section page.\n"),
                            "drafts/d.md": "# " + leak("cascade-target") + "\n", "kept.md": "# Kept page\n"},
         [Report("drafts/d.md", 1, "page.cascade"), Withheld("drafts/d.md"), Rendered("cascade-target/kept/", "Kept page"),
          Rendered("cascade-target/", "Section page.")]),
    Case("cascade-unreadable", {"index.md": page("cascade: {build: {render: [never]}}", leak("cascade-unreadable")),
                                "below.md": "# " + leak("cascade-unreadable-below") + "\n"},
         [Report("index.md", 2, "frontmatter.draft"), Withheld("index.md"), Report("below.md", 1, "page.cascade"),
          Withheld("below.md")]),
    Case("hugo-date-unreadable", {"p.md": page("publishDate: 02 Jan 2099", leak("hugo-date-unreadable")),
                                  "q.md": page("expiryDate: '2001-01-01T00:00:00+25:00'", leak("hugo-date-unreadable-q"))},
         [Report("p.md", 2, "frontmatter.draft"), Withheld("p.md"), Report("q.md", 2, "frontmatter.draft"),
          Withheld("q.md")]),
    Case("hugo-date-scheduled", {"p.md": page("publishDate: 2099-01-01T00:00:00+01:00", leak("hugo-date-scheduled"))},
         [Report("p.md", 2, "page.scheduled"), Withheld("p.md")]),
    Case("hugo-build-unclear", {"p.md": page("build: {render: [never]}", leak("hugo-build-unclear")),
                                "q.md": page("build: 'render: never'", leak("hugo-build-unclear-q")),
                                "r.md": page("build: false", leak("hugo-build-unclear-r"))},
         [Report("p.md", 2, "frontmatter.draft"), Withheld("p.md"), Report("q.md", 2, "frontmatter.draft"),
          Withheld("q.md"), Withheld("r.md")]),
    Case("markdown-upper-case-suffix", {"p.MD": page("emails: [" + leak("markdown-upper") + "@corp.example]")},
         [Report("p.MD", 1, "file.suffix"), Withheld("p.MD")]),
    Case("markdown-mdx", {"p.mdx": page("draft: true", leak("markdown-mdx"))}, [Report("p.mdx", 1, "file.suffix")]),
    Case("markdown-mdown", {"p.mdown": page("draft: true", leak("markdown-mdown"))}, [Withheld("p.mdown")]),
    Case("date-far-future", {"p.md": page("status: verified\nreviewed_by: x\nreviewed_on: 9999-12-31", "Far body.\n")},
         [Report("p.md", 4, "frontmatter.value")]),
    Case("secret-quadratic", {"notes.txt": "password:" * 20000 + "\n"}, []),
    Case("secret-in-page", {"p.md": "Use key AKIAIOSFODNN7EXAMPLE to log in. " + leak("secret-in-page") + "\n"},
         [Report("p.md", 1, "secret.found"), Withheld("p.md")]),
    Case("secret-in-attachment", {"settings.env": "DB_PASSWORD=Xk9#mP2qL8vR4wZt " + leak("secret-in-attachment") + "\n"},
         [Report("settings.env", 1, "secret.found"), Withheld("settings.env")]),
    Case("secret-as-entities", {"p.md": "# Keys\n\nUse &#65;KIAIOSFODNN7EXAMPLE or &#x41;KIAIOSFODNN7EXAMPLE. "
                                        + leak("secret-as-entities") + "\n"},
         [Report("p.md", 3, "secret.found"), Withheld("p.md")]),
    Case("secret-percent-encoded", {"p.md": "[console](https://console.example/?key=%41KIAIOSFODNN7EXAMPLE) "
                                            + leak("secret-percent-encoded") + "\n"},
         [Report("p.md", 1, "secret.found"), Withheld("p.md")]),
    Case("secret-in-identifier", {"p.md": "`aws_AKIAIOSFODNN7EXAMPLE` " + leak("secret-in-identifier") + "\n"},
         [Report("p.md", 1, "secret.found"), Withheld("p.md")]),
    Case("secret-attachment-without-suffix", {"id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                                                        + leak("secret-attachment-without-suffix") + "\n"},
         [Report("id_rsa", 1, "secret.found"), Withheld("id_rsa")]),
    Case("secret-attachment-terraform", {"main.tf": 'provider "aws" {\n  access_key = "AKIAIOSFODNN7EXAMPLE"\n}\n# '
                                                    + leak("secret-attachment-terraform") + "\n"},
         [Report("main.tf", 2, "secret.found"), Withheld("main.tf")]),
    Case("secret-attachment-utf16", {"keys.csv": ("\ufeffname,key\nci,AKIAIOSFODNN7EXAMPLE\n"
                                                  + leak("secret-attachment-utf16") + "\n").encode("utf-16-le")},
         [Report("keys.csv", 2, "secret.found"), Withheld("keys.csv")]),
    Case("secret-escapes-quadratic", {"notes.txt": "&#65;KIA" * 20000 + "%41" * 20000 + "\\_" * 20000 + "\n"}, []),
    *ATTACHMENT_CASES,
]


#: Wikis the fuzzer found kb failing on, loaded from tests/hostile/found/.
FOUND: list[Found] = found_cases()


def write_corpus(root: Path) -> None:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Hostile\nsite_url: https://wiki.example.com/\ndocs_dir: docs\ntheme: material\n"
        "exclude_docs: |\n  mkdocs-exclude-docs/secret/\ndraft_docs: |\n  mkdocs-draft-docs/_*.md\n"
        "plugins:\n  - search\n  - kb\n", encoding="utf-8")
    (docs / "index.md").write_text("# Hostile content\n", encoding="utf-8")
    (root / "outside.md").write_text(leak("symlink-out") + "\n", encoding="utf-8")
    for case in CASES:
        folder = docs if case.at_top else docs / case.name
        folder.mkdir(exist_ok=True)
        for path, content in case.files.items():
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        for path, destination in case.links.items():
            os.symlink(destination, folder / path)


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]))
