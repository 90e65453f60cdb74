"""Is this PACE page the whole text? An adopted text that is cut short must be refused.

A truncated download, a partly loaded page saved by a browser or a page whose layout changed
can still carry a perfect header: parsed as usual it would import the paragraphs before the cut,
or none at all, and the run would say "ok". Three signs, none of which needs the unverified
markup (SOURCES.md §6.2, §9.4):

- the HTML ends without its closing ``</body>``/``</html>`` tags (a cut download);
- the last numbered paragraph does not end a sentence: it stops mid-way, on ``;`` (a series of
  sub-paragraphs cut short) or on ``:`` (a lead-in whose sub-paragraphs never came);
- a Resolution or Recommendation without a single call to act: every adopted one asks somebody
  to do something, so none found means the operative part is missing or no longer recognised.
"""

from __future__ import annotations

import re

from scrapers.errors import LayoutChanged
from scrapers.pace._paragraphs import Para

__all__ = ["CALLING_TYPES", "check_closed", "check_last_paragraph", "no_operative_paragraph"]

# Text types whose adopted versions always call on somebody (the Assembly's own wording:
# "calls on", "urges", "invites", "recommends that the Committee of Ministers" ...). Opinions
# answer a question put to the Assembly and may hold no call: they are not refused for it.
CALLING_TYPES = frozenset({"Resolution", "Recommendation"})
_CLOSING = re.compile(rb"</\s*(?:html|body)\s*>", re.IGNORECASE)
# A sentence end and closing quotes or brackets, maybe with a footnote marker ("1", "[2]", "*")
# after it; not "to: 10.1" (a lone sub-paragraph number left at the cut), hence no digit before.
_CLOSERS = "[\"'\u201d\u2019\u00bb)\\]]*"
_SENTENCE_END = re.compile(
    rf"(?:[.!?\u2026]{_CLOSERS}|(?<![\d.])[.!?\u2026]{_CLOSERS}\s?"
    r"(?:\[\d{1,3}\]|\(\d{1,3}\)|\d{1,3}|\*{1,3}))$"
)


def check_closed(html: bytes, reference: str, *, url: str) -> None:
    """LayoutChanged when the HTML never closes its body: the bytes were cut in transit or on
    disk. Browsers and servers always write the closing tags of a complete page."""
    if not _CLOSING.search(html):
        raise LayoutChanged(
            f"PACE {reference}: the page ends without its closing </body> and </html> tags "
            f"after {len(html)} bytes — the download or the saved file is truncated",
            url=url,
        )


def check_last_paragraph(paras: list[Para], reference: str, *, url: str) -> None:
    """LayoutChanged when the text's last paragraph does not end a sentence."""
    if not paras:
        return
    last = paras[-1]
    while last.children:
        last = last.children[-1]
    text = last.text.rstrip()
    if _SENTENCE_END.search(text):
        return
    tail = text[-60:]
    if text.endswith(":"):
        problem = (f"the text ends on paragraph {last.number} ('…{tail}'), whose sub-paragraphs "
                   "never come")
    elif text.endswith(";"):
        problem = (f"the text ends on paragraph {last.number} ('…{tail}'), in the middle of a "
                   "series of paragraphs")
    else:
        problem = f"the text ends in the middle of paragraph {last.number} ('…{tail}')"
    raise LayoutChanged(f"PACE {reference}: {problem} — the page is truncated or its layout "
                        "changed", url=url)


def no_operative_paragraph(reference: str, *, url: str) -> LayoutChanged:
    """The error for an adopted Resolution or Recommendation in which nobody is called on."""
    return LayoutChanged(
        f"PACE {reference}: no operative paragraph found (no paragraph in which the Assembly "
        "calls on, urges, invites or recommends anything to anybody) — the page may be truncated "
        "or its layout changed",
        url=url,
    )
