"""Property-based fuzzing: kb and a real MkDocs build on small wikis nobody wrote by hand.

For every wiki Hypothesis draws (tests/fuzz_content.py), kb check, kb report and mkdocs build
must: raise nothing and print no traceback; finish in time; name only files that exist and
lines inside them; report the same diagnostics; publish no page that is a draft by
construction, nor one kb says it held back; publish every page whose header is valid; write
well-formed XML and JSON and no unsafe HTML. See tests/fuzz_oracle.py.

The `ci` profile (tests/conftest.py) runs the same examples every time. `make fuzz` runs a
long campaign with new examples and keeps each failure as a regression case in
tests/hostile/found/.
"""

from __future__ import annotations

from fuzz_content import Wiki, wikis
from fuzz_property import run_property
from hypothesis import given, settings

#: The core is fast (a tenth of a second an example); a site build is several times that.
CORE_EXAMPLES = 150
SITE_EXAMPLES = 20

@settings(max_examples=CORE_EXAMPLES)
@given(wiki=wikis(max_pages=4))
def test_kb_commands_hold_on_any_wiki(wiki: Wiki) -> None:
    run_property(wiki, build=False)


@settings(max_examples=SITE_EXAMPLES)
@given(wiki=wikis(max_pages=5, parallel=None))
def test_site_build_holds_on_any_wiki(wiki: Wiki) -> None:
    run_property(wiki, build=True)
