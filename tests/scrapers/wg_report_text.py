"""Hand-written WG report texts for the parser tests: a report head and end around a body."""

from __future__ import annotations

from pathlib import Path

from scrapers.records import ParsedDocument, ScrapedRecommendation
from scrapers.upr_reports import parse_wg_report_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "upr_reports"
URL = "https://documents.un.org/test.pdf"

HEAD = """Human Rights Council
Report of the Working Group on the Universal
Periodic Review*
Azerbaijan
United Nations A/HRC/24/13
General Assembly Distr.: General
5 July 2013
1. The Working Group on the Universal Periodic Review held its sixteenth session from 22
April to 3 May 2013.
II. Conclusions and/or recommendations**
"""
END = """
111. All conclusions and/or recommendations contained in the present report reflect
the position of the submitting State(s) and/or the State under review.
Annex
"""
PENDING_LEAD = "109. The following recommendations will be examined by Azerbaijan:\n"


def parse(body: str, **kwargs: object) -> ParsedDocument:
    text = HEAD + body + END
    return parse_wg_report_text(text, source_url=URL, **kwargs)  # type: ignore[arg-type]


def by_paragraph(parsed: ParsedDocument) -> dict[str, ScrapedRecommendation]:
    return {r.paragraph: r for r in parsed.recommendations}


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- whole reports of any cycle, with each cue optional ------------------------------------

COVER = (
    "GE.20-00001\nHuman Rights Council\n{hrc} session\nAgenda item 6\nUniversal periodic review\n"
)
TITLE = "Report of the Working Group on the Universal\nPeriodic Review*\n{title}\n"
FRONT = "United Nations {symbol}\nGeneral Assembly Distr.: General\n{issued}\nOriginal: English\n"
INTRO = (
    "Introduction\n1. The Working Group on the Universal Periodic Review held its {wg} session "
    "from 4 to 15\nNovember. The review of {state} was held at the 13th meeting. At its 17th "
    "meeting, the\nWorking Group adopted the report on {state}.\n"
    "2. The following documents were issued for the review of {state}:\n"
    "(a) A national report (A/HRC/WG.6/{wg_no}/{iso3}/1);\n"
)
HEADING = "II. Conclusions and/or recommendations**\n"
CLOSING = (
    "{n}. All conclusions and/or recommendations contained in the present report reflect\n"
    "the position of the submitting State(s) and/or the State under review.\nAnnex\n"
)


def report(
    body: str,
    *,
    state: str = "Slovenia",
    iso3: str = "SVN",
    title: str | None = None,
    cover: bool = True,
    intro: bool = True,
    symbol: str = "A/HRC/43/15",
    hrc: str = "Forty-third",
    wg: str = "thirty-fourth",
    wg_no: int = 34,
    closing: int = 123,
) -> str:
    """A WG report text: cover (HRC session, title, symbol, date), page 2 with the introduction,
    then the conclusions ``body`` and the closing paragraph numbered ``closing``. ``title=""``
    drops the title (as when it is not in the text layer); ``cover=False`` blanks page 1."""
    head = COVER.format(hrc=hrc)
    if title != "":
        head += TITLE.format(title=state if title is None else title)
    head += FRONT.format(symbol=symbol, issued="19 December 2019")
    page2 = f"{symbol}\n2\n"
    if intro:
        page2 += INTRO.format(wg=wg, state=state, wg_no=wg_no, iso3=iso3)
    pages = [
        head if cover else "",
        page2 + HEADING + body.rstrip("\n") + "\n" + CLOSING.format(n=closing),
    ]
    return "\f".join(pages)


def parse_report(body: str, **kwargs: object) -> ParsedDocument:
    """Parse ``report(body, **kwargs)``; parser arguments (state_arg, cycle_arg) pass through."""
    state_arg = kwargs.pop("state_arg", None)
    cycle_arg = kwargs.pop("cycle_arg", None)
    text = report(body, **kwargs)  # type: ignore[arg-type]
    return parse_wg_report_text(text, source_url=URL, state=state_arg, cycle=cycle_arg)  # type: ignore[arg-type]
