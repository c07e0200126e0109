"""kb on real content nobody here wrote: four public repositories, built with kb, against what their own tool publishes.

    python bench/corpora.py [--corpora /work/corpora] [--out bench/corpora.md] [--only NAME,...]

Each corpus is a git work tree (with its history) under the corpora folder:

- obsidian-hub: obsidian-community/obsidian-hub, an Obsidian vault (the whole repository);
- hugoDocs: gohugoio/hugoDocs, Hugo's documentation (content/en);
- mkdocs-material: squidfunk/mkdocs-material, Material for MkDocs' own docs (docs/);
- fastapi: fastapi/fastapi, the English FastAPI docs (docs/en/docs).

For each it writes a minimal kb site config (the lines `kb adopt` suggests) to
<corpora>/_sites/<name>/mkdocs.yml, runs `kb check --format json` and `mkdocs build` there, and
compares the pages kb published (assets/kb/graph.json) with the pages the source tool would publish
(`source_pages`: an estimate for Obsidian Publish and Hugo, which are not run here). A page the source
publishes and kb does not must be named by one of kb's diagnostics. The table goes to bench/corpora.md.
"""

from __future__ import annotations

import argparse
import collections
import fnmatch
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPOSITORY = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = Path(os.environ.get("KB_CORPORA", REPOSITORY.parent / "corpora"))
TRACEBACK = re.compile(r"Traceback \(most recent call last\)")


@dataclass(frozen=True)
class Corpus:
    name: str
    repository: str
    content: str  # the docs folder, relative to the work tree
    kind: str  # obsidian, hugo or mkdocs
    kb_options: dict = field(default_factory=dict)
    source_config: str | None = None  # the source's own mkdocs.yml, relative to the work tree
    custom_dir: str | None = None  # templates its pages name (plain MkDocs fails without them)
    site_options: dict = field(default_factory=dict)  # mkdocs.yml lines kb adopt suggests beside the plugin's


CORPORA = (
    Corpus("obsidian-hub", "obsidian-community/obsidian-hub", ".", "obsidian", {
        "extra_keys": ["plugin-id", "author", "link"],
        "validation": {"link.ambiguous": "info", "link.wanted": "info", "link.anchor": "info"},
    }),
    Corpus("hugoDocs", "gohugoio/hugoDocs", "content/en", "hugo", {
        "extra_keys": ["categories", "keywords", "params", "linkTitle", "_comment", "slug", "url", "weight", "reference"],
        "validation": {"link.wanted": "info", "link.anchor": "info"},
    }, site_options={"exclude_docs": "!/templates/"}),
    Corpus("mkdocs-material", "squidfunk/mkdocs-material", "docs", "mkdocs", {
        "extra_keys": ["authors", "categories", "date", "links", "slug"],
        "validation": {"link.anchor": "info"},
    }, source_config="mkdocs.yml", custom_dir="material/overrides"),
    Corpus("fastapi", "fastapi/fastapi", "docs/en/docs", "mkdocs", {
        "extra_keys": ["include_yaml"],
    }, source_config="docs/en/mkdocs.yml"),
)


# --- what the source tool publishes --------------------------------------------------------------

def front_matter(path: Path) -> dict:
    """The YAML front matter of a Markdown file, {} when it has none or it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return {}
    if not text.startswith("---"):
        return {}
    end = re.search(r"^(?:---|\.\.\.)\s*$", text[3:], re.MULTILINE)
    if not end:
        return {}
    try:
        data = yaml.safe_load(text[3:3 + end.start()])
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _markdown(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.md")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts))


def obsidian_pages(root: Path) -> set[str]:
    """Obsidian Publish: every note not marked `publish: false` (hidden folders are not notes)."""
    return {p.relative_to(root).as_posix() for p in _markdown(root) if front_matter(p).get("publish") is not False}


def _never_rendered(matter: dict) -> bool:
    build = matter.get("build") or matter.get("_build") or {}
    render = build.get("render") if isinstance(build, dict) else None
    return matter.get("headless") is True or render in ("never", False, "false")


def hugo_pages(root: Path) -> set[str]:
    """Hugo (not run here): Markdown pages that are not drafts, not headless, not `build.render: never`,
    not under a section whose `_index.md` cascades `build.render: never` (unless they set `build`
    themselves), and not page resources of a leaf bundle (the other Markdown files in a folder with
    an index.md)."""
    pages = set()
    files = _markdown(root)
    leaf_bundles = {p.parent for p in files if p.name == "index.md"}
    cascaded = set()
    for p in files:
        if p.name == "_index.md":
            cascade = front_matter(p).get("cascade")
            for entry in cascade if isinstance(cascade, list) else [cascade]:
                if isinstance(entry, dict) and _never_rendered(entry):
                    cascaded.add(p.parent)
    for p in files:
        matter = front_matter(p)
        if matter.get("draft") is True or _never_rendered(matter):
            continue
        # A page that sets `build` itself keeps it: Hugo merges a cascade only into keys a page lacks.
        if "build" not in matter and any(parent in cascaded for parent in p.parents):
            continue
        if p.name not in ("index.md", "_index.md") and any(b in leaf_bundles for b in [p.parent, *p.parent.parents]):
            continue  # a page resource of a leaf bundle, not a page
        pages.add(p.relative_to(root).as_posix())
    return pages


class _Loader(yaml.SafeLoader):
    """MkDocs configs use !ENV, !relative and python tags: read them as plain values."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_pages(root: Path, config: Path | None) -> set[str]:
    """MkDocs: every Markdown file of docs_dir except MkDocs' default exclusions (dot files, /templates/),
    the config's exclude_docs and draft_docs, a README.md beside an index.md, and Material blog posts
    with `draft: true` (the blog plugin leaves drafts out of a build)."""
    settings = {}
    if config and config.is_file():
        settings = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader) or {}
    patterns = ["/templates/"]
    for key in ("exclude_docs", "draft_docs"):
        patterns += [line.strip() for line in (settings.get(key) or "").splitlines() if line.strip() and not line.startswith("#")]
    plugins = settings.get("plugins") or []
    names = [next(iter(p)) if isinstance(p, dict) else p for p in (plugins.items() if isinstance(plugins, dict) else plugins)]
    names = [n[0] if isinstance(n, tuple) else n for n in names]
    blog = "blog" in names or "material/blog" in names
    pages = set()
    for p in _markdown(root):
        relative = p.relative_to(root).as_posix()
        if any(_gitignore_match(pattern, relative) for pattern in patterns):
            continue
        if p.name.lower() == "readme.md" and (p.parent / "index.md").exists():
            continue
        if blog and "/posts/" in f"/{relative}" and front_matter(p).get("draft") is True:
            continue
        pages.add(relative)
    return pages


def _gitignore_match(pattern: str, relative: str) -> bool:
    negate = pattern.startswith("!")
    if negate:
        return False
    anchored = pattern.startswith("/")
    pattern = pattern.strip("/")
    if anchored:
        return fnmatch.fnmatch(relative, pattern) or relative.startswith(pattern + "/")
    return any(fnmatch.fnmatch(part, pattern) for part in relative.split("/")) or f"/{pattern}/" in f"/{relative}"


def source_pages(corpus: Corpus, tree: Path) -> set[str]:
    """The pages (paths relative to the docs folder) the corpus's own tool would publish."""
    root = tree / corpus.content
    if corpus.kind == "obsidian":
        return obsidian_pages(root)
    if corpus.kind == "hugo":
        return hugo_pages(root)
    return mkdocs_pages(root, tree / corpus.source_config if corpus.source_config else None)


# --- building with kb ----------------------------------------------------------------------------

def site_config(corpus: Corpus, tree: Path) -> str:
    config = {
        "site_name": f"{corpus.name} (kb)",
        "docs_dir": str((tree / corpus.content).resolve()),
        "site_dir": "site",
        "theme": "material",
        **corpus.site_options,
        **_site_files(tree / corpus.source_config if corpus.source_config else None),
        "plugins": [{"kb": corpus.kb_options}],
    }
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def _site_files(config: Path | None) -> dict:
    """The source's own scripts and styles (extra_css, extra_javascript), which kb publishes when
    mkdocs.yml names them."""
    if not config or not config.is_file():
        return {}
    settings = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader) or {}
    return {key: settings[key] for key in ("extra_css", "extra_javascript") if settings.get(key)}


@dataclass
class Result:
    corpus: Corpus
    commits: int = 0
    source: set[str] = field(default_factory=set)
    published: set[str] = field(default_factory=set)
    edges: int = 0
    diagnostics: list[dict] = field(default_factory=list)
    build_seconds: float = 0.0
    build_returncode: int = 0
    check_returncode: int = 0
    tracebacks: int = 0
    log: str = ""
    plain: dict = field(default_factory=dict)

    @property
    def codes(self) -> collections.Counter:
        return collections.Counter(d["code"] for d in self.diagnostics if d["severity"] in ("error", "warning"))

    @property
    def broken(self) -> int:
        return sum(1 for d in self.diagnostics if d["code"] in ("link.not-found", "link.anchor", "link.wanted"))

    def reasons(self, root: Path) -> dict[str, list[dict]]:
        """kb's diagnostics by page, relative to the docs folder."""
        by_page = collections.defaultdict(list)
        for d in self.diagnostics:
            try:
                by_page[Path(d["path"]).resolve().relative_to(root.resolve()).as_posix()].append(d)
            except ValueError:
                pass
        return by_page

    def missing(self, root: Path) -> tuple[dict[str, list[str]], list[str]]:
        """Pages the source publishes and kb does not: those kb names (by code) and those it does not."""
        by_page = self.reasons(root)
        named, unnamed = collections.defaultdict(list), []
        for page in sorted(self.source - self.published):
            codes = [d["code"] for d in by_page.get(page, []) if d["severity"] in ("error", "info")]
            if codes:
                named[codes[0]].append(page)
            else:
                unnamed.append(page)
        return named, unnamed


def kb_environment() -> dict[str, str]:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join([str(REPOSITORY), str(REPOSITORY / "plugins"), environment.get("PYTHONPATH", "")])
    environment["NO_MKDOCS_2_WARNING"] = "1"
    return environment


def run(corpus: Corpus, corpora: Path) -> Result:
    tree = corpora / corpus.name
    work = corpora / "_sites" / corpus.name
    work.mkdir(parents=True, exist_ok=True)
    (work / "mkdocs.yml").write_text(site_config(corpus, tree), encoding="utf-8")
    result = Result(corpus)
    result.commits = int(subprocess.run(["git", "-C", str(tree), "rev-list", "--count", "HEAD"],
                                        capture_output=True, text=True).stdout.strip() or 0)
    result.source = source_pages(corpus, tree)
    bindir = Path(sys.executable).parent
    environment = kb_environment()
    check = subprocess.run([str(bindir / "kb"), "check", "--format", "json", "--verbose"], cwd=work,
                           capture_output=True, text=True, env=environment)
    result.check_returncode = check.returncode
    try:
        result.diagnostics = json.loads(check.stdout)
    except json.JSONDecodeError:
        result.diagnostics = []
    start = time.perf_counter()
    build = subprocess.run([str(bindir / "mkdocs"), "build"], cwd=work, capture_output=True, text=True, env=environment)
    result.build_seconds = time.perf_counter() - start
    result.build_returncode = build.returncode
    result.log = check.stderr + build.stdout + build.stderr
    (work / "build.log").write_text(result.log, encoding="utf-8")
    (work / "check.json").write_text(check.stdout, encoding="utf-8")
    result.tracebacks = len(TRACEBACK.findall(result.log)) + sum(
        1 for d in result.diagnostics if d["code"] == "internal.error")
    graph = work / "site" / "assets" / "kb" / "graph.json"
    if graph.is_file():
        data = json.loads(graph.read_text(encoding="utf-8"))
        result.published = {n["id"] for n in data["nodes"] if n.get("kind") == "article" and n.get("url") is not None}
        result.edges = len(data["edges"])
    return result


def plain_mkdocs(corpus: Corpus, corpora: Path) -> dict:
    """Plain MkDocs with Material and no kb: its page count and its own link validation warnings."""
    tree = corpora / corpus.name
    work = corpora / "_plain" / corpus.name
    work.mkdir(parents=True, exist_ok=True)
    theme = {"name": "material"}
    if corpus.custom_dir:
        theme["custom_dir"] = str((tree / corpus.custom_dir).resolve())
    config = {"site_name": f"{corpus.name} (plain)", "docs_dir": str((tree / corpus.content).resolve()), "site_dir": "site",
              "theme": theme, "validation": {"links": {"not_found": "warn", "anchors": "warn", "unrecognized_links": "warn"}}}
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    start = time.perf_counter()
    build = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build"], cwd=work, capture_output=True, text=True,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    seconds = time.perf_counter() - start
    warnings = [line for line in (build.stdout + build.stderr).splitlines() if line.startswith("WARNING")]
    return {
        "pages": sum(1 for _ in (work / "site").rglob("index.html")),
        "not_found": sum("not found among documentation files" in w for w in warnings),
        "anchors": sum("anchor" in w for w in warnings),
        "unrecognized": sum("unrecognized relative link" in w for w in warnings),
        "seconds": seconds,
        "returncode": build.returncode,
    }


# --- the table -----------------------------------------------------------------------------------

def table(results: list[Result], corpora: Path) -> str:
    lines = [
        "# kb on public corpora",
        "",
        "Written by `python bench/corpora.py`: each corpus is a public repository with its git history, built",
        "with kb from a minimal mkdocs.yml (theme material, `plugins: [kb]` with what `kb adopt` suggests).",
        "\"source\" is what the corpus's own tool would publish (Obsidian Publish: notes not `publish: false`;",
        "Hugo: pages not draft, headless or `render: never` — Hugo is not run here, the count is computed from",
        "front matter; MkDocs: the Markdown files MkDocs builds from docs_dir with the source's exclusions).",
        "Broken links are kb's link.not-found, link.anchor and link.wanted diagnostics (any severity).",
        "",
        "| corpus | commits | source pages | kb pages | source pages kb holds back (reason) | unexplained"
        " | links (graph edges) | broken links | errors | warnings | top codes (errors + warnings) | build (wall) | tracebacks |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        root = corpora / r.corpus.name / r.corpus.content
        named, unnamed = r.missing(root)
        held = ", ".join(f"{len(v)} {k}" for k, v in sorted(named.items(), key=lambda kv: -len(kv[1]))) or "0"
        errors = sum(1 for d in r.diagnostics if d["severity"] == "error")
        warnings = sum(1 for d in r.diagnostics if d["severity"] == "warning")
        top = ", ".join(f"{code} {n}" for code, n in r.codes.most_common(5))
        lines.append(
            f"| {r.corpus.name} ({r.corpus.repository}, `{r.corpus.content}`) | {r.commits} | {len(r.source)} | "
            f"{len(r.published & r.source)} (+{len(r.published - r.source)}) | {held} | {len(unnamed)} | "
            f"{r.edges} | {r.broken} | {errors} | {warnings} | {top} | "
            f"{r.build_seconds:.1f} s (exit {r.build_returncode}) | {r.tracebacks} |")
    lines += ["", "\"kb pages\" counts source pages kb published, then (+) pages kb published that the source tool",
              "would not.", ""]
    plain = [r for r in results if r.plain]
    if plain:
        lines += ["Plain MkDocs (no kb, same minimal config with MkDocs' link validation at `warn`) on the MkDocs corpora:", "",
                  "| corpus | MkDocs pages | not-found links | missing anchors | unrecognized links | build (wall) |",
                  "|---|---|---|---|---|---|"]
        for r in plain:
            p = r.plain
            lines.append(f"| {r.corpus.name} | {p['pages']} | {p['not_found']} | {p['anchors']} | {p['unrecognized']} | "
                         f"{p['seconds']:.1f} s (exit {p['returncode']}) |")
        lines.append("")
    for r in results:
        root = corpora / r.corpus.name / r.corpus.content
        named, unnamed = r.missing(root)
        lines.append(f"## {r.corpus.name}")
        lines.append("")
        counts = sorted(r.codes.items(), key=lambda kv: -kv[1])
        lines.append("All codes: " + (", ".join(f"`{c}` {n}" for c, n in counts) or "none"))
        lines.append("")
        for code, pages in sorted(named.items()):
            lines.append(f"- held back as `{code}` ({len(pages)}): " + ", ".join(f"`{p}`" for p in pages[:5])
                         + (f" and {len(pages) - 5} more" if len(pages) > 5 else ""))
        for page in unnamed[:20]:
            lines.append(f"- not published, no reason given: `{page}`")
        extra = sorted(r.published - r.source)
        if extra:
            lines.append(f"- published by kb, not by the source tool ({len(extra)}): " + ", ".join(f"`{p}`" for p in extra[:5])
                         + (f" and {len(extra) - 5} more" if len(extra) > 5 else ""))
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    parser.add_argument("--out", type=Path, default=REPOSITORY / "bench" / "corpora.md")
    parser.add_argument("--only", help="comma-separated corpus names")
    args = parser.parse_args()
    chosen = [c for c in CORPORA if not args.only or c.name in args.only.split(",")]
    results = []
    for corpus in chosen:
        if not (args.corpora / corpus.name / corpus.content).is_dir():
            print(f"skipped {corpus.name}: no {args.corpora / corpus.name / corpus.content}", file=sys.stderr)
            continue
        print(f"building {corpus.name}", file=sys.stderr, flush=True)
        results.append(run(corpus, args.corpora))
        if corpus.kind == "mkdocs":
            results[-1].plain = plain_mkdocs(corpus, args.corpora)
        print(f"  {results[-1].build_seconds:.1f} s", file=sys.stderr, flush=True)
    args.out.write_text(table(results, args.corpora) + "\n", encoding="utf-8")
    print(args.out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
