"""Structured generators: text built from report-like lines (numbered paragraphs and items,
brackets, State names, dashes, lead-ins, number lists, page furniture), PACE-like HTML and
thematic-list DOCX files. They reach the parsers' deep paths, where random bytes never get."""

from __future__ import annotations

import html

from hypothesis import strategies as st

from scrapers.countries_data import STATES
from tests.fuzz.seeds import build_docx

__all__ = ["document_text", "pace_html", "report_line", "thematic_docx"]

_NAMES = sorted({name for row in STATES for name in row[1:3]})
STATE = st.one_of(st.sampled_from(_NAMES), st.sampled_from(
    ["Iran (Islamic Republic of)", "Congo", "the Democratic Republic of the Congo", "Holy See",
     "State of Palestine", "Venezuela (Bolivarian Republic of)", "Côte d'Ivoire", "Narnia"]))
NUM = st.one_of(st.integers(0, 200), st.integers(0, 10**6), st.sampled_from([109, 110, 122, 69]))
WORDINGS = ("enjoy the support of", "enjoyed the support of", "will be examined by",
            "did not enjoy the support of", "were noted by", "are already implemented by",
            "partially supported by", "will be further studied by", "were rejected by",
            "the response of {s} to these recommendations will be included in the outcome report",
            "in the course of the discussion, the following recommendations were made to")
VERBS = ("Ratify", "Consider", "Continue", "Take", "Ensure", "Adopt", "Release", "Strengthen")
DASHES = "-\u2010\u2011\u2013\u2014\u2212\u00ad"
FURNITURE = ("A/HRC/24/13", "GE.13-15465", "(E)", "Page 3 of 25", "*1921936*", "\ue000\ue001",
             "United Nations A/HRC/43/15/Add.1", "General Assembly Distr.: General",
             "Human Rights Council", "Twenty-fourth session", "Agenda item 6", "Addendum",
             "Report of the Working Group on the Universal Periodic Review",
             "Universal Periodic Review*", "II. Conclusions and/or recommendations",
             "Conclusions and recommendations**", "Views on conclusions and/or recommendations",
             "Annex", "III. Voluntary pledges and commitments", "Accepted recommendations",
             "Noted recommendations", "Endnotes", "_____________", "5 July 2013", "\f", "")


@st.composite
def _number_list(draw: st.DrawFn) -> str:
    """Item numbers as addenda print them: ranges, shortened ends, breaks inside, 'and'."""
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        head = draw(st.sampled_from(("", f"{draw(NUM)}.")))
        item = f"{head}{draw(NUM)}"
        if draw(st.booleans()):
            item += draw(st.sampled_from(DASHES + " ")) + draw(st.sampled_from(("", "\n", " ")))
            item += f"{draw(st.sampled_from(('', f'{draw(NUM)}.')))}{draw(NUM)}"
        parts.append(item)
    seps = st.sampled_from((", ", ",", "; ", " and ", ". ", " & ", "\n", ",\n"))
    return "".join(p + (draw(seps) if i < len(parts) - 1 else "") for i, p in enumerate(parts))


@st.composite
def _attribution(draw: st.DrawFn) -> str:
    names = draw(st.lists(STATE, min_size=0, max_size=4))
    joined = draw(st.sampled_from((", ", " and ", "; ", "/"))).join(names)
    opener, closer = draw(st.sampled_from((("(", ")"), ("(", ""), ("((", ")"), ("[", "]"),
                                           ("", ")"), ("(", "))"))))
    return f"{opener}{joined}{closer}{draw(st.sampled_from(('', ';', '.', '; and', ')')))}"


@st.composite
def report_line(draw: st.DrawFn) -> str:
    """One line of a UN report or addendum, or noise in its place."""
    kind = draw(st.sampled_from(("lead", "item", "bare", "addendum", "reply", "furniture",
                                 "noise", "end", "session", "hyphen", "note", "item")))
    state = draw(STATE)
    if kind == "lead":
        wording = draw(st.sampled_from(WORDINGS)).format(s=state)
        return f"{draw(NUM)}. The following recommendations {wording} {state}:"
    if kind == "item":
        text = draw(st.text(max_size=60)) if draw(st.booleans()) else "the Convention"
        return f"{draw(NUM)}.{draw(NUM)} {draw(st.sampled_from(VERBS))} {text} {draw(_attribution())}"
    if kind == "bare":
        return f"{draw(NUM)}. {draw(st.sampled_from(VERBS))} measures {draw(_attribution())}"
    if kind == "addendum":
        verb = draw(st.sampled_from(("accepts", "supports", "notes", "cannot accept",
                                     "partially accepts", "will examine", "takes note of")))
        return f"{draw(NUM)}. The Government {verb} the following recommendations {draw(_number_list())}."
    if kind == "reply":
        label = draw(st.sampled_from(("Accepted", "Noted", "Supported/Noted", "Rejected",
                                      "Partially accepted", "Recommendation", "Rec.")))
        return f"{draw(_number_list())} {label}. {draw(st.text(max_size=30))}"
    if kind == "end":
        return (f"{draw(NUM)}. All conclusions and/or recommendations contained in the present "
                f"report reflect the position of the submitting State(s) and/or {state}.")
    if kind == "session":
        return (f"The Working Group held its {draw(st.sampled_from(('first', 'sixteenth', 'forty-fourth', '9999th')))} "
                f"session from {draw(NUM)} May to 3 June {draw(st.integers(1900, 2200))}. {state}")
    if kind == "hyphen":
        return draw(st.sampled_from(("imple-", "decision-", "non-", "122.17-", "OP-", "re\u00ad",
                                     "mentation of", "making", "18", "\ufffe", "\ufb01nal")))
    if kind == "note":
        return f"{draw(st.integers(0, 99))} {draw(st.sampled_from(('See', 'A/HRC/8/29', '*', '**')))} note"
    if kind == "furniture":
        return draw(st.sampled_from(FURNITURE))
    return draw(st.text(max_size=80))


def document_text(max_lines: int = 60) -> st.SearchStrategy[str]:
    """A document made of report-like lines; form feeds split it into pages."""
    return st.lists(report_line(), max_size=max_lines).map("\n".join)


# --- PACE HTML ----------------------------------------------------------------------------------

PACE_LINES = ("Resolution 2322 (2020)", "Recommendation 2170 (2020)", "Opinion 300 (2021)",
              "Reply to Recommendation | Doc. 15123 | 12 May 2020", "Final version",
              "Provisional version", "Text adopted by the Assembly on 30 January 2020 (7th Sitting).",
              ("Assembly debate on 30 January 2020 (7th Sitting) (see Doc. 15020, report of the "
               "Committee on Legal Affairs, rapporteur: Ms X)."), "Author(s): Parliamentary Assembly",
              "The Assembly calls on Azerbaijan to:", "The Assembly urges the authorities of",
              "The Assembly therefore resolves to", "(a) charges of hooliganism;",
              "Reply to Recommendation : Recommendation 2170 (2020)",
              "Adopted at the 1380th meeting of the Ministers' Deputies (22 July 2020)",
              "The draft resolution was rejected (for: 20, against: 40, abstentions: 3)",
              "See related documents", "Explanatory memorandum", "B. Draft recommendation",
              "Footnotes", "Logo Assembly", "10.", "1.", "(b)")
TAGS = ("div", "p", "span", "li", "ul", "td", "tr", "table", "h1", "br", "b", "a", "script",
        "nav", "img", "section", "footer")


@st.composite
def _pace_text(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("pace", "para", "state", "noise")))
    if kind == "pace":
        return draw(st.sampled_from(PACE_LINES))
    if kind == "para":
        return f"{draw(NUM)}.{draw(st.sampled_from(('', f'{draw(NUM)}.')))} The Assembly calls on {draw(STATE)} to release {draw(st.text(max_size=20))}"
    if kind == "state":
        return draw(STATE)
    return draw(st.text(max_size=40))


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    @st.composite
    def build(draw: st.DrawFn) -> str:
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.sampled_from(("", ' href="/en/files/28320/html"', ' alt="Logo Assembly"',
                                      ' class="num"', ' href="?fileid=99999"')))
        inner = "".join(draw(st.lists(children, max_size=4)))
        closing = draw(st.sampled_from((f"</{tag}>", "", "</div>")))
        return f"<{tag}{attrs}>{inner}{closing}"
    return build()


@st.composite
def pace_html(draw: st.DrawFn) -> bytes:
    """A PACE-like page: nested elements around PACE lines; sometimes absurdly deep nesting."""
    leaf = _pace_text().map(html.escape)
    body = draw(st.recursive(leaf, _element, max_leaves=30))
    if draw(st.integers(0, 4)) == 0:
        depth = draw(st.integers(100, 6000))
        tag = draw(st.sampled_from(("div", "span", "b", "li", "td")))
        body = f"<{tag}>" * depth + body + f"</{tag}>" * draw(st.integers(0, depth))
    title = html.escape(draw(_pace_text()))
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>".encode(
        draw(st.sampled_from(("utf-8", "utf-16", "latin-1"))), "replace")


# --- thematic-list DOCX -------------------------------------------------------------------------

HEADERS = ("Recommendation", "Position", "Full list of themes", "Recommending State/s",
           "Recommendation and recommending State", "Position of the State under review",
           "Relevant SDGs", "Assessment/comments on level of implementation", "Theme", "")
POSITIONS = ("Supported", "Noted", "Supported/Noted", "Partially supported", "Accepted", "",
             "Pending", "supported ")


@st.composite
def _docx_row(draw: st.DrawFn, width: int) -> list[str] | str:
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(("Theme: A41 Constitutional framework", "Right or area: 12.1",
                                     "Theme:", ""))) + draw(st.text(max_size=10))
    item = f"{draw(NUM)}.{draw(NUM)} {draw(report_line())} {draw(_attribution())}"
    if draw(st.booleans()):
        item += f"\nSource of position: {draw(st.sampled_from(('A/HRC/43/15/Add.1', 'A/HRC/99/1', '')))}"
    cells = [item, draw(st.sampled_from(POSITIONS)),
             "A41 Theme\nAffected persons:\n- " + draw(st.text(max_size=10)),
             draw(st.sampled_from(("SDG 16", "Goal 5", "", draw(STATE))))]
    return [draw(st.sampled_from(cells)) if draw(st.integers(0, 6)) == 0 else c
            for c in cells][:width] + [""] * max(0, width - len(cells))


@st.composite
def thematic_docx(draw: st.DrawFn) -> bytes:
    """A thematic-list DOCX with shuffled or missing header labels and odd rows and titles."""
    header = draw(st.lists(st.one_of(st.sampled_from(HEADERS), st.text(max_size=15)),
                           min_size=1, max_size=6))
    rows = draw(st.lists(_docx_row(len(header)), max_size=8))
    title = draw(st.one_of(
        st.none(), st.text(max_size=40),
        st.builds(lambda s, c, n: f"UPR of {s} ({c} Cycle - {n}th Session)", STATE,
                  st.sampled_from(("1st", "2nd", "3rd", "4th", "9th", "second")), NUM)))
    rows = [_xml_safe(r) if isinstance(r, str) else [_xml_safe(c) for c in r] for r in rows]
    return build_docx([_xml_safe(h) for h in header], rows, title=_xml_safe(title) or None)


def _xml_safe(value: str | None) -> str:
    """python-docx refuses control characters itself; they are not what is under test here."""
    if value is None:
        return ""
    return "".join(c for c in value if c in "\t\n" or (ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF
                                                       and ord(c) not in (0xFFFE, 0xFFFF)))
