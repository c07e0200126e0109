from __future__ import annotations

from pathlib import Path

import pytest

from kb.analyse.knowledge import build_knowledge_base


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def test_drafts_count_nowhere(tmp_path: Path) -> None:
    kb = build_knowledge_base(write_tree(tmp_path, {
        "people/ann.md": "---\nname: Ann\n---\n",
        "people/zed.md": "---\nname: Zed\nstatus: draft\n---\n",
        "a.md": "---\ntags: [ops]\nowners: [ann]\n---\n",
        "draft.md": "---\nstatus: draft\ntags: [ops, secret-topic]\nowners: [ann]\nreviewed_by: ann\n---\n",
        "broken.md": "---\ntags: [ops\n---\n",
    }))
    assert sorted(kb.articles) == ["a.md"]
    assert sorted(kb.people) == ["ann"]
    assert sorted(kb.topics) == ["ops"]
    assert kb.topics["ops"].articles == ("a.md",)
    assert kb.owned == {"ann": ("a.md",)}
    assert kb.reviewed == {}
    assert kb.withheld == {"draft.md", "broken.md", "people/zed.md"}


def test_people_references(tmp_path: Path) -> None:
    kb = build_knowledge_base(write_tree(tmp_path, {
        "people/ann-lee.md": "---\nname: Ann\n---\n",
        "people/zed.md": "---\nstatus: draft\n---\n",
        "topics/ops.md": "---\nmoderators: [ann-lee, nobody]\n---\n",
        "a.md": "---\nowners: [ann-le, ann-lee]\nreviewed_by: zed\nmembers: [x]\ntype: community\n---\n",
    }), display_root="c")
    assert [d.format() for d in kb.diagnostics] == [
        "c/a.md:2:1: warning: no person 'ann-le' (in 'owners'): add people/ann-le.md or did you mean 'ann-lee'? [person.unknown]",
        "c/a.md:3:1: warning: 'zed' in 'reviewed_by' has a draft profile, so it is not shown [person.unknown]",
        "c/a.md:4:1: warning: no person 'x' (in 'members'): add people/x.md [person.unknown]",
        "c/topics/ops.md:2:1: warning: no person 'nobody' (in 'moderators'): add people/nobody.md [person.unknown]",
    ]


def test_relative_links(tmp_path: Path) -> None:
    kb = build_knowledge_base(write_tree(tmp_path, {
        "guides/a.md": "[ok](b.md) [ok too](../index.md#top) [folder](../sub/) [asset](img/x.png)\n"
                        "[draft](d.md) [gone](nope.md) [out](../../etc/passwd) [web](https://x.example/a.md) [anchor](#here)\n",
        "guides/b.md": "back to [a](a.md)\n",
        "guides/d.md": "---\nstatus: draft\n---\n[from a draft](nope.md)\n",
        "guides/img/x.png": "png",
        "index.md": "# Top\n",
        "sub/index.md": "sub",
    }))
    assert [(d.line, d.col, d.code) for d in kb.diagnostics] == [
        (2, 1, "link.draft"), (2, 15, "link.not-found"), (2, 31, "link.outside")]


def test_registry_and_tags_together(tmp_path: Path) -> None:
    kb = build_knowledge_base(write_tree(tmp_path, {
        "topics/kubernetes.md": "---\ntitle: Kubernetes\naliases: [k8s]\n---\nAbout.\n",
        "a.md": "---\ntags: [K8S, Kubernetes, new thing]\n---\n",
    }))
    assert kb.article_topics == {"a.md": ("kubernetes", "new-thing")}
    assert kb.topics["kubernetes"].description is not None
    assert kb.topics["new-thing"].description is None


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    files = {f"p{i}.md": "---\ntitle: [x\n---\n" for i in range(5)}
    files |= {f"q{i}.md": "[x](missing.md)\n" for i in range(5)}
    kb = build_knowledge_base(write_tree(tmp_path, files))
    assert len(kb.diagnostics) == 10


def test_validation_regrades_problems_by_code_or_family(tmp_path: Path) -> None:
    from kb.config import KbConfig

    root = write_tree(tmp_path, {"a.md": "---\nowners: [x]\ncolour: red\n---\n[x](nope.md)\n"})
    config = KbConfig(validation={"person.unknown": "error", "frontmatter.*": "ignore", "link.not-found": "info"})
    kb = build_knowledge_base(root, config)
    assert [(d.code, d.severity.value) for d in kb.diagnostics] == [("person.unknown", "error"), ("link.not-found", "info")]


def test_one_problem_repeated_on_a_page_is_listed_twenty_times_and_counted(tmp_path: Path) -> None:
    links = "\n".join(f"[[w{n}]] [x{n}](nope{n}.md)" for n in range(1000))
    root = write_tree(tmp_path, {"big.md": links + "\n", "small.md": "[[only]]\n"})
    kb = build_knowledge_base(root, display_root="docs")
    by_code = {code: [d for d in kb.diagnostics if d.code == code and d.path == "docs/big.md"]
               for code in ("link.wanted", "link.not-found")}
    for found in by_code.values():
        assert len(found) == 21 and [d.line for d in found] == [*range(1, 21), 1000]
        assert found[-1].message.startswith("980 more like this in this file, down to this line, after the first 20; "
                                            "the last: ")
    assert by_code["link.wanted"][-1].message.endswith("no page is called 'w999' yet; it is listed as a wanted page")
    assert [d.code for d in kb.diagnostics if d.path == "docs/small.md"] == ["link.wanted"]


def test_the_count_of_repeats_takes_the_worst_severity_it_stands_for() -> None:
    from kb.diagnostics import Diagnostic, Severity, cap_repeats

    found = [Diagnostic("a.md", line, 1, Severity.INFO if line != 4 else Severity.ERROR, "x.y", f"m{line}")
             for line in range(1, 6)]
    capped = cap_repeats(found, limit=2)
    assert [(d.line, d.severity.value) for d in capped] == [(1, "info"), (2, "info"), (5, "error")]
    assert capped[-1].message == "3 more like this in this file, down to this line, after the first 2; the last: m5"


def test_validation_levels_are_checked() -> None:
    import pytest

    from kb.config import KbConfig

    with pytest.raises(ValueError, match="'loud' is not one of"):
        KbConfig.from_options({"validation": {"link.wanted": "loud"}})


def test_a_key_the_schema_labels_for_the_header_is_shown_there(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Declaring a key with a header label is all it takes to show it in the article header."""
    from kb.model import Kind
    from kb.read import schema
    from kb.views import build_views
    from kb.views.records import Detail

    monkeypatch.setitem(schema.FIELDS, "audience", schema.Field(schema.text_list, frozenset({Kind.ARTICLE}), "Audience"))
    (tmp_path / "a.md").write_text("---\ntitle: A\naudience: [ops, new hires]\n---\nA.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: B\n---\nB.\n", encoding="utf-8")
    kb = build_knowledge_base(tmp_path)
    assert not [d for d in kb.diagnostics if d.code == "frontmatter.unknown-key"]
    views = build_views(kb, {})
    assert views.articles["a.md"].details == (Detail("Audience", "ops, new hires"),)
    assert views.articles["b.md"].details == ()


def test_views_are_made_when_asked_for_and_kept_only_when_asked_to() -> None:
    from kb.views import PerPage

    made: list[str] = []

    def make(key: str) -> list[str]:
        made.append(key)
        return [key]

    kept = PerPage(["a", "b"], make)
    assert kept["a"] is kept["a"] and made == ["a"]
    fresh = PerPage(["a", "b"], make, keep=False)
    first, second = fresh["b"], fresh["b"]
    assert first == second and first is not second and made == ["a", "b", "b"]
    with pytest.raises(KeyError):
        fresh["c"]
    assert "c" not in fresh and len(fresh) == 2 and list(fresh) == ["a", "b"]
