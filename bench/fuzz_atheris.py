"""Coverage-guided fuzzing of one parser with atheris (optional: ``pip install atheris``).

    python bench/fuzz_atheris.py TARGET [libFuzzer flags, e.g. -runs=200000 -max_total_time=300]

TARGET is a name of ``tests.fuzz.targets.TARGETS`` (``pace``, ``wg_report_text``...). The
valid seeds of ``tests.fuzz`` are written to ``artifacts/atheris/TARGET/`` and used as the
starting corpus. The property is the one of the pytest suite: only ScrapeError subclasses may
escape; anything else is a crash that libFuzzer saves (``crash-*`` files) for replay. Time is
bounded by libFuzzer's ``-timeout`` (5 s unless given), not by SIGALRM, which libFuzzer owns.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import atheris

with atheris.instrument_imports(include=["scrapers"]):
    from scrapers.errors import ScrapeError
    from tests.fuzz import seeds
    from tests.fuzz.targets import TARGETS, Target


def decode(target: Target, data: bytes) -> Any:
    """The fuzzer's bytes as the target's input kind; None when they cannot be one."""
    if target.kind == "bytes":
        return data
    text = data.decode("utf-8", "replace")
    if target.kind == "text":
        return text
    if target.kind == "pages":
        return text.split("\f")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def seed_files(name: str) -> list[bytes]:
    """Valid inputs of a target, as bytes (texts UTF-8, JSON encoded)."""
    by_kind: dict[str, list[bytes]] = {
        "text": [t.encode() for t in seeds.text_seeds("upr_reports") + seeds.text_seeds("upr_addendum")],
        "pages": [t.encode() for t in seeds.text_seeds("upr_reports")],
    }
    if name in by_kind:
        return by_kind[name]
    if name in ("upr_info_export", "upr_info_entity"):
        return [json.dumps(v).encode() for v in seeds.json_seeds("upr_info")]
    if name in ("coe_exec", "coe_exec_json"):
        return [json.dumps(v).encode() for v in seeds.json_seeds("coe_exec")]
    if name == "pace":
        return list(seeds.html_seeds())
    if name == "thematic_list":
        return list(seeds.docx_seeds())
    return list(seeds.pdf_seeds()) + list(seeds.corpus_pdfs())


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: fuzz_atheris.py TARGET [libFuzzer flags]; targets: {sorted(TARGETS)}")
    target = TARGETS[sys.argv[1]]
    corpus = REPO / "artifacts" / "atheris" / target.name
    corpus.mkdir(parents=True, exist_ok=True)
    for index, blob in enumerate(seed_files(target.name)):
        (corpus / f"seed-{index}").write_bytes(blob)
    args = [sys.argv[0], *sys.argv[2:], str(corpus)]
    if not any(a.startswith("-timeout=") for a in args):
        args.insert(1, "-timeout=5")

    def test_one_input(data: bytes) -> None:
        payload = decode(target, data)
        if payload is None:
            return
        try:
            target.call(payload)
        except ScrapeError:
            pass  # the contract: any other exception escapes and is a crash

    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
