"""Cross-cycle links: for each recommendation, the most similar ones to the same state from
earlier cycles ("recommended three times since 2009, noted each time").

Derived data, recomputed per state after an import; rows are written only where the result
differs, so re-importing the same documents changes nothing.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
from scipy import sparse
from sqlalchemy import bindparam, delete, update
from sqlmodel import Session, select

from service.ingest import bulk, statistics
from service.models import Recommendation, RelatedRecommendation

# Cosine similarity of TF-IDF vectors over content words, IDF taken over the state's own
# recommendations, so the boilerplate every review's texts share ("continue its efforts to ...",
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


def refresh_state(session: Session, state: str) -> int:
    """Recompute the links of `state` across the cycles of each periodic review (recommendations
    that carry a cycle; links never cross mechanisms); returns how many rows were added, changed
    or removed. Plain statements, not ORM objects: a state can have thousands of links."""
    statistics.refresh_if_grown(session, "related_recommendation")
    scope = select(Recommendation.id).where(Recommendation.state == state)
    recs = session.execute(select(Recommendation.id, Recommendation.mechanism, Recommendation.cycle,
                                  Recommendation.text).where(
        Recommendation.state == state, Recommendation.cycle.is_not(None))).all()
    wanted: dict[tuple[int, int], float] = {}
    for mechanism in sorted({r.mechanism for r in recs}):
        wanted.update(_compute([r for r in recs if r.mechanism == mechanism]))
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
        bulk.insert_rows(session, table, new)
    return len(gone) + len(moved) + len(new)


def _vectors(texts: list[str]) -> sparse.csr_matrix:
    """Unit-length TF-IDF rows, one per text: weight (1 + ln tf) · ln(n / df)."""
    docs = [Counter(content_terms(t)) for t in texts]
    df = Counter(term for doc in docs for term in doc)
    n = len(docs)
    vocab = {term: i for i, term in enumerate(df)}
    idf = {term: math.log(n / count) for term, count in df.items()}
    data: list[float] = []
    columns: list[int] = []
    indptr = [0]
    for doc in docs:
        for term, count in doc.items():
            weight = (1 + math.log(count)) * idf[term]
            if weight > 0:
                data.append(weight)
                columns.append(vocab[term])
        indptr.append(len(data))
    matrix = sparse.csr_matrix((np.array(data), np.array(columns, dtype=np.int64), np.array(indptr)),
                               shape=(n, len(vocab)))
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ matrix


def _compute(recs: list) -> dict[tuple[int, int], float]:
    """Pairs (recommendation, earlier recommendation) at or above THRESHOLD, best first.
    One sparse product per cycle against all earlier cycles: every pair sharing a term is scored
    at C speed, and pairs within a cycle are never computed."""
    if len(recs) < 2:
        return {}
    vectors = _vectors([r.text for r in recs])
    cycles = np.array([r.cycle for r in recs])
    ids = np.array([r.id for r in recs])
    out: dict[tuple[int, int], float] = {}
    for cycle in np.unique(cycles)[1:]:
        later, earlier = np.flatnonzero(cycles == cycle), np.flatnonzero(cycles < cycle)
        scores = (vectors[later] @ vectors[earlier].T).tocoo()
        keep = scores.data >= THRESHOLD
        row, col = later[scores.row[keep]], earlier[scores.col[keep]]
        score = np.round(scores.data[keep], 3)  # rounded first, so equal texts tie exactly
        order = np.lexsort((-col, -score, row))  # per recommendation: best first, ties by later index
        row, col, score = row[order], col[order], score[order]
        best = np.arange(len(row)) - np.searchsorted(row, row, side="left") < MAX_RELATED
        out.update(((int(a), int(b)), float(v))
                   for a, b, v in zip(ids[row[best]], ids[col[best]], score[best], strict=True))
    return out
