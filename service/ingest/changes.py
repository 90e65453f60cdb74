"""Pure diff between a stored recommendation and a scraped one: what changed, nothing written."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapers.records import text_sha256


@dataclass(frozen=True)
class StoredSnapshot:
    text_sha256: str
    recommending_states: tuple[str, ...]


@dataclass
class RecommendationDiff:
    text_changed: bool = False
    states_changed: bool = False
    fields: dict[str, tuple[object, object]] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return self.text_changed or self.states_changed


def diff(stored: StoredSnapshot, text: str, recommending_states: tuple[str, ...]) -> RecommendationDiff:
    """Compare wording by normalised hash (reflowed text is not a change) and the state list."""
    result = RecommendationDiff()
    new_hash = text_sha256(text)
    if new_hash != stored.text_sha256:
        result.text_changed = True
        result.fields["text_sha256"] = (stored.text_sha256, new_hash)
    new_states = recommending_states
    if new_states != stored.recommending_states:
        result.states_changed = True
        result.fields["recommending_states"] = (stored.recommending_states, new_states)
    return result
