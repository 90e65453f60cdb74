"""Follow-up: what a later text says about the implementation of an earlier one.

"paragraph 10.1 of Resolution 2322 (2020) has not been implemented" names a recommendation, so
it becomes a ScrapedImplementation on that key; "Resolution 2322 (2020) has not been
implemented" names only the text, so it becomes a text-level `follow_up` link. Both are claims
of the Assembly for a person to confirm (`needs_confirmation`), never an automatic status.
"""

from __future__ import annotations

from scrapers.pace._header import Header
from scrapers.pace._paragraphs import Para
from scrapers.pace._refs import TextRef, assess, paragraph_refs, slug, text_refs
from scrapers.records import ScrapedImplementation, ScrapedLink, recommendation_key

__all__ = ["follow_ups"]

_CLIP = 400


def follow_ups(header: Header, paras: list[Para], iso3: str, *,
               url: str) -> tuple[list[ScrapedImplementation], list[ScrapedLink]]:
    """Assessments of earlier texts, paragraph by paragraph (lead-ins included)."""
    own = slug(header.text_type or "Resolution", header.number or 0, header.year or 0)
    implementations: list[ScrapedImplementation] = []
    links: list[ScrapedLink] = []
    for node in _nodes(paras):
        assessment = assess(node.text)
        if assessment is None:
            continue
        status, _ = assessment
        evidence = f"{header.reference} para. {node.number}"
        by_paragraph = [(ref, n) for ref, numbers in paragraph_refs(node.text) if ref.slug != own
                        for n in numbers]
        for ref, number in by_paragraph:
            implementations.append(ScrapedImplementation(
                key=recommendation_key("pace", iso3, ref.slug, number), implementation=status,
                wording=_clip(node.text), evidence=evidence, evidence_url=url,
                effective_on=header.adopted_on, source_url=url, needs_confirmation=True))
        cited = {ref for ref, _ in by_paragraph}
        for ref in _whole_texts(node.text, own, cited):
            links.append(ScrapedLink(
                key=f"pace/{iso3}/{ref.slug}", role="follow_up",
                title=f"{evidence} ({status.value.replace('_', ' ')}): {_clip(node.text)}",
                reference=header.reference, effective_on=header.adopted_on, url=url))
    return implementations, links


def _whole_texts(text: str, own: str, cited: set[TextRef]) -> list[TextRef]:
    return [ref for ref in text_refs(text) if ref.slug != own and ref not in cited]


def _nodes(paras: list[Para]) -> list[Para]:
    return [node for root in paras for node in [root, *_nodes(root.children)]]


def _clip(text: str) -> str:
    return text if len(text) <= _CLIP else text[: _CLIP - 1].rstrip() + "\u2026"
