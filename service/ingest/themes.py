"""Themes, SDGs and affected persons that a source attaches to a recommendation."""

from __future__ import annotations

from sqlmodel import Session

from scrapers.records import ScrapedRecommendation
from service.ingest.preload import ThemeIds
from service.models import RecommendationTheme, ThemeKind


def wanted(scraped: ScrapedRecommendation) -> list[tuple[ThemeKind, str]]:
    pairs = ([(ThemeKind.THEME, t) for t in scraped.themes] + [(ThemeKind.SDG, t) for t in scraped.sdgs]
             + [(ThemeKind.AFFECTED, t) for t in scraped.affected_persons])
    return [(kind, " ".join(name.split())[:300]) for kind, name in pairs if name.strip()]


def attach(session: Session, rec_id: int, scraped: ScrapedRecommendation, source: str, have: set[int],
           theme_ids: ThemeIds) -> bool:
    """Add the record's tags that the recommendation lacks (`have` is updated); True if any."""
    added = False
    for kind, name in wanted(scraped):
        theme_id = theme_ids.get(kind, name)
        if theme_id not in have:
            session.add(RecommendationTheme(recommendation_id=rec_id, theme_id=theme_id, source=source))
            have.add(theme_id)
            added = True
    return added
