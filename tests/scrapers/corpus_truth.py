"""Ground truth of ../shared/corpus for the WG report parser tests: loading and scoring.

How a truth file is read and scored (wildcard paragraphs, excused uncoded attributions) is
explained in test_upr_reports_corpus.py. ``shifted`` renumbers a truth like a report into which a
paragraph was inserted, so edited real reports are still measured against the coders' truth.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from scrapers.countries import to_iso3
from scrapers.records import ParsedDocument

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
REPORTS = (
    sorted(p.name.removesuffix(".truth.csv") for p in CORPUS.glob("*.truth.csv"))
    if CORPUS.is_dir()
    else []
)
THRESHOLD = 0.98

Triple = tuple[str, str, str]
_PRINTED_GROUP = re.compile(r"\(([^()]*)")


@dataclass
class Truth:
    exact: set[Triple] = field(default_factory=set)
    wildcard: set[Triple] = field(default_factory=set)  # paragraph without item number
    # paragraph -> States printed in brackets in the coders' verbatim text of that paragraph
    printed: dict[str, set[str]] = field(default_factory=dict)
    positions: dict[str, set[str]] = field(default_factory=dict)
    reviewed: set[str] = field(default_factory=set)  # State under review, when coded


@dataclass
class Score:
    predicted: int
    truth: int
    matched: int
    excused: list[Triple]
    false_pos: list[Triple]
    false_neg: list[Triple]

    @property
    def precision(self) -> float:
        return (self.matched + len(self.excused)) / max(1, self.predicted)

    @property
    def raw_precision(self) -> float:
        return self.matched / max(1, self.predicted)

    @property
    def recall(self) -> float:
        return self.matched / max(1, self.truth)


def iso3(name: str) -> str:
    return to_iso3(name) or name.strip()


def printed_states(verbatim: str) -> set[str]:
    """States printed in brackets in a coder's verbatim item text (independent of the parser)."""
    found: set[str] = set()
    for group in _PRINTED_GROUP.findall(verbatim):
        for part in re.split(r"[,;]", group):
            code = to_iso3(part.strip(" .")) if part.strip() else None
            if code:
                found.add(code)
    return found


def load_truth(name: str) -> Truth:
    truth = Truth()
    with (CORPUS / f"{name}.truth.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            paragraph, position = row["paragraph"].strip(), row["position"].strip()
            triple = (paragraph, iso3(row["recommending_state_un"]), position)
            (truth.exact if "." in paragraph else truth.wildcard).add(triple)
            verbatim = row.get("orig_text") or row.get("orig_recommendation_cell") or ""
            truth.printed.setdefault(paragraph, set()).update(printed_states(verbatim))
            truth.positions.setdefault(paragraph, set()).add(position)
            if row.get("orig_to"):
                truth.reviewed.add(iso3(row["orig_to"].strip().title()))
    return truth


def score(predicted: set[Triple], truth: Truth) -> Score:
    matched = predicted & truth.exact
    unmatched = predicted - truth.exact
    false_neg = sorted(truth.exact - predicted)
    wildcard_hits = 0
    for paragraph, state, position in sorted(truth.wildcard):
        hit = next(
            (
                t
                for t in sorted(unmatched)
                if t[0].split(".")[0] == paragraph and t[1:] == (state, position)
            ),
            None,
        )
        if hit is None:
            false_neg.append((paragraph, state, position))
        else:
            unmatched.discard(hit)
            wildcard_hits += 1
    excused = sorted(
        t
        for t in unmatched
        if t[1] in truth.printed.get(t[0], set()) and t[2] in truth.positions.get(t[0], set())
    )
    return Score(
        predicted=len(predicted),
        truth=len(truth.exact) + len(truth.wildcard),
        matched=len(matched) + wildcard_hits,
        excused=excused,
        false_pos=sorted(unmatched - set(excused)),
        false_neg=false_neg,
    )


def triples(parsed: ParsedDocument) -> set[Triple]:
    """(paragraph, recommending State, position) of every record, one per State."""
    return {
        (rec.paragraph or "", state, rec.position.value)
        for rec in parsed.recommendations
        for state in rec.recommending_states
    }


def list_paragraphs(truth: Truth) -> list[int]:
    """Lead-in paragraphs of the truth's items, in order (109 for 109.3)."""
    return sorted({int(t[0].split(".")[0]) for t in truth.exact | truth.wildcard})


def shifted(truth: Truth, start: int, by: int = 1) -> Truth:
    """The truth of the same report with paragraphs ``start`` and later renumbered by ``by``."""

    def move(paragraph: str) -> str:
        head, dot, rest = paragraph.partition(".")
        return f"{int(head) + by}{dot}{rest}" if int(head) >= start else paragraph

    def moved(triples_: set[Triple]) -> set[Triple]:
        return {(move(p), s, pos) for p, s, pos in triples_}

    return replace(
        truth,
        exact=moved(truth.exact),
        wildcard=moved(truth.wildcard),
        printed={move(k): v for k, v in truth.printed.items()},
        positions={move(k): v for k, v in truth.positions.items()},
    )
