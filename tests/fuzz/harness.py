"""Fuzzing harness shared by the pytest fuzz suite and ``bench/fuzz_parsers.py``.

The property every parser must keep: for any input it returns, or raises a ``ScrapeError``
subclass; it never raises anything else, never runs longer than a hard time limit and never
grows the process's peak memory by more than a bound. ``guarded_call`` runs one input under
those limits and says what happened; ``assert_contract`` turns a breach into a test failure.

Memory is the growth of the peak RSS (a high-water mark): an input is charged only for growth
beyond the highest peak so far, so the bound catches blow-ups, not small leaks; the bomb tests
measure Python allocations exactly with tracemalloc.

Profiles (``RECWATCH_FUZZ_PROFILE``): ``ci`` (default, small, the CI budget) and ``long``.
They are Hypothesis ``settings`` objects applied per test, never loaded as the global default,
so other Hypothesis tests in the same session keep their own settings.
"""

from __future__ import annotations

import os
import resource
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, Phase, settings

from scrapers.errors import ScrapeError

__all__ = [
    "HARD_LIMIT_SECONDS",
    "MEMORY_LIMIT_MB",
    "Outcome",
    "ParserTimeout",
    "assert_contract",
    "fuzz_settings",
    "guarded_call",
    "hard_time_limit",
    "profile_name",
]

HARD_LIMIT_SECONDS = 5.0  # one input, one parser: anything slower is a hang
MEMORY_LIMIT_MB = 512  # growth of the peak RSS caused by one input
_BASE_EXAMPLES = {"ci": 60, "long": 1500}
_DEADLINE = {"ci": timedelta(seconds=3), "long": timedelta(seconds=3)}
_SUPPRESSED = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
               HealthCheck.large_base_example]


def profile_name() -> str:
    """The fuzz profile chosen by ``RECWATCH_FUZZ_PROFILE`` (``ci`` when unset)."""
    name = os.environ.get("RECWATCH_FUZZ_PROFILE", "ci").strip().lower() or "ci"
    if name not in _BASE_EXAMPLES:
        raise ValueError(f"RECWATCH_FUZZ_PROFILE={name!r}: use one of {sorted(_BASE_EXAMPLES)}")
    return name


for _name, _count in _BASE_EXAMPLES.items():
    settings.register_profile(
        f"recwatch-fuzz-{_name}", max_examples=_count, deadline=_DEADLINE[_name],
        suppress_health_check=_SUPPRESSED, print_blob=True,
        phases=[p for p in Phase if p is not Phase.explain],  # coverage tracing: minutes
    )


def fuzz_settings(weight: float = 1.0, **overrides: Any) -> settings:
    """Settings of the active profile, ``max_examples`` scaled by ``weight`` (cost of a target)."""
    parent = settings.get_profile(f"recwatch-fuzz-{profile_name()}")
    examples = max(5, round(parent.max_examples * weight))
    return settings(parent, max_examples=examples, **overrides)


class ParserTimeout(BaseException):
    """Raised by the alarm. A BaseException, so a parser's ``except Exception`` cannot hide it."""


@contextmanager
def hard_time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block with ParserTimeout after ``seconds`` (main thread, POSIX only).

    The signal is delivered between Python bytecodes and inside the regex engine's loop, so a
    runaway regex or Python loop is stopped; a call stuck in C code (PDFium) is only reported
    when it returns, which the Hypothesis deadline also catches.
    """

    def _alarm(signum: int, frame: Any) -> None:
        raise ParserTimeout(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@dataclass(frozen=True)
class Outcome:
    """What one guarded call did: its error (if any), how long it took, peak memory growth."""

    error: BaseException | None
    seconds: float
    memory_mb: float
    trace: str = ""

    @property
    def timed_out(self) -> bool:
        return isinstance(self.error, ParserTimeout)

    @property
    def expected(self) -> bool:
        """True when the call kept the contract (returned or raised a ScrapeError)."""
        return (self.error is None or isinstance(self.error, ScrapeError)) and \
            self.memory_mb <= MEMORY_LIMIT_MB

    def describe(self) -> str:
        if self.timed_out:
            return f"hang: {self.error}"
        if self.memory_mb > MEMORY_LIMIT_MB:
            return f"peak memory grew by {self.memory_mb:.0f} MB (limit {MEMORY_LIMIT_MB})"
        if self.error is not None and not isinstance(self.error, ScrapeError):
            return f"unexpected {type(self.error).__name__}: {self.error}"[:2000]
        return "ok"


def guarded_call(fn: Callable[..., Any], *args: Any, limit: float = HARD_LIMIT_SECONDS,
                 **kwargs: Any) -> Outcome:
    """Run ``fn(*args, **kwargs)`` under the hard time limit; never raises (but Ctrl-C)."""
    before = _peak_rss_mb()
    started = time.perf_counter()
    error: BaseException | None = None
    trace = ""
    try:
        with hard_time_limit(limit):
            fn(*args, **kwargs)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - classifying every escape is the point
        error = exc
        if not isinstance(exc, ScrapeError):
            trace = "".join(traceback.format_exception(exc, limit=-8))
    return Outcome(error, time.perf_counter() - started, _peak_rss_mb() - before, trace)


def assert_contract(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Outcome:
    """Fail the test unless ``fn`` kept the parser contract for this input."""
    outcome = guarded_call(fn, *args, **kwargs)
    assert outcome.expected and not outcome.timed_out, f"{outcome.describe()}\n{outcome.trace}"
    return outcome
