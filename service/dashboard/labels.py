"""Words people read for the codes the data uses ("noted" stays "noted": it is UPR's own word,
explained once as "not accepted" where it matters)."""

from __future__ import annotations

from scrapers import registry

LABELS: dict[str, str] = {
    # mechanisms
    "upr": "UN Universal Periodic Review",
    "pace": "PACE (Council of Europe Parliamentary Assembly)",
    "coe_exec": "Execution of European Court judgments",
    # positions
    "pending": "Pending",
    "supported": "Supported",
    "partially_supported": "Partially supported",
    "noted": "Noted",
    # implementation
    "unknown": "Not assessed",
    "not_implemented": "Not implemented",
    "partially_implemented": "Partially implemented",
    "implemented": "Implemented",
    # statuses
    "accepted": "Accepted",
    "rejected": "Rejected (noted)",
    # run outcomes
    "running": "Running",
    "ok": "OK",
    "partial": "Partial",
    "failed": "Failed",
    "blocked": "Blocked",
    "skipped": "Skipped: nothing to do",
    # theme kinds
    "theme": "Themes",
    "sdg": "Sustainable Development Goals",
    "affected": "Affected persons",
    # the demo's documents (other document kinds are labelled by their sources: scrapers/registry.py)
    "sample": "Fictional sample",
    # timeline documents
    "action_plan": "Action plan", "action_report": "Action report", "cm_decision": "CM decision",
    "cm_reply": "Reply of the Committee of Ministers", "final_resolution": "Final resolution",
    "interim_resolution": "Interim resolution", "follow_up": "Follow-up text", "related": "Related text",
    # execution supervision (HUDOC-EXEC)
    "enhanced": "Enhanced", "standard": "Standard", "awaiting_classification": "Awaiting classification",
    # delivery statuses
    "succeeded": "Succeeded",
}

SHORT: dict[str, str] = {"upr": "UPR", "pace": "PACE", "coe_exec": "CoE execution"}


def label(value: str | None, short: bool = False) -> str:
    """The readable word for a code (document kinds as their sources name them, read from the
    registry at call time); unknown codes are shown as they are, tidied."""
    if value is None:
        return "—"
    if short and value in SHORT:
        return SHORT[value]
    if value in LABELS:
        return LABELS[value]
    return registry.labels().get(value) or value.replace("_", " ").capitalize()


def source_label(key: str) -> str | None:
    """What a registered source reads ("UPR Info database (Uwazi JSON API)"); None for others."""
    source = registry.get(key)
    return source.description if source is not None else None


def status_class(value: str | None) -> str:
    """The CSS class of a status or position badge (colours are in dashboard.css)."""
    return {
        "implemented": "st-impl", "partially_implemented": "st-partimpl",
        "accepted": "st-acc", "supported": "st-acc", "partially_supported": "st-acc",
        "rejected": "st-rej", "noted": "st-rej", "not_implemented": "st-rej",
        "failed": "st-rej", "blocked": "st-rej", "ok": "st-acc", "succeeded": "st-acc",
        "partial": "st-pend",
    }.get(value or "", "st-pend")
