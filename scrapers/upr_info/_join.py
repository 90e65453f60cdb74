"""UPR Info entries joined to the recommendations of the UN documents (SOURCES.md §1).

An entry joins the recommendation of the same state and cycle whose text it restates (UPR Info
gives no paragraph number), with the similarity kept as confidence; below the threshold it
becomes its own recommendation keyed by its sharedId. An entry already joined stays joined.
Stored recommendations are read through the narrow `Stored` interface.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime

from rapidfuzz import fuzz, process

from scrapers.records import (
    DocumentKind,
    ExternalId,
    Mechanism,
    ParsedDocument,
    Position,
    ScrapedDocument,
    ScrapedRecommendation,
    recommendation_key,
)
from scrapers.source import Stored
from scrapers.upr_info._records import UprInfoRecommendation
from scrapers.vocab import cycle_for_wg_session

SOURCE = "upr_info"
# Token-sort similarity on normalised text, 0–100. UPR Info restates the UN wording nearly
# verbatim; 88 tolerates punctuation, quotes and trimmed state attributions while two different
# recommendations to the same state stay well below it (tests/service/ingest/test_upr_info_join.py).
MATCH_THRESHOLD = 88.0
_NOISE = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    return " ".join(_NOISE.sub(" ", text.lower()).split())


def _cycle(entry: UprInfoRecommendation) -> int | None:
    if entry.cycle is not None:
        return entry.cycle
    return cycle_for_wg_session(entry.session_number) if entry.session_number else None


class Joiner:
    """Finds, per (state, cycle), the UN recommendation an entry restates."""

    def __init__(self, stored: Stored) -> None:
        self.stored = stored
        self._candidates: dict[tuple[str, int], list[tuple[str, str]]] = {}

    def known_key(self, shared_id: str) -> str | None:
        return self.stored.key_by_external_id(SOURCE, shared_id)

    def best(self, state: str, cycle: int, text: str) -> tuple[str, float] | None:
        pool = self._pool(state, cycle)
        if not pool:
            return None
        found = process.extractOne(normalise(text), [p[1] for p in pool], scorer=fuzz.token_sort_ratio,
                                   score_cutoff=MATCH_THRESHOLD)
        if found is None:
            return None
        _, score, index = found
        return pool[index][0], round(score / 100, 3)

    def _pool(self, state: str, cycle: int) -> list[tuple[str, str]]:
        if (state, cycle) not in self._candidates:
            rows = self.stored.numbered_texts(Mechanism.UPR.value, state, cycle)
            self._candidates[(state, cycle)] = [(k, normalise(t)) for k, t in rows]
        return self._candidates[(state, cycle)]


def resolve(stored: Stored, entries: list[UprInfoRecommendation], *, source_url: str, data: bytes,
            warnings: list[str]) -> ParsedDocument:
    """Turn entries into records keyed to the recommendations they restate."""
    joiner = Joiner(stored)
    records: list[ScrapedRecommendation] = []
    states = sorted({e.state_under_review for e in entries if e.state_under_review})
    for entry in entries:
        record = _record(joiner, entry, source_url, warnings)
        if record is not None:
            records.append(record)
    document = ScrapedDocument(
        mechanism=Mechanism.UPR, kind=DocumentKind.UPR_INFO_ENTITY, symbol=None,
        title=f"UPR Info database entries ({', '.join(states) or 'no state'})",
        state_under_review=states[0] if len(states) == 1 else None, source_url=source_url,
        content_type="application/json", sha256=hashlib.sha256(data).hexdigest(), size=len(data),
        parser="upr_info", parser_version="1")
    return ParsedDocument(document=document, recommendations=records, warnings=warnings)


def _record(joiner: Joiner, entry: UprInfoRecommendation, source_url: str,
            warnings: list[str]) -> ScrapedRecommendation | None:
    cycle = _cycle(entry)
    if entry.state_under_review is None or cycle is None:
        warnings.append(f"UPR Info {entry.shared_id}: no state under review or cycle; not imported")
        return None
    key, method, confidence = joiner.known_key(entry.shared_id), "known", None
    if key is None:
        match = joiner.best(entry.state_under_review, cycle, entry.text)
        if match is not None:
            key, method, confidence = match[0], "text", match[1]
        else:
            key = recommendation_key("upr", entry.state_under_review, cycle, f"upr-info:{entry.shared_id}")
            method = "none"
    paragraph = None if key.rsplit("/", 1)[-1].startswith("upr-info:") else key.rsplit("/", 1)[-1]
    position = entry.position or Position.PENDING
    return ScrapedRecommendation(
        key=key, mechanism=Mechanism.UPR, state=entry.state_under_review, cycle=cycle,
        paragraph=paragraph, text=entry.text, recommending_states=entry.recommending_states,
        recommending_states_raw=entry.recommending_states_raw, position=position,
        position_wording=entry.response_label or "no response recorded by UPR Info",
        effective_on=(entry.edited_at or entry.created_at or datetime.now(UTC)).date(),
        source_url=entry.url or source_url, evidence=f"UPR Info {entry.shared_id}",
        themes=entry.themes, action_category=entry.action_category,
        external_ids=[ExternalId(source=SOURCE, external_id=entry.shared_id, url=entry.url,
                                 match_method=method if method != "known" else None,
                                 match_confidence=confidence)])


def canonical_bytes(entries: list[UprInfoRecommendation]) -> bytes:
    """A stable serialisation of a harvest: the same records give the same bytes (and hash)."""
    rows = sorted((e.model_dump(mode="json", exclude={"warnings"}) for e in entries), key=lambda r: r["shared_id"])
    return json.dumps(rows, sort_keys=True, ensure_ascii=False).encode("utf-8")
