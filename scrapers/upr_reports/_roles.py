"""What each numbered paragraph of the conclusions contributes, and under which position.

Never all-or-nothing: a paragraph that cannot be read costs only its own items. It is reported
as a *problem* (its number and first words), which makes the import partial, and reading goes on.
Paragraphs are judged by their wording (``scrapers.vocab.read_paragraph``) and then checked
against their shape: a list whose items name no recommending States is not a list of
recommendations, whatever its lead-in says, and a paragraph that ends with an attribution to
States is a recommendation even where a lead-in was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapers.errors import LayoutChanged
from scrapers.records import Position, ScrapedRecommendation
from scrapers.upr_reports._blocks import Block, in_order
from scrapers.upr_reports._identity import Meta
from scrapers.upr_reports._records import (
    inline_record,
    is_recommendation,
    item_record,
    paragraph_record,
)
from scrapers.upr_reports._states import attribute
from scrapers.vocab import Role, classify_lead_in, read_paragraph

MIN_ATTRIBUTED_SHARE = 0.5  # real lists attribute (nearly) every item; comments attribute none
FIRST_WORDS = 12
_LIST_END = re.compile(r":\s*$")
# An itemless paragraph that speaks of recommendations or ends with a State attribution in
# brackets may hide one; anything else (thanks, closing remarks) cannot.
_MENTIONS_RECOMMENDATIONS = re.compile(r"(?i:recommendation)|\(\s*[A-Z][^()]*\)\s*[.;]?\s*$")
_LEAD_IN_AFTER_ITEM = re.compile(r"\)\s*[.;]\s+(?=[A-Z])")

Ordered = list[tuple[Block, Block | None]]


def read_conclusions(
    blocks: list[Block], meta: Meta, url: str, warnings: list[str], problems: list[str]
) -> list[ScrapedRecommendation]:
    """Records of every paragraph that can be attributed; problems for those that cannot."""
    ordered = in_order(blocks)
    _recover_lead_ins(ordered, warnings)
    reader = _Reader(meta, url, warnings, problems)
    for index, (block, _) in enumerate(ordered):
        if block.items:
            reader.list_block(block, ordered[index + 1 :])
        else:
            reader.itemless(block)
    return reader.records


@dataclass(slots=True)
class _Reader:
    meta: Meta
    url: str
    warnings: list[str]
    problems: list[str]
    records: list[ScrapedRecommendation] = field(default_factory=list)
    # the position of the last list read, with its wording and paragraph: it governs a
    # recommendation printed as a paragraph after (or inside) that list
    governing: tuple[Position, str, int] | None = None
    borrowed: set[int] = field(default_factory=set)

    def list_block(self, block: Block, rest: Ordered) -> None:
        """A paragraph with numbered items under it."""
        self.governing = None
        reading = read_paragraph(block.lead_in)
        if reading.role is Role.NOT_RECOMMENDATIONS:
            self._other_list(block, reading.what)
            return
        stated = self._list_position(block, reading.role, reading.position, reading.wording, rest)
        if stated is None:
            return
        position, wording = stated
        notes: list[str] = []
        records = [
            item_record(
                item, item is block.items[-1], position, wording, self.meta, self.url, notes
            )
            for item in block.items
        ]
        attributed = sum(1 for record in records if record.recommending_states)
        if len(records) >= 2 and attributed < len(records) * MIN_ATTRIBUTED_SHARE:
            self._problem(
                block,
                f"{len(records) - attributed} of its {len(records)} items name no recommending "
                "State, so they are not read as recommendations (comments? explanations?)",
            )
            return
        self.warnings.extend(notes)
        self.records.extend(records)
        self.governing = (position, wording, block.number)

    def _list_position(
        self,
        block: Block,
        role: Role,
        position: Position | None,
        wording: str,
        rest: Ordered,
    ) -> tuple[Position, str] | None:
        if role is Role.POSITION and position is not None:
            return position, wording
        if role in (Role.NEUTRAL, Role.INTRODUCTION):
            deferred = _deferred_position(rest)
            if deferred is not None:
                stated, source = deferred
                self.borrowed.add(source)
                self.warnings.append(f"para {block.number}: position taken from para {source}")
                return stated
            if role is Role.NEUTRAL:
                self.warnings.append(f"para {block.number} states no position: read as pending")
                return Position.PENDING, wording
        why = (
            f"items {block.number}.1 ff. are printed without a lead-in paragraph"
            if not block.lead_lines
            else "its lead-in states no position the parser knows"
        )
        self._problem(block, f"{why}; its {len(block.items)} items were not imported")
        return None

    def _other_list(self, block: Block, what: str) -> None:
        """Comments, commitments or explanations listed under a paragraph: never items, but
        reported as a problem when the items carry attributions like recommendations do."""
        count = len(block.items)
        attributed = sum(1 for item in block.items if attribute(" ".join(item.lines)).states)
        if attributed and attributed >= count * MIN_ATTRIBUTED_SHARE:
            self._problem(
                block,
                f"it introduces {what}, yet {attributed} of its {count} items name recommending "
                "States; not imported",
            )
        else:
            self.warnings.append(
                f"para {block.number} lists {what}, not recommendations: {count} items skipped"
            )

    def itemless(self, block: Block) -> None:
        """A paragraph without items: a recommendation itself, a statement, or a problem."""
        if block.number in self.borrowed:
            return
        inline = inline_record(block, self.meta, self.url, self.warnings)
        if inline is not None:
            self.records.append(inline)
            return
        reading = read_paragraph(block.lead_in)
        explanation = reading.role is Role.NOT_RECOMMENDATIONS and reading.what == "explanations"
        if not explanation and is_recommendation(block.lead_in):
            self._recommendation_paragraph(block)
            return
        # only a list's own paragraphs (and recommendations printed next to it) are governed by it
        self.governing = None
        if reading.role is Role.POSITION and _LIST_END.search(block.lead_in):
            self._problem(block, f"it announces '{reading.position}' items but none follow")
        elif reading.role is Role.POSITION:
            self.warnings.append(
                f"para {block.number} states '{reading.position}' but lists no items: "
                f"{block.lead_in[:120]!r}"
            )
        elif reading.role is Role.NEUTRAL:
            self._problem(block, "it announces recommendations but no numbered items follow")
        elif reading.role is Role.UNKNOWN and _MENTIONS_RECOMMENDATIONS.search(block.lead_in):
            self._problem(block, "paragraph about recommendations not understood")
        elif reading.role is Role.UNKNOWN:
            # Thanks, closing remarks: nothing a recommendation could hide in; the import is whole.
            self.warnings.append(f"para {block.number} not read (no recommendation in it): "
                                 f"{block.lead_in[:80]!r}")

    def _recommendation_paragraph(self, block: Block) -> None:
        """A numbered paragraph that is itself a recommendation, where a lead-in was expected:
        the lead-in of the list it follows (or interrupts) governs it."""
        if self.governing is None:
            self._problem(
                block,
                "it reads as a recommendation, but no lead-in before it states "
                "a position; not imported",
            )
            return
        position, wording, source = self.governing
        self.warnings.append(
            f"para {block.number} is a recommendation printed as a paragraph: "
            f"read under the lead-in of para {source}"
        )
        self.records.append(
            paragraph_record(
                block.number, block.lead_in, position, wording, self.meta, self.url, self.warnings
            )
        )

    def _problem(self, block: Block, why: str) -> None:
        text = block.lead_in or (" ".join(block.items[0].lines) if block.items else "")
        words = " ".join(text.split()[:FIRST_WORDS])
        self.problems.append(f"para {block.number}: {why}; it begins {words!r}")


def _deferred_position(rest: Ordered) -> tuple[tuple[Position, str], int] | None:
    """Position stated by the item-less paragraphs that follow a neutral list, if any. A
    paragraph reporting what the State said counts only when it defers ("The response of X ...
    will be included in the outcome report"): its other position words ("the public had
    rejected ...") are about something else."""
    for block, _ in rest:
        if block.items:
            return None
        if "recommendation" not in block.lead_in.lower():
            continue
        reading = read_paragraph(block.lead_in)
        if reading.role is Role.POSITION and reading.position is not None:
            return (reading.position, reading.wording), block.number
        if reading.role is Role.NOT_RECOMMENDATIONS:
            try:
                stated = classify_lead_in(block.lead_in)
            except LayoutChanged:
                continue
            if stated[0] is Position.PENDING:
                return stated, block.number
    return None


def _recover_lead_ins(ordered: Ordered, warnings: list[str]) -> None:
    """A list whose lead-in paragraph number was not printed: its lead-in sentence was read as
    the end of the item before ("...(Chile). The following recommendations will be examined by
    X:"). Move that sentence back when it states a position."""
    previous: Block | None = None
    for block, _ in ordered:
        if block.items and not block.lead_lines and previous is not None:
            item = previous.items[-1]
            text = " ".join(item.lines)
            for boundary in reversed(list(_LEAD_IN_AFTER_ITEM.finditer(text))):
                tail = text[boundary.end() :]
                reading = read_paragraph(tail)
                if reading.role in (Role.POSITION, Role.NEUTRAL) and "recommendation" in tail:
                    item.lines = [text[: boundary.end()].rstrip()]
                    block.lead_lines = [tail]
                    warnings.append(
                        f"lead-in of para {block.number} found at the end of item "
                        f"{item.paragraph} (its paragraph number is missing)"
                    )
                    break
        if block.items:
            previous = block
