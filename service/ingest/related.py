"""Cross-cycle links: for each recommendation, the most similar ones to the same state from
earlier cycles ("recommended three times since 2009, noted each time").

Derived data, recomputed per state after an import; rows are written only where the result
differs, so re-importing the same documents changes nothing.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

from sqlalchemy import bindparam, delete, insert, update
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
    """Recompute the links of `state`; returns how many rows were added, changed or removed.
    Plain statements, not ORM objects: a state can have thousands of links."""
    scope = select(Recommendation.id).where(Recommendation.state == state, Recommendation.mechanism == mechanism)
    recs = session.execute(select(Recommendation.id, Recommendation.cycle, Recommendation.text).where(
        Recommendation.state == state, Recommendation.mechanism == mechanism,
        Recommendation.cycle.is_not(None))).all()
    wanted = _compute(recs)
    table = RelatedRecommendation.__table__
    existing = {(r.recommendation_id, r.related_id): (r.id, r.similarity) for r in session.execute(
        select(table.c.id, table.c.recommendation_id, table.c.related_id, table.c.similarity)
        .where(table.c.recommendation_id.in_(scope)))}
    gone = [row_id for pair, (row_id, _) in existing.items() if pair not in wanted]
    moved = [{"row_id": row_id, "score": wanted[pair]} for pair, (row_id, score) in existing.items()
             if pair in wanted and abs(score - wanted[pair]) > 0.001]
    new = [{"recommendation_id": a, "related_id": b, "similarity": score}
           for (a, b), score in wanted.items() if (a, b) not in existing]
    for part in range(0, len(gone), 500):
        session.execute(delete(table).where(table.c.id.in_(gone[part:part + 500])))
    if moved:
        session.execute(update(table).where(table.c.id == bindparam("row_id")).values(similarity=bindparam("score")),
                        moved)
    if new:
        session.execute(insert(table), new)
    return len(gone) + len(moved) + len(new)


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
