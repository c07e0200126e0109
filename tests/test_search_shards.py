"""The sharded index answers every query exactly as one whole lunr.js index would: the same top
ten, in the same order, with the same scores, for plain, prefix, field and presence queries."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from test_search_parity import AS_KB_READS, lunr_js, wiki_documents  # noqa: F401  (npm's lunr, and the example wiki)

from kb.search.lunrindex import Field, build_index
from kb.search.shards import SearchDoc, emit_search

from conftest import REPOSITORY

FIELDS = [Field("title", 10), Field("tags", 5), Field("body", 1)]
QUERIES = [
    "mentor", "mentoring", "remote", "time zones", "lunch learn", "review", "key", "deploy", "buddy program",
    "community practice", "video calls", "async", "question", "writing how", "+remote +async", "remote -video",
    "title:mentor", "tags:onboarding", "body:pairing", "men*", "rev*", "comm*", "on*", "title:wri*",
    "checklist^10 first", "glossary", "slack", "calendar", "decision records",
    # Only exclusions: every page without the words, in index order, each scoring 0.
    "-mentoring", "-remote -video", "-title:mentor", "-men*",
]
#: Fuzzy terms expand only over the shards of their first two letters (see search-core.js).
APPROXIMATE = ["pair~1", "mentr~1"]


def test_sharded_search_equals_a_whole_lunr_js_index(lunr_js: Path, tmp_path: Path) -> None:  # noqa: F811
    documents = wiki_documents()
    numbered = [(str(i), texts) for i, (_, texts) in enumerate(documents)]
    index = build_index(FIELDS, numbered)
    docs = [SearchDoc(texts["title"], path, "", "published", "article", (), (), "", ()) for path, texts in documents]
    files = emit_search(index, docs)
    assert len([p for p in files if p.startswith("search/t/")]) > 5  # really split
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    for script in ("search-core.js", "search-lang.js"):
        shutil.copy(REPOSITORY / "theme" / "assets" / "kb" / script, tmp_path / script)
    (tmp_path / "docs.json").write_text(json.dumps([{"ref": ref, **texts} for ref, texts in numbered]), encoding="utf-8")
    (tmp_path / "queries.json").write_text(json.dumps(QUERIES + APPROXIMATE), encoding="utf-8")
    script = f"""
const lunr = require({json.dumps(str(lunr_js / "node_modules" / "lunr"))});
const fs = require('fs');
const docs = require('./docs.json'), queries = require('./queries.json');
const whole = lunr(function () {{ {AS_KB_READS} this.ref('ref'); this.field('title', {{boost: 10}}); this.field('tags', {{boost: 5}});
  this.field('body'); docs.forEach(d => this.add(d)); }});
const fetched = [];
const core = require('./search-core.js')(lunr, path => {{ fetched.push(path); return JSON.parse(fs.readFileSync(path, 'utf8')); }});
(async () => {{
  const out = [];
  for (const q of queries) {{
    const all = whole.search(q), mine = await core.search(q);
    const a = all.slice(0, 10).map(r => [r.ref, r.score]);
    const b = mine.slice(0, 10).map(r => [r.ref, r.score]);
    out.push({{query: q, whole: a, sharded: b, count: [all.length, mine.length]}});
  }}
  let refused = null;
  try {{ await core.search('*net'); }} catch (error) {{ refused = [error.name, error.message, whole.search('*net').length]; }}
  console.log(JSON.stringify({{results: out, refused, fetched: [...new Set(fetched)].length}}));
}})();
"""
    done = subprocess.run(["node", "-e", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    for result in report["results"]:
        if result["query"] in APPROXIMATE:
            assert result["sharded"] and result["sharded"][0][0] in {ref for ref, _ in result["whole"]}
        else:
            assert result["sharded"] == result["whole"], result["query"]
            assert result["count"][0] == result["count"][1], result["query"]
    assert sum(1 for r in report["results"] if r["whole"]) >= 20  # the queries find things
    assert report["fetched"] < len(files)  # no query needed the whole index
    negated = {r["query"]: r for r in report["results"]}["-mentoring"]
    assert 0 < negated["count"][0] < len(documents)
    # A leading wildcard would need every shard: it is refused with what to type instead.
    name, message, whole_count = report["refused"]
    assert (name, message) == ("Refused", "A word cannot start with *: type how it starts, such as net*, or the whole word")
    assert whole_count > 0
