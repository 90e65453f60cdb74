"""All tables, re-exported so Alembic's metadata sees every one of them."""

from sqlmodel import SQLModel

from service.models.core import Document, Review, State
from service.models.history import Axis, ChangeEvent, RunOutcome, ScrapeRun, StatusEvent
from service.models.recommendation import ExternalRef, Recommendation, RecommendingState

metadata = SQLModel.metadata

__all__ = [
    "Axis",
    "ChangeEvent",
    "Document",
    "ExternalRef",
    "Recommendation",
    "RecommendingState",
    "Review",
    "RunOutcome",
    "ScrapeRun",
    "State",
    "StatusEvent",
    "metadata",
]
