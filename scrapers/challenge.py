"""Bot-wall detection on page bodies (SOURCES.md §9.2).

Used on live responses (`scrapers.http.is_challenge`) and by parsers handed bytes saved
earlier, which have only the body. Either way a Cloudflare interstitial must be told from a real
page that merely carries Cloudflare's page scripts, so only markers that belong to the
interstitial itself count ("challenge-platform" alone also appears on pages served normally).
"""

from __future__ import annotations

import re

__all__ = ["challenge_markers"]

# Each marker is specific to the interstitial page, never to the pages it protects.
_MARKERS: tuple[tuple[str, re.Pattern[bytes]], ...] = (
    # in the <title> only: "Just a moment..." as loading text on a real page is not a wall
    ("title 'Just a moment...'",
     re.compile(rb"<title>\s*Just a moment\.\.\.\s*</title>", re.IGNORECASE)),
    ("Cloudflare challenge iframe",
     re.compile(rb"Widget containing a Cloudflare security challenge", re.IGNORECASE)),
    ("challenge-running block",
     re.compile(rb"id=[\"']challenge-(?:running|form|stage)[\"']", re.IGNORECASE)),
    ("'Enable JavaScript and cookies to continue'",
     re.compile(rb"Enable JavaScript and cookies to continue", re.IGNORECASE)),
    ("challenge orchestration script",
     re.compile(rb"/cdn-cgi/challenge-platform/[^\"']*/orchestrate/", re.IGNORECASE)),
)


def challenge_markers(body: bytes) -> list[str]:
    """Names of the interstitial markers found in the first 64 kB of `body` (empty: none)."""
    head = body[:65536]
    return [name for name, pattern in _MARKERS if pattern.search(head)]
