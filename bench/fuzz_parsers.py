"""Long fuzz run of the scraper parsers: the properties of tests/fuzz with many more inputs.

    python bench/fuzz_parsers.py [--examples 20000] [--seconds 300] [--targets pace,wg_report]
                                 [--batch 200] [--no-corpus] [--save artifacts/fuzz-failures]

Each target gets its full input mix (``tests.fuzz.strategies.for_target``: random bytes, mutated
seeds including the ../shared/corpus PDFs when present, structured generation, JSON with wrong
shapes), in round-robin batches with fresh random seeds, until ``--examples`` inputs in total
have run or ``--seconds`` have passed. Every input runs under the hard time limit and memory
bound of ``tests.fuzz.harness``. Printed per target: inputs, unexpected exceptions (must be 0),
hangs, "masked" internal errors (a programming error such as IndexError that a parser's
catch-all turned into a ScrapeError: the contract holds, the parser still has a bug), the slowest
input and the largest peak-memory growth. Inputs that broke the contract are saved to ``--save``.
Exit status 1 when any input broke the contract.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, Phase, given, seed, settings

from scrapers.errors import ScrapeError
from tests.fuzz.harness import Outcome, guarded_call
from tests.fuzz.mutations import JsonInput
from tests.fuzz.strategies import for_target
from tests.fuzz.targets import TARGETS


@dataclass
class Tally:
    """Counters of one target."""

    inputs: int = 0
    unexpected: int = 0
    hangs: int = 0
    masked: int = 0
    slowest: float = 0.0
    memory_mb: float = 0.0
    harness_errors: int = 0  # input generation failed (a bug of tests/fuzz, not of a parser)
    kinds: Counter[str] = field(default_factory=Counter)


def masked_bug(error: BaseException | None) -> str | None:
    """``Type at file:line`` when a parser's catch-all ("... parser failed: ...") turned an
    internal error into a ScrapeError: the contract holds, but the parser has a bug there."""
    if not isinstance(error, ScrapeError) or " parser failed: " not in error.reason:
        return None
    cause = error.__cause__
    if cause is None:
        return None
    tb = cause.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else "?"
    return f"{type(cause).__name__} at {where}"


def run_batch(name: str, count: int, seed_value: int, tally: Tally, save: Path | None) -> None:
    """``count`` inputs for one target; contract breaches are tallied, never raised."""
    target = TARGETS[name]

    @seed(seed_value)
    @settings(max_examples=count, deadline=None, database=None, derandomize=False,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(value=for_target(name, corpus=True))
    def probe(value: Any) -> None:
        payload = value.value if isinstance(value, JsonInput) else value
        outcome = guarded_call(target.call, payload)
        record(name, payload, outcome, tally, save)

    try:
        probe()
    except Exception as exc:  # noqa: BLE001 - a generator bug must not end a long run unseen
        tally.harness_errors += 1
        print(f"  !! {name}: input generation failed: {type(exc).__name__}: {exc}"[:300],
              file=sys.stderr, flush=True)


def record(name: str, payload: Any, outcome: Outcome, tally: Tally, save: Path | None) -> None:
    tally.inputs += 1
    tally.slowest = max(tally.slowest, outcome.seconds)
    tally.memory_mb = max(tally.memory_mb, outcome.memory_mb)
    if (where := masked_bug(outcome.error)) is not None:
        tally.masked += 1
        tally.kinds[f"masked {where}"] += 1
    if outcome.expected:
        return
    tally.unexpected += 1
    tally.hangs += outcome.timed_out
    tally.kinds[outcome.describe()[:160]] += 1
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        blob = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL) \
            if not isinstance(payload, bytes) else payload
        digest = hashlib.sha256(blob).hexdigest()[:16]
        suffix = "bin" if isinstance(payload, bytes) else "pickle"
        (save / f"{name}-{digest}.{suffix}").write_bytes(blob)
        (save / f"{name}-{digest}.txt").write_text(f"{outcome.describe()}\n{outcome.trace}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20_000, help="inputs in total")
    parser.add_argument("--seconds", type=float, default=None, help="time budget (overrides)")
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated names")
    parser.add_argument("--batch", type=int, default=200, help="inputs per target per round")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--save", type=Path, default=REPO / "artifacts" / "fuzz-failures")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.targets.split(",") if n.strip()]
    unknown = sorted(set(names) - set(TARGETS))
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {sorted(TARGETS)}")
    rng = random.Random(args.seed)
    tallies = {name: Tally() for name in names}
    started = time.monotonic()

    def done() -> bool:
        if args.seconds is not None:
            return time.monotonic() - started >= args.seconds
        return sum(t.inputs for t in tallies.values()) >= args.examples

    while not done():
        for name in names:
            if done():
                break
            left = args.examples - sum(t.inputs for t in tallies.values())
            count = args.batch if args.seconds is not None else max(1, min(args.batch, left))
            run_batch(name, count, rng.getrandbits(64), tallies[name], args.save)
        print(f"  ... {sum(t.inputs for t in tallies.values())} inputs, "
              f"{time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return report(tallies, time.monotonic() - started)


def report(tallies: dict[str, Tally], elapsed: float) -> int:
    print(f"\n{'target':<17}{'inputs':>8}{'unexpected':>12}{'hangs':>7}{'masked':>8}"
          f"{'slowest s':>11}{'max mem MB':>12}")
    for name, t in tallies.items():
        print(f"{name:<17}{t.inputs:>8}{t.unexpected:>12}{t.hangs:>7}{t.masked:>8}"
              f"{t.slowest:>11.2f}{t.memory_mb:>12.1f}")
    total = sum(t.inputs for t in tallies.values())
    unexpected = sum(t.unexpected for t in tallies.values())
    print(f"{'TOTAL':<17}{total:>8}{unexpected:>12}{sum(t.hangs for t in tallies.values()):>7}"
          f"{sum(t.masked for t in tallies.values()):>8}   in {elapsed:.0f} s")
    for name, t in tallies.items():
        for kind, n in t.kinds.most_common(8):
            print(f"  {name}: {n} x {kind}")
    harness = sum(t.harness_errors for t in tallies.values())
    if harness:
        print(f"harness errors (input generation, see stderr): {harness}")
    print(f"unexpected exceptions: {unexpected}")
    return 1 if unexpected or harness else 0


if __name__ == "__main__":
    raise SystemExit(main())
