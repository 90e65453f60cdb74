"""The WG report parser on real corpus reports edited the way unseen reports differ from them.

Each test takes the text PDFium extracts from a real report, changes one thing (a paragraph
inserted in the middle of the conclusions, later paragraphs renumbered; the title or the whole
cover page gone; a parenthetical after the State's name) and parses it with
``parse_wg_report_text``. Results are scored against the coders' ground truth, renumbered like
the text (``corpus_truth.shifted``), never against the parser's own output.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from scrapers.countries import to_iso3
from scrapers.records import ParsedDocument
from scrapers.text import pdf_pages
from scrapers.upr_reports import parse_wg_report_text
from tests.scrapers.corpus_truth import (
    CORPUS,
    REPORTS,
    THRESHOLD,
    Score,
    Truth,
    list_paragraphs,
    load_truth,
    score,
    shifted,
    triples,
)

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus {CORPUS} absent"),
]

# From MANIFEST.md (review cycle of each report), not from the parser.
CYCLES = {
    "algeria2008": 1,
    "azerbaijan2009": 1,
    "azerbaijan2013": 2,
    "iceland2011": 1,
    "kenya2010": 1,
    "mali2013": 2,
    "slovenia2019": 3,
    "switzerland2012": 2,
}
URL = "file://edited.txt"
_HEADING = re.compile(
    r"(?im)^[ \t]*(?:[IVX]{1,4}\.?\s+)?conclusions\s+and(?:/or)?\s+recommendations[ \t*\u2217\d]*\r?$"
)
_LINE_NUMBER = re.compile(r"(?m)^([ \t]*)(\d{2,3})(?=\.(?:\d|\s|[A-Z]))")
_TITLE = re.compile(
    r"Report\s+of\s+the\s+Working\s+Group\s+on\s+the\s+Universal\s+Periodic\s+Review\W*\n"
    r"([^\n]*)\n"
)

ODD = {
    "unclassifiable list": (
        "{n}. The following recommendations were discussed at length with the delegation:\n"
        "{n}.1 Ratify the Convention on the Reduction of Statelessness (Chile);\n"
        "{n}.2 Invite the Special Rapporteur on education (Peru)."
    ),
    "unknown statement": (
        "{n}. The troika thanked the interpreters and the secretariat for their excellent work."
    ),
    "comments": (
        "{n}. {state} offered the following comments on the recommendations above:\n"
        "{n}.1 The Constitution already protects the rights of all minorities;\n"
        "{n}.2 A new law on equality is being prepared."
    ),
    "recommendation": "{n}. Accede to the Convention on the Reduction of Statelessness (Brazil);",
}


@cache
def real_text(name: str) -> str:
    return "\f".join(pdf_pages((CORPUS / f"{name}.pdf").read_bytes()))


def state_of(name: str) -> str:
    """The State under review, from the corpus file name (``kenya2010`` -> KEN)."""
    code = to_iso3(re.sub(r"\d.*$", "", name).title())
    assert code, name
    return code


def slot(truth: Truth) -> int:
    """Where to insert: before the second list, or after the only one."""
    lists = list_paragraphs(truth)
    return lists[1] if len(lists) > 1 else lists[0] + 1


def insert_paragraph(text: str, at: int, paragraph: str) -> str:
    """``paragraph`` before paragraph ``at`` of the conclusions; ``at`` and the numbers after it
    (lead-ins, items ``at.n``, the closing paragraph) move up by one."""
    heading = list(_HEADING.finditer(text))[-1]
    body = text[heading.end() :]
    start = re.search(rf"(?m)^[ \t]*{at}\.\s", body)
    assert start, f"paragraph {at} not found"

    def bump(match: re.Match[str]) -> str:
        value = int(match.group(2))
        return match.group(1) + str(value + 1 if value >= at else value)

    tail = _LINE_NUMBER.sub(bump, body[start.start() :])
    return text[: heading.end()] + body[: start.start()] + paragraph + "\n" + tail


def measured(parsed: ParsedDocument, truth: Truth) -> Score:
    result = score(triples(parsed), truth)
    print(f"\nprecision={result.precision:.4f} recall={result.recall:.4f}")
    return result


def edited(name: str, kind: str) -> tuple[ParsedDocument, Truth, int, str]:
    truth = load_truth(name)
    at = slot(truth)
    paragraph = ODD[kind].format(n=at, state=re.sub(r"\d.*$", "", name).title())
    parsed = parse_wg_report_text(insert_paragraph(real_text(name), at, paragraph), source_url=URL)
    return parsed, shifted(truth, at), at, paragraph


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("kind", ["unclassifiable list"])
def test_one_unreadable_paragraph_costs_only_itself(name: str, kind: str) -> None:
    baseline = measured(parse_wg_report_text(real_text(name), source_url=URL), load_truth(name))
    parsed, truth, at, paragraph = edited(name, kind)
    result = measured(parsed, truth)
    assert result.recall >= min(THRESHOLD, baseline.recall), result.false_neg
    assert result.precision >= min(THRESHOLD, baseline.precision), result.false_pos
    assert not any(r.paragraph.split(".")[0] == str(at) for r in parsed.recommendations)
    [problem] = parsed.problems
    first_words = " ".join(paragraph.split()[1:6])
    assert problem.startswith(f"para {at}:") and first_words in problem
    assert parsed.document.state_under_review == state_of(name)


@pytest.mark.parametrize("name", REPORTS)
def test_comment_sub_items_are_not_recommendations(name: str) -> None:
    parsed, truth, at, _ = edited(name, "comments")
    result = measured(parsed, truth)
    assert result.recall >= THRESHOLD and result.precision >= THRESHOLD
    assert not any(r.paragraph.split(".")[0] == str(at) for r in parsed.recommendations)
    assert parsed.problems == []


@pytest.mark.parametrize("name", REPORTS)
def test_recommendation_printed_as_a_paragraph(name: str) -> None:
    truth = load_truth(name)
    parsed, moved, at, _ = edited(name, "recommendation")
    before = max(p for p in list_paragraphs(truth) if p < at)
    [expected] = {
        pos
        for p, pos_set in truth.positions.items()
        if p.split(".")[0] == str(before)
        for pos in pos_set
    }
    [record] = [r for r in parsed.recommendations if r.paragraph == str(at)]
    assert (record.recommending_states, record.position.value) == (["BRA"], expected)
    others = ParsedDocument(
        document=parsed.document,
        recommendations=[r for r in parsed.recommendations if r is not record],
    )
    result = measured(others, moved)
    assert result.recall >= THRESHOLD and result.precision >= THRESHOLD
    assert parsed.problems == []


def _without_title(pages: list[str]) -> list[str]:
    return [_TITLE.sub("", pages[0], count=1), *pages[1:]]


def _blank_cover(pages: list[str]) -> list[str]:
    return ["", *pages[1:]]


def _including(pages: list[str]) -> list[str]:
    def extend(match: re.Match[str]) -> str:
        return match.group(0).replace(
            match.group(1), f"{match.group(1).strip()} (including A and B)", 1
        )

    return [_TITLE.sub(extend, pages[0], count=1), *pages[1:]]


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("edit", [_without_title, _blank_cover, _including])
def test_identity_survives_a_damaged_title(name: str, edit: object) -> None:
    pages = real_text(name).split("\f")
    assert _TITLE.search(pages[0]), "the real cover prints the title"
    parsed = parse_wg_report_text("\f".join(edit(pages)), source_url=URL)  # type: ignore[operator]
    doc = parsed.document
    assert (doc.state_under_review, doc.cycle) == (state_of(name), CYCLES[name])
    result = measured(parsed, load_truth(name))
    assert result.recall >= THRESHOLD and result.precision >= THRESHOLD
    if edit is _including:
        assert "(including" not in (doc.title or "")
        assert not any("State under review" in w for w in parsed.warnings)


@pytest.mark.parametrize("name", REPORTS)
def test_a_paragraph_that_cannot_hide_a_recommendation_is_a_warning_not_a_problem(name: str) -> None:
    """Thanks or closing remarks in the conclusions: nothing was lost, so the import is whole."""
    baseline = measured(parse_wg_report_text(real_text(name), source_url=URL), load_truth(name))
    parsed, truth, at, _ = edited(name, "unknown statement")
    result = measured(parsed, truth)
    assert result.recall >= min(THRESHOLD, baseline.recall), result.false_neg
    assert result.precision >= min(THRESHOLD, baseline.precision), result.false_pos
    assert parsed.problems == []
    assert any(w.startswith(f"para {at} not read") for w in parsed.warnings)
