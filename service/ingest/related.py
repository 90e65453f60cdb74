"""Cross-cycle links: for each recommendation, the most similar ones to the same state from
earlier cycles ("recommended three times since 2009, noted each time").

Derived data, recomputed per state after an import; rows are written only where the result
differs, so re-importing the same documents changes nothing.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from sqlmodel import Session, select

from service.models import Recommendation, RelatedRecommendation

# Cosine similarity of TF-IDF vectors over content words, IDF taken over the state's own
# recommendations, so the boilerplate every UPR text shares ("continue its efforts to ...",
# "human rights") weighs nothing. Plain string similarity (rapidfuzz ratios) was measured on
# Azerbaijan's cycle-1 → cycle-2 reports and ranked boilerplate matches above real repeats.
# With this measure, 0.25 keeps the real repeats seen there (trafficking action plan, media
# freedoms, standing invitation, religious freedom, Rome Statute: 0.26–0.67) while about three
# in four links at or above it are the same ask re-worded; see tests/service/ingest/test_related.py.
THRESHOLD = 0.25
MAX_RELATED = 5

_STOP = frozenset("""a an the of to and or in on for with its it their by as at from that this these
those be is are was were all any into which including include particular further continue take
measures measure efforts effort ensure strengthen consider necessary appropriate steps step order
well also other such within through national state states country government human rights right
its his her they them has have been""".split())
_WORD = re.compile(r"[a-z]+")


def content_terms(text: str) -> list[str]:
    """Content words, cut to 7 letters: a crude stem that joins ratify/ratification."""
    return [w[:7] for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _STOP]


def refresh_state(session: Session, state: str, mechanism: str = "upr") -> int:
    """Recompute the links of `state`; returns how many rows were added or removed."""
    recs = session.execute(select(Recommendation.id, Recommendation.cycle, Recommendation.text).where(
        Recommendation.state == state, Recommendation.mechanism == mechanism,
        Recommendation.cycle.is_not(None))).all()
    wanted = _compute(recs)
    ids = [r.id for r in recs]
    existing = {(row.recommendation_id, row.related_id): row for row in session.execute(
        select(RelatedRecommendation).where(RelatedRecommendation.recommendation_id.in_(ids))
    ).scalars()} if ids else {}
    changes = 0
    for pair, row in existing.items():
        if pair not in wanted:
            session.delete(row)
            changes += 1
        elif abs(row.similarity - wanted[pair]) > 0.001:
            row.similarity = wanted[pair]
            session.add(row)
            changes += 1
    for pair, score in wanted.items():
        if pair not in existing:
            session.add(RelatedRecommendation(recommendation_id=pair[0], related_id=pair[1],
                                              similarity=score))
            changes += 1
    session.flush()
    return changes


def _vectors(texts: list[str]) -> list[dict[str, float]]:
    docs = [Counter(content_terms(t)) for t in texts]
    df = Counter(term for doc in docs for term in doc)
    n = len(docs)
    vectors = []
    for doc in docs:
        vec = {t: (1 + math.log(c)) * math.log(n / df[t]) for t, c in doc.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items() if v > 0})
    return vectors


def _compute(recs: list) -> dict[tuple[int, int], float]:
    """Pairs (recommendation, earlier recommendation) at or above THRESHOLD, best first."""
    if len(recs) < 2:
        return {}
    vectors = _vectors([r.text for r in recs])
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for idx, vec in enumerate(vectors):
        for term, weight in vec.items():
            postings[term].append((idx, weight))
    out: dict[tuple[int, int], float] = {}
    for idx, vec in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vec.items():
            for other, other_weight in postings[term]:
                if recs[other].cycle < recs[idx].cycle:
                    scores[other] += weight * other_weight
        best = sorted(((s, o) for o, s in scores.items() if s >= THRESHOLD), reverse=True)[:MAX_RELATED]
        for score, other in best:
            out[(recs[idx].id, recs[other].id)] = round(score, 3)
    return out
