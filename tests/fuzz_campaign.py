"""A long fuzzing campaign: new examples until the time is up, each failure kept as a minimal wiki.

    python tests/fuzz_campaign.py --minutes 20        # what `make fuzz` runs
    python tests/fuzz_campaign.py --replay tests/hostile/found/<id>

The campaign first replays every wiki in tests/hostile/found/: a case that passes now is marked
fixed (its regression test then fails if it ever breaks again), and a kind of failure that
still happens is not looked for again, so that the time goes to finding new ones. Then it runs
rounds of Hypothesis with a fresh seed each, alternating fast rounds of kb's own commands and
rounds with a real site build, until the time is up. Hypothesis shrinks each failure (for a few
minutes at most: a hang costs the whole time limit on every try), and the smallest failing wiki
of each kind is written to tests/hostile/found/<id>/ (the files, and case.json saying what
failed); tests/test_adversarial.py runs every such case.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("KB_FUZZ_PROFILE", "campaign")

from fuzz_content import Wiki, wikis  # noqa: E402
from fuzz_found import FOUND, found_cases, load, read_case, save, write_case  # noqa: E402
from fuzz_property import PropertyFailure, run_property  # noqa: E402
from hypothesis import Verbosity, given, seed, settings  # noqa: E402

#: Examples a round: small enough that the campaign stops close to its time.
ROUNDS = ({"build": False, "examples": 150, "max_pages": 4}, {"build": True, "examples": 30, "max_pages": 6})


def replay(folder: Path) -> PropertyFailure | None:
    try:
        run_property(load(folder), build=True)
    except PropertyFailure as failure:
        return failure
    return None


def replay_found(found: Path) -> set[str]:
    """Replay every found case: mark the ones that pass now as fixed, and record what the others
    fail with now. The signatures that still fail."""
    failing: set[str] = set()
    for case in found_cases(found):
        failure = replay(case.folder)
        if failure is None:
            if case.open:
                write_case(case.folder, read_case(case.folder) | {"open": False})
                print(f"fixed: {case.name} [{case.signature}]")
            continue
        failing.update(f.signature for f in failure.failures)
        write_case(case.folder, read_case(case.folder) | {
            "signature": failure.signature, "open": True,
            "failures": [{"signature": f.signature, "detail": f.detail[-4000:]} for f in failure.failures]})
        print(f"still failing: {case.name} [{failure.signature}]")
    return failing


class RoundOver(BaseException):
    """Time for this round is up. A BaseException: Hypothesis passes it on instead of taking it
    for a failure of the test."""


class Round:
    """One Hypothesis run with a fresh seed. It keeps the smallest failing wiki of each kind it
    sees, so that a shrink cut short by time still leaves a small example."""

    def __init__(self, shape: dict[str, int | bool], known: set[str], stop_at: float, shrink_seconds: float) -> None:
        self.shape, self.known = shape, known
        self.stop_at, self.shrink_seconds = stop_at, shrink_seconds
        self.first_failure: float | None = None
        self.smallest: dict[str, PropertyFailure] = {}
        self.examples = 0

    def test(self, wiki: Wiki) -> None:
        now = time.monotonic()
        if now > self.stop_at and self.first_failure is None:
            raise RoundOver
        if self.first_failure is not None and now > self.first_failure + self.shrink_seconds:
            raise RoundOver
        self.examples += 1
        try:
            run_property(wiki, build=bool(self.shape["build"]), ignore=self.known)
        except PropertyFailure as failure:
            self.first_failure = self.first_failure or now
            kept = self.smallest.get(failure.signature)
            if kept is None or _size(failure.wiki) < _size(kept.wiki):
                self.smallest[failure.signature] = failure
            raise

    def run(self) -> list[PropertyFailure]:
        @seed(random.getrandbits(64))
        @settings(settings.get_profile("campaign"), max_examples=int(self.shape["examples"]), verbosity=Verbosity.quiet)
        @given(wiki=wikis(max_pages=int(self.shape["max_pages"]), parallel=None if self.shape["build"] else False))
        def prop(wiki: Wiki) -> None:
            self.test(wiki)

        try:
            prop()
        except RoundOver:
            pass
        except Exception as error:  # noqa: BLE001 - failures were kept as they happened; anything else is news
            if not self.smallest:
                raise
            if not isinstance(error, PropertyFailure) and not hasattr(error, "exceptions"):
                print(f"kb fuzz: Hypothesis ended the round with {type(error).__name__}: {error}", file=sys.stderr)
        return list(self.smallest.values())


def _size(wiki: Wiki) -> tuple[int, int]:
    return len(wiki.files), sum(len(data) for data in wiki.files.values())


def campaign(minutes: float, found: Path, shrink_minutes: float = 4) -> int:
    deadline = time.monotonic() + minutes * 60
    known = replay_found(found)
    examples, new, number = 0, 0, 0
    while time.monotonic() < deadline:
        current = Round(ROUNDS[number % len(ROUNDS)], known, deadline, shrink_minutes * 60)
        try:
            failures = current.run()
        except KeyboardInterrupt:
            break
        except Exception:  # noqa: BLE001 - a fault of the harness: say so, and try another seed
            traceback.print_exc()
            failures = []
        examples += current.examples
        for failure in failures:
            if failure.signature in known:
                continue
            known.add(failure.signature)
            new += 1
            print(f"found [{failure.signature}] -> {save(failure.signature, failure.failures, failure.wiki, found)}")
        number += 1
    print(f"kb fuzz: {examples} examples in {number} rounds, {new} new failures"
          f" ({len(known)} kinds failing in all), written to {found}")
    return 1 if known else 0


def main(argv: list[str] | None = None) -> int:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress shows in a log as it happens
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("FUZZ_MINUTES", "20")))
    parser.add_argument("--found", type=Path, default=FOUND, help="where failures are written (default: %(default)s)")
    parser.add_argument("--shrink-minutes", type=float, default=4, help="how long to shrink the failures of one round")
    parser.add_argument("--replay", type=Path, nargs="*", help="replay these found cases and print what fails")
    parser.add_argument("--refresh", action="store_true", help="only replay every found case and record what it fails with now")
    args = parser.parse_args(argv)
    if args.replay is not None:
        status = 0
        for folder in args.replay:
            failure = replay(folder)
            print(f"{folder}: " + (f"fails\n{failure}" if failure else "passes"))
            status |= failure is not None
        return status
    if args.refresh:
        return 1 if replay_found(args.found) else 0
    return campaign(args.minutes, args.found, args.shrink_minutes)


if __name__ == "__main__":
    sys.exit(main())
