"""Failures the fuzzer found, kept as wikis in tests/hostile/found/<id>/.

Each folder holds the failing wiki's files as they were (mkdocs.yml, docs/...) and case.json:
the failure's signature and details, the role of every page (which are drafts, with their
markers), whether kb still failed it when last replayed (`open`), and the command that replays it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from fuzz_content import Page, Wiki
from fuzz_oracle import Failure

FOUND = Path(__file__).parent / "hostile" / "found"


@dataclass(frozen=True)
class Found:
    folder: Path
    signature: str
    #: kb failed this case when it was found or last replayed.
    open: bool

    @property
    def name(self) -> str:
        return self.folder.name


def save(signature: str, failures: list[Failure], wiki: Wiki, found: Path = FOUND) -> Path:
    content = json.dumps({path: data.hex() for path, data in sorted(wiki.files.items())})
    ident = hashlib.sha1((signature + content).encode()).hexdigest()[:10]
    folder = found / ident
    for path, data in wiki.files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    write_case(folder, {
        "signature": signature,
        "failures": [{"signature": f.signature, "detail": f.detail[-4000:]} for f in failures],
        "pages": [asdict(page) for page in wiki.pages],
        "open": True,
        "replay": f"python tests/fuzz_campaign.py --replay tests/hostile/found/{ident}",
    })
    return folder


def write_case(folder: Path, case: dict[str, object]) -> None:
    text = json.dumps(case, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    (folder / "case.json").write_text(text, encoding="utf-8")


def read_case(folder: Path) -> dict[str, object]:
    return json.loads((folder / "case.json").read_text(encoding="utf-8"))


def load(folder: Path) -> Wiki:
    """A found case as the wiki it was."""
    case = read_case(folder)
    files = {path.relative_to(folder).as_posix(): path.read_bytes()
             for path in sorted(folder.rglob("*")) if path.is_file() and path.name != "case.json"}
    return Wiki(files, tuple(Page(**page) for page in case["pages"]))  # type: ignore[union-attr]


def found_cases(found: Path = FOUND) -> list[Found]:
    cases = []
    for case_file in sorted(found.glob("*/case.json")):
        case = read_case(case_file.parent)
        cases.append(Found(case_file.parent, str(case["signature"]), bool(case.get("open", True))))
    return cases
