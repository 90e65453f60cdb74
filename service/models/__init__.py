"""All tables, re-exported so Alembic's metadata sees every one of them."""

from sqlmodel import SQLModel

from service.models.access import ROLE_RANK, ApiKey, Role
from service.models.core import Document, Review, State
from service.models.enrichment import (
    PositionConflict,
    RecommendationTheme,
    RelatedRecommendation,
    Theme,
    ThemeKind,
)
from service.models.history import Axis, ChangeEvent, RunOutcome, ScrapeRun, StatusEvent
from service.models.operations import AuditEntry, HttpCacheEntry, WatchedState
from service.models.recommendation import ExternalRef, Recommendation, RecommendingState
from service.models.timeline import EvidenceStatus, ImplementationEvidence, RecommendationLink
from service.models.webhooks import (
    DeliveryStatus,
    OutboxCursor,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

metadata = SQLModel.metadata

__all__ = [
    "AuditEntry",
    "DeliveryStatus",
    "EvidenceStatus",
    "HttpCacheEntry",
    "ImplementationEvidence",
    "OutboxCursor",
    "RecommendationLink",
    "WatchedState",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscription",
    "ROLE_RANK",
    "ApiKey",
    "PositionConflict",
    "RecommendationTheme",
    "RelatedRecommendation",
    "Role",
    "Theme",
    "ThemeKind",
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
