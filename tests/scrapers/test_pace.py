"""PACE adopted texts: both sites and renderings, versions, votes, CM replies, follow-up, walls.

Fixtures are hand-written from SOURCES.md §6 (see tests/fixtures/pace/README.md); fetching runs
against the real local HTTP server, never a mocked client.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.challenge import challenge_markers
from scrapers.errors import LayoutChanged, ScrapeError, SourceBlocked
from scrapers.http import HttpPolicy, PoliteClient
from scrapers.pace import (
    current_url,
    discover_fileids,
    fetch_pace_text,
    legacy_url,
    page_text,
    parse_pace_page,
)
from scrapers.records import Implementation, Mechanism, Position, text_sha256
from tests.fakes.source_server import Scripted
from tests.scrapers.pace_damaged import DAMAGED

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pace"
URL = "https://pace.coe.int/en/files/28584/html"
LEAD_IN = "The Assembly therefore calls on the Azerbaijani authorities to:"
OPERATIVE = ["10.1", "10.2", "10.3", "10.4.1", "10.4.2", "10.5", "11", "12", "13"]
RENDERINGS = ["res_2322_current_early.html", "res_2322_current_later.html", "res_2322_legacy.html"]


def _html(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _parse(name: str, url: str = URL, **kwargs):
    return parse_pace_page(_html(name), url=url, **kwargs)


def _client() -> PoliteClient:
    return PoliteClient(HttpPolicy(user_agent="recwatch/test", min_interval=0, backoff_base=0.01),
                        sleep=lambda s: None)


def _essence(parsed) -> list[tuple]:
    return [(r.key, r.paragraph, r.text, r.context, r.addressee, r.position_wording)
            for r in parsed.recommendations]


# --- which paragraphs are recommendations ----------------------------------------------------

def test_resolution_yields_exactly_the_operative_paragraphs_with_their_lead_in():
    parsed = _parse("res_2322_current_early.html")
    assert [r.paragraph for r in parsed.recommendations] == OPERATIVE
    assert parsed.recommendations[0].key == "pace/AZE/res-2322-2020/10.1"
    by_para = {r.paragraph: r for r in parsed.recommendations}
    for number in ("10.1", "10.2", "10.3", "10.5"):
        assert by_para[number].context == LEAD_IN
        assert by_para[number].addressee == "authorities"
        assert by_para[number].position_wording == "calls on the Azerbaijani authorities"
    assert by_para["10.4.1"].context == f"{LEAD_IN} as regards the judiciary:"
    # the hard line break inside "by the\nrapporteur" is collapsed
    assert by_para["10.1"].text.startswith(
        "release all persons considered to be political prisoners by the rapporteur")
    assert by_para["11"].addressee == "government" and by_para["11"].context is None
    assert by_para["12"].addressee == "member_states"
    assert by_para["13"].addressee == "authorities"  # "calls on them", them = the authorities
    assert by_para["13"].position_wording == "calls on them"


def test_record_fields_follow_the_jsonl_contract():
    rec = _parse("res_2322_current_early.html").recommendations[0]
    assert rec.mechanism is Mechanism.PACE and rec.state == "AZE"
    assert rec.position is Position.PENDING and rec.recommending_states == []
    assert rec.effective_on == date(2020, 1, 30)
    assert rec.evidence == "Resolution 2322 (2020) para. 10.1"
    assert rec.attributes["committee"] == "Committee on Legal Affairs and Human Rights"
    assert rec.attributes["sitting"] == "7" and rec.attributes["fileid"] == "28584"


def test_preambular_and_untracked_calls_are_not_recommendations():
    parsed = _parse("res_2322_current_early.html")
    paragraphs = {r.paragraph for r in parsed.recommendations}
    assert not paragraphs & {"1", "2", "3", "4", "5", "6", "7", "8", "9", "14", "15"}
    # para 6: "the Commissioner ... urges the authorities" is not the Assembly speaking;
    # para 15 asks the European Union: reported, not tracked
    assert parsed.warnings == [
        "Resolution 2322 (2020) para. 15: call addressed to 'the European Union' is not tracked"]


@pytest.mark.parametrize("name", RENDERINGS[1:])
def test_all_renderings_give_the_same_recommendations(name):
    assert _essence(_parse(name)) == _essence(_parse(RENDERINGS[0]))


@pytest.mark.parametrize("name,version", [(RENDERINGS[0], None), (RENDERINGS[1], "final"),
                                          (RENDERINGS[2], "final")])
def test_header_is_read_on_every_rendering(name, version):
    doc = _parse(name).document
    assert doc.reference == doc.symbol == "Resolution 2322 (2020)"
    assert doc.title == "Reported cases of political prisoners in Azerbaijan"
    assert doc.published_on == date(2020, 1, 30) and doc.outcome == "adopted"
    assert doc.version == version and doc.state_under_review == "AZE"
    assert doc.cites[:1] == ["Doc. 15020"]
    cited = {"Resolution 1900 (2012)", "Resolution 2184 (2017)", "Resolution 2185 (2017)"}
    assert cited <= set(doc.cites)


def test_letter_list_stays_in_its_paragraph():
    html = (b"<html><body><h1>Political prisoners in Azerbaijan</h1><p>Resolution 9999 (2030)</p>"
            b"<p>Text adopted by the Assembly on 1 March 2030 (9th Sitting).</p>"
            b"<p>1. The Assembly urges the authorities to:</p><ul><li>(a) release them;</li>"
            b"<li>(b) compensate them.</li></ul>"
            b"<p>2. The Assembly recalls its Resolution 2322 (2020).</p></body></html>")
    parsed = parse_pace_page(html, url="https://pace.coe.int/en/files/1/html")
    assert [(r.paragraph, r.text) for r in parsed.recommendations] == [
        ("1", "The Assembly urges the authorities to: (a) release them; (b) compensate them.")]


def _text_spaces(html: str) -> list[int]:
    """Offsets of spaces in text nodes (outside tags): where a page may break lines."""
    spaces, in_tag = [], False
    for index, char in enumerate(html):
        in_tag = True if char == "<" else False if char == ">" else in_tag
        if char == " " and not in_tag:
            spaces.append(index)
    return spaces


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(min_value=0), max_size=60), st.sampled_from(["\n", "\n    ", "\r\n\t"]))
def test_hard_line_breaks_in_text_nodes_change_nothing(picks, brk):
    html = _html("res_2322_legacy.html").decode()
    spaces = _text_spaces(html)
    for offset in sorted({spaces[p % len(spaces)] for p in picks}, reverse=True):
        html = html[:offset] + brk + html[offset + 1:]
    assert _essence(parse_pace_page(html.encode(), url=URL)) == _essence(_parse(RENDERINGS[2]))


# --- versions, Recommendations, votes --------------------------------------------------------

def test_provisional_then_final_keeps_keys_and_changes_one_text():
    provisional, final = _parse("res_2322_provisional.html"), _parse("res_2322_current_later.html")
    assert provisional.document.version == "provisional" and final.document.version == "final"
    assert [r.key for r in provisional.recommendations] == [r.key for r in final.recommendations]
    changed = [(p.paragraph, p.text, f.text) for p, f in zip(provisional.recommendations,
                                                            final.recommendations, strict=True)
               if text_sha256(p.text) != text_sha256(f.text)]
    tail = "the cases of all other persons whose detention is alleged to be politically motivated;"
    convention = "in accordance with the standards of the European Convention on Human Rights"
    assert changed == [("10.2", f"review {tail}", f"review, {convention}, {tail}")]


def test_recommendation_sub_paragraphs_are_addressed_to_the_committee_of_ministers():
    parsed = _parse("rec_2170_current_early.html", url="https://pace.coe.int/en/files/28585/html")
    assert [r.key for r in parsed.recommendations] == [
        "pace/AZE/rec-2170-2020/1.1", "pace/AZE/rec-2170-2020/1.2", "pace/AZE/rec-2170-2020/1.3"]
    assert {r.addressee for r in parsed.recommendations} == {"committee_of_ministers"}
    assert parsed.recommendations[0].context == (
        "Referring to its Resolution 2322 (2020) on reported cases of political prisoners in "
        "Azerbaijan, the Parliamentary Assembly:")
    assert parsed.recommendations[1].position_wording == "invites the Committee of Ministers"


def test_rejected_draft_has_outcome_vote_and_no_recommendations():
    parsed = _parse("doc_13079_rejected_legacy.html", url=legacy_url(19230))
    doc = parsed.document
    assert (doc.reference, doc.outcome, doc.vote) == (
        "Doc. 13079", "rejected", "for 79, against 125, abstentions 20")
    assert doc.title == "The follow-up to the issue of political prisoners in Azerbaijan"
    assert parsed.recommendations == []
    assert len(parsed.warnings) == 1 and "rejected" in parsed.warnings[0]


# --- CM replies and follow-up ----------------------------------------------------------------

def test_cm_reply_links_every_sub_paragraph_of_the_recommendation_it_answers():
    url = "https://pace.coe.int/en/files/28745/html"
    recommendation = _parse("rec_2170_current_early.html", url=current_url(28585))
    parsed = _parse("reply_2170_current_later.html", url=url, answered=recommendation)
    assert [link.key for link in parsed.links if link.role == "cm_reply"] == [
        "pace/AZE/rec-2170-2020/1.1", "pace/AZE/rec-2170-2020/1.2", "pace/AZE/rec-2170-2020/1.3"]
    link = parsed.links[0]
    assert (link.reference, link.effective_on, link.url) == ("Doc. 15149", date(2020, 9, 23), url)
    assert "1384th meeting of the Ministers' Deputies" in link.title
    doc = parsed.document
    assert (doc.reference, doc.published_on, doc.outcome) == ("Doc. 15149", date(2020, 9, 24), None)
    assert "Recommendation 2170 (2020)" in doc.cites and "CM/ResDH(2020)47" in doc.cites
    assert parsed.recommendations == []
    text = page_text(_html("reply_2170_current_later.html"))  # the reply's words, kept
    assert "Interim Resolution CM/ResDH(2020)47" in text


def test_cm_reply_alone_links_the_recommendation_as_a_whole():
    parsed = _parse("reply_2170_current_later.html", url="https://pace.coe.int/en/files/28745/html")
    assert [(x.role, x.key) for x in parsed.links if x.role == "cm_reply"] == [
        ("cm_reply", "pace/AZE/rec-2170-2020")]
    assert "answered=" in parsed.warnings[0]


def test_cm_reply_refuses_the_wrong_recommendation():
    wrong = _parse("res_2322_current_early.html")
    with pytest.raises(ScrapeError, match="answers Recommendation 2170"):
        _parse("reply_2170_current_later.html", answered=wrong)


def test_follow_up_resolution_gives_evidence_to_confirm_never_a_status():
    parsed = _parse("res_2527_current_later.html", url="https://pace.coe.int/en/files/33333/html")
    assert [(i.key, i.implementation) for i in parsed.implementations] == [
        ("pace/AZE/res-2322-2020/10.1", Implementation.PARTIALLY_IMPLEMENTED),
        ("pace/AZE/res-2322-2020/10.5", Implementation.IMPLEMENTED),
    ]
    assert all(i.needs_confirmation for i in parsed.implementations)
    assert parsed.implementations[0].evidence == "Resolution 2527 (2024) para. 4"
    follow = [x for x in parsed.links if x.role == "follow_up"]
    assert [x.key for x in follow] == [f"pace/AZE/res-{n}" for n in (
        "2184-2017", "2185-2017", "2279-2019", "2322-2020", "2362-2021", "2418-2022", "2494-2023",
        "2509-2023", "2513-2023")]
    assert all("(not implemented)" in x.title for x in follow)
    assert {x.effective_on for x in follow} == {date(2024, 1, 24)}
    assert [r.key for r in parsed.recommendations] == ["pace/AZE/res-2527-2024/8"]
    assert parsed.document.cites[:2] == ["Doc. 15898", "Doc. 15899"]


# --- walls, anchors, state ---------------------------------------------------------------------

def test_challenge_page_is_source_blocked():
    with pytest.raises(SourceBlocked, match="Just a moment") as caught:
        parse_pace_page(_html("challenge.html"), url=URL)
    assert caught.value.url == URL


def test_challenge_markers_belong_to_the_interstitial_only():
    assert len(challenge_markers(_html("challenge.html"))) == 5
    real = (b"<html><head><title>PACE</title>"
            b"<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script></head>"
            b"<body><div class='loading'>Just a moment...</div></body></html>")
    assert challenge_markers(real) == []


def test_cloudflare_page_script_on_a_real_page_is_not_a_challenge():
    html = _html("res_2322_current_early.html")
    assert b"/cdn-cgi/challenge-platform/scripts/jsd/main.js" in html
    assert parse_pace_page(html, url=URL).recommendations


def test_missing_anchors_raise_layout_changed_naming_them():
    with pytest.raises(LayoutChanged, match="type line") as caught:
        parse_pace_page(b"<html><body><h1>Maintenance</h1><p>Back soon.</p></body></html>", url=URL)
    assert caught.value.url == URL
    no_adoption = _html("res_2322_current_early.html").replace(b"Text adopted by", b"Text voted by")
    with pytest.raises(LayoutChanged, match="Text adopted by"):
        parse_pace_page(no_adoption, url=URL)
    no_numbers = _html("res_2322_legacy.html").replace(b'"Texte">1. ', b'"Texte">')
    with pytest.raises(LayoutChanged, match="numbered paragraphs"):
        parse_pace_page(no_numbers, url=URL)


# --- incomplete or unrecognisable pages are refused, never imported in part ----------------

def _cut(name: str, marker: bytes, *, at_tag: bool) -> bytes:
    """The page up to `marker` (or the tag holding it), markup closed: a partly loaded page."""
    html = _html(name)
    end = html.index(marker)
    end = html.rindex(b"<", 0, end) if at_tag else end
    return html[:end] + b"</div></div></main></body></html>"


@pytest.mark.parametrize("name", RENDERINGS)
@pytest.mark.parametrize("marker,at_tag,reason", [
    (b"The Assembly therefore calls", True, "no operative paragraph found"),
    (b"10.1", True, r"the text ends on paragraph 10 \(.*authorities to:'\), whose sub-paragraphs never come"),
    (b"10.2", True, r"the text ends on paragraph 10.1 \(.*report;'\), in the middle of a series"),
    (b"the cases of all other", False, r"the text ends in the middle of paragraph 10.2 \(.*Human Rights,'\)"),
])
def test_text_cut_before_or_inside_the_operative_part_is_refused(name, marker, at_tag, reason):
    with pytest.raises(LayoutChanged, match=r"^PACE Resolution 2322 \(2020\): " + reason) as caught:
        parse_pace_page(_cut(name, marker, at_tag=at_tag), url=URL)
    assert caught.value.url == URL


def test_refused_fixtures_name_what_is_missing():
    cases = {"res_2322_truncated.html": "ends without its closing </body> and </html> tags",
             "res_2322_cut_before_operative.html": "no operative paragraph found",
             "res_2322_title_edited.html": "without a type line .*closest block: 'Resolution 2322 "
                                           "\\(2020\\) \u2013 Reported cases"}
    for name, reason in cases.items():
        with pytest.raises(LayoutChanged, match=reason):
            parse_pace_page(DAMAGED[name](), url=URL)


def test_a_lost_paragraph_in_the_numbering_is_refused():
    html = _html(RENDERINGS[0])
    gap = html[: html.index(b"<p>12. ")] + html[html.index(b"<p>13. "):]
    with pytest.raises(LayoutChanged, match=r"numbering breaks after 11 \(next numbered block: '13\. "):
        parse_pace_page(gap, url=URL)


def test_unrecognisable_heading_is_refused_not_guessed():
    url = "https://pace.coe.int/en/files/28585/html"
    edited = _html("rec_2170_current_early.html").replace(b">Recommendation 2170 (2020)<",
                                                          b">Recommendation 2170 (2020) (revised)<")
    with pytest.raises(LayoutChanged, match="closest block: 'Recommendation 2170 \\(2020\\) \\(revised"):
        parse_pace_page(edited, url=url)  # not the side panel's link to Resolution 2322 (2020)
    twice = _html(RENDERINGS[0]).replace(b">Reported cases of political prisoners in Azerbaijan</h1>",
                                         b">Resolution 2322 (2020)</h1>")
    with pytest.raises(LayoutChanged, match="without a title .*another type line"):
        parse_pace_page(twice, url=URL)
    untitled = _html(RENDERINGS[0]).replace(b">Reported cases of political prisoners in Azerbaijan</h1>",
                                            b"></h1>")
    with pytest.raises(LayoutChanged, match=r"without a title next to its type line \(https"):
        parse_pace_page(untitled, url=URL)


def test_an_opinion_without_calls_is_kept_with_a_warning():
    html = (b"<html><body><h1>Draft Protocol No. 99 to the Convention</h1><p>Opinion 300 (2021)</p>"
            b"<p>Text adopted by the Assembly on 1 March 2021 (9th Sitting).</p>"
            b"<p>1. The Assembly welcomes the draft protocol concerning Azerbaijan.</p></body></html>")
    parsed = parse_pace_page(html, url=URL)
    assert parsed.recommendations == [] and parsed.warnings[-1].endswith("nothing to track")


def test_state_override_and_undetermined_state():
    assert {r.state for r in _parse(RENDERINGS[0], state="Armenia").recommendations} == {"ARM"}
    html = _html(RENDERINGS[0]).replace(b"Azerbaijan", b"the country").replace(b"Azerbaijani ", b"")
    parsed = parse_pace_page(html, url=URL)
    assert parsed.recommendations == [] and "State not determined" in parsed.warnings[0]


# --- fetching and discovery --------------------------------------------------------------------

CHALLENGE = Scripted(403, _html("challenge.html"),
                     {"cf-mitigated": "challenge", "content-type": "text/html"})


def _legacy_path(fileid: int) -> str:
    """Path and query of the legacy page, as the server sees it."""
    return legacy_url(fileid, "")


def test_fetch_falls_back_to_the_legacy_site_when_challenged(source_server):
    source_server.route("/en/files/28584/html", CHALLENGE)
    source_server.route(_legacy_path(28584), Scripted(200, _html("res_2322_legacy.html"),
                                                      {"content-type": "text/html"}))
    base = source_server.base_url
    with _client() as client:
        body, url = fetch_pace_text(client, 28584, base=base, legacy_base=base)
    assert url == f"{base}/nw/xml/XRef/Xref-XML2HTML-en.asp?fileid=28584&lang=en"
    assert parse_pace_page(body, url=url).document.reference == "Resolution 2322 (2020)"
    assert [r.path for r in source_server.requests] == ["/en/files/28584/html", _legacy_path(28584)]
    assert source_server.requests[0].headers["User-Agent"] == "recwatch/test"


def test_fetch_prefers_the_current_site(source_server):
    source_server.route("/en/files/28584/html", Scripted(200, _html(RENDERINGS[0])))
    with _client() as client:
        body, url = fetch_pace_text(client, 28584, base=source_server.base_url,
                                    legacy_base=source_server.base_url)
    assert url == current_url(28584, source_server.base_url) and body == _html(RENDERINGS[0])
    assert len(source_server.requests) == 1


def test_fetch_accepts_a_real_html_page_carrying_cloudflare_page_script(source_server):
    html_type = {"content-type": "text/html; charset=utf-8"}
    source_server.route("/en/files/28584/html", Scripted(200, _html(RENDERINGS[0]), html_type))
    with _client() as client:
        _, url = fetch_pace_text(client, 28584, base=source_server.base_url,
                                 legacy_base=source_server.base_url)
    assert url == current_url(28584, source_server.base_url)


def test_fetch_falls_back_on_a_layout_failure(source_server):
    maintenance = b"<html><body>Maintenance</body></html>"
    source_server.route("/en/files/28584/html", Scripted(200, maintenance))
    source_server.route(_legacy_path(28584), Scripted(200, _html("res_2322_legacy.html")))
    with _client() as client:
        _, url = fetch_pace_text(client, 28584, base=source_server.base_url,
                                 legacy_base=source_server.base_url)
    assert "Xref-XML2HTML-en.asp" in url


def test_fetch_both_sites_challenged_is_source_blocked(source_server):
    source_server.route("/en/files/28584/html", CHALLENGE)
    source_server.route(_legacy_path(28584), Scripted(503, _html("challenge.html"),
                                                      {"content-type": "text/html"}))
    with _client() as client, pytest.raises(SourceBlocked, match="both sites") as caught:
        fetch_pace_text(client, 28584, base=source_server.base_url,
                        legacy_base=source_server.base_url)
    assert "/en/files/28584/html" in caught.value.reason and caught.value.url.endswith("lang=en")


def test_discover_fileids_from_links_in_the_page():
    parsed = _parse(RENDERINGS[0])
    assert discover_fileids(parsed) == {28320, 28585, 24688}
    assert discover_fileids(_html("res_2322_legacy.html")) == {28584, 28320}
    related = [x for x in parsed.links if x.role == "related"]
    assert related[0].key == "pace/AZE/res-2322-2020"
    assert related[0].url == "https://pace.coe.int/en/files/28320/html"
