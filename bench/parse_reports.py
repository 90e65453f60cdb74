"""Benchmark: parsing the corpus WG reports vs. PDFium text extraction alone, in one run.

    python bench/parse_reports.py [--corpus ../shared/corpus] [--repeat 5] [--check]

Timing: both phases run on the same files, interleaved, ``--repeat`` times; the median of each is
reported, so cache warm-up and noise hit both alike. Memory: a separate pass under tracemalloc
(peak of Python allocations; PDFium's own C heap is invisible to it, and it is the same in both
phases) plus the process's max RSS. ``--check`` exits 1 when the time ratio exceeds the target.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from scrapers.text import pdf_pages
from scrapers.upr_reports import parse_wg_report

TARGET_RATIO = 1.5


def corpus_reports(corpus: Path) -> list[tuple[str, bytes]]:
    """The WG report PDFs of the corpus: every PDF that has a truth file."""
    names = sorted(p.name.removesuffix(".truth.csv") for p in corpus.glob("*.truth.csv"))
    return [
        (name, (corpus / f"{name}.pdf").read_bytes())
        for name in names
        if (corpus / f"{name}.pdf").exists()
    ]


def extract_all(files: list[tuple[str, bytes]]) -> int:
    return sum(len(pdf_pages(data)) for _, data in files)


def parse_all(files: list[tuple[str, bytes]]) -> int:
    return sum(
        len(parse_wg_report(data, source_url=f"file://{name}.pdf").recommendations)
        for name, data in files
    )


def timed(run: Callable[[], int]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def peak_bytes(run: Callable[[], int]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check", action="store_true", help=f"exit 1 if ratio > {TARGET_RATIO}")
    args = parser.parse_args()
    files = corpus_reports(args.corpus)
    if not files:
        print(f"no WG reports with truth files in {args.corpus}", file=sys.stderr)
        return 2
    pages, items = extract_all(files), parse_all(files)  # warm-up, and the workload size
    extract_times, parse_times = [], []
    for _ in range(args.repeat):
        extract_times.append(timed(lambda: extract_all(files)))
        parse_times.append(timed(lambda: parse_all(files)))
    extract_s, parse_s = statistics.median(extract_times), statistics.median(parse_times)
    extract_mem, parse_mem = (
        peak_bytes(lambda: extract_all(files)),
        peak_bytes(lambda: parse_all(files)),
    )
    ratio = parse_s / extract_s
    size = sum(len(data) for _, data in files)
    print(f"{len(files)} reports, {size / 1e6:.1f} MB, {pages} pages, {items} recommendations")
    print(f"{'phase':<24}{'median s':>10}{'per report ms':>16}{'peak MiB (py)':>16}")
    for label, seconds, peak in (
        ("pypdfium2 extraction", extract_s, extract_mem),
        ("parse_wg_report", parse_s, parse_mem),
    ):
        per_report = seconds / len(files) * 1e3
        print(f"{label:<24}{seconds:>10.3f}{per_report:>16.1f}{peak / 2**20:>16.2f}")
    print(f"time ratio parse/extract = {ratio:.2f} (target <= {TARGET_RATIO})")
    print(f"memory ratio parse/extract = {parse_mem / max(1, extract_mem):.2f}")
    print(f"process max RSS = {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 1 if args.check and ratio > TARGET_RATIO else 0


if __name__ == "__main__":
    raise SystemExit(main())
