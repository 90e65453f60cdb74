"""Themes, SDGs and affected persons that a source attaches to a recommendation."""

from __future__ import annotations

from sqlmodel import Session, select

from scrapers.records import ScrapedRecommendation
from service.models import Recommendation, RecommendationTheme, Theme, ThemeKind


def _theme_id(session: Session, kind: ThemeKind, name: str, cache: dict[tuple[str, str], int]) -> int:
    key = (kind.value, name)
    if key in cache:
        return cache[key]
    theme = session.execute(select(Theme).where(Theme.kind == kind, Theme.name == name)).scalar_one_or_none()
    if theme is None:
        theme = Theme(kind=kind, name=name)
        session.add(theme)
        session.flush()
    cache[key] = theme.id
    return theme.id


def attach(session: Session, rec: Recommendation, scraped: ScrapedRecommendation, source: str) -> bool:
    """Add the record's tags that the recommendation lacks; returns True when any was added."""
    wanted = ([(ThemeKind.THEME, t) for t in scraped.themes]
              + [(ThemeKind.SDG, t) for t in scraped.sdgs]
              + [(ThemeKind.AFFECTED, t) for t in scraped.affected_persons])
    if not wanted:
        return False
    cache: dict[tuple[str, str], int] = {}
    have = set(session.execute(select(RecommendationTheme.theme_id).where(
        RecommendationTheme.recommendation_id == rec.id)).scalars().all())
    added = False
    for kind, name in wanted:
        name = " ".join(name.split())[:300]
        if not name:
            continue
        theme_id = _theme_id(session, kind, name, cache)
        if theme_id not in have:
            session.add(RecommendationTheme(recommendation_id=rec.id, theme_id=theme_id, source=source))
            have.add(theme_id)
            added = True
    if added:
        session.flush()
    return added
