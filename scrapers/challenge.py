"""Bot-wall detection on page bodies (SOURCES.md §9.2), for pages read from disk or an inbox.

`scrapers.http.is_challenge` judges a live response (status, headers, body). A parser that is
handed bytes saved earlier has only the body, and must tell a Cloudflare interstitial from a
real page that merely carries Cloudflare's page scripts: so only markers that belong to the
interstitial itself count here ("challenge-platform" alone also appears on served pages).
"""

from __future__ import annotations

import re

__all__ = ["challenge_markers"]

# Each marker is specific to the interstitial page, never to the pages it protects.
_MARKERS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    ("'Just a moment...'", re.compile(rb"Just a moment\.\.\.", re.I)),
    ("Cloudflare challenge iframe",
     re.compile(rb"Widget containing a Cloudflare security challenge", re.I)),
    ("challenge-running block", re.compile(rb"id=[\"']challenge-(?:running|form|stage)[\"']", re.I)),
    ("'Enable JavaScript and cookies to continue'",
     re.compile(rb"Enable JavaScript and cookies to continue", re.I)),
    ("challenge orchestration script", re.compile(rb"/cdn-cgi/challenge-platform/[^\"']*/orchestrate/", re.I)),
)


def challenge_markers(body: bytes) -> list[str]:
    """Names of the interstitial markers found in the first 64 kB of `body` (empty: none)."""
    head = body[:65536]
    return [name for name, pattern in _MARKERS if pattern.search(head)]
