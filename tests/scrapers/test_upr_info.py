"""UPR Info client against a fake Uwazi served over real HTTP on 127.0.0.1 (SOURCES.md §1):
templates and thesauri resolved by name, canary, per-State partitions, paging, the 10,000 cap,
the silent-empty trap, language header and cookie, shape errors; and JSON export reading."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from scrapers.errors import EmptyScrape, LayoutChanged, NotADocument
from scrapers.http import HttpPolicy, PoliteClient, _HostLimiter
from scrapers.records import Position
from scrapers.upr_info import (
    PartitionCapped,
    UnexpectedShape,
    UprInfoClient,
    parse_entity,
    parse_export,
)
from tests.fakes.uwazi import (
    FIXTURES,
    REC_T,
    SESSION,
    TEMPLATES,
    FakeUwazi,
    entity,
    start_fake_uwazi,
)


@pytest.fixture
def serve():
    servers: list = []

    def start(fake: FakeUwazi) -> str:
        server = start_fake_uwazi(fake)
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def polite():
    with PoliteClient(
        HttpPolicy(user_agent="recwatch/test", min_interval=0, backoff_base=0.01),
        sleep=lambda s: None,
        limiter=_HostLimiter(),
    ) as client:
        yield client


def recs(
    state: str, count: int, session: str = "44 - November 2023", start: int = 0, **kw: Any
) -> list[dict]:
    return [entity(start + i, state, session, **kw) for i in range(count)]


# --- harvesting ---------------------------------------------------------------------------------


def test_harvest_pages_one_state_and_sends_language_header_and_cookie(serve, polite):
    fake = FakeUwazi(recs("AZE", 5) + recs("SVN", 3, start=100))
    client = UprInfoClient(polite, serve(fake), page_size=2)
    result = client.harvest(["Azerbaijan"])
    assert [r.shared_id for r in result.records] == [f"rec{n:04d}" for n in range(5)]
    assert all(
        r.state_under_review == "AZE" and r.position is Position.SUPPORTED for r in result.records
    )
    assert result.canary_total == 10_000
    searches = [
        (q.get("from"), json.loads(q["filters"][0]) if "filters" in q else None)
        for p, q, _ in fake.requests
        if p == "/api/search" and json.loads(q["types"][0]) == [REC_T]
    ]
    aze = {"state_under_review": {"values": ["st-aze"]}}
    assert searches == [
        (["0"], None),
        (["0"], aze),
        (["2"], aze),
        (["4"], aze),
    ]  # canary, then 3 pages
    assert [p for p, _, _ in fake.requests][:2] == ["/api/templates", "/api/thesauris"]
    for _, query, headers in fake.requests:
        assert headers.get("Accept-Language") == "en"
        assert "locale=en" in headers.get("Cookie", "")
    assert result.partitions[0].total_rows == result.partitions[0].fetched == 5


def test_capped_partition_is_split_by_session(serve, polite):
    fake = FakeUwazi(
        recs("AZE", 4, "30 - May 2018") + recs("AZE", 4, "44 - November 2023", start=10), cap=5
    )
    result = UprInfoClient(polite, serve(fake), page_size=3).harvest(["AZE"])
    assert len(result.records) == 8
    assert {(p.session, p.total_rows) for p in result.partitions if p.total_rows} == {
        ("30 - May 2018", 4),
        ("44 - November 2023", 4),
    }
    assert any("split by session" in w for w in result.warnings)
    sessions = [
        json.loads(q["filters"][0]).get("session")
        for p, q, _ in fake.requests
        if p == "/api/search" and "filters" in q and "session" in q["filters"][0]
    ]
    assert {s["values"][0] for s in sessions} == set(SESSION.values())  # ids from the thesaurus


def test_session_still_at_the_cap_is_an_error_not_a_truncation(serve, polite):
    fake = FakeUwazi(recs("AZE", 6, "30 - May 2018"), cap=5)
    with pytest.raises(PartitionCapped, match="truncated"):
        UprInfoClient(polite, serve(fake)).harvest(["AZE"])


def test_three_response_values_and_an_unknown_one(serve, polite):
    data = (
        recs("KEN", 1)
        + recs("KEN", 1, start=1, response="Noted")
        + recs("KEN", 1, start=2, response="Not Supported")
        + recs("KEN", 1, start=3, response="Partially supported")
        + recs("KEN", 1, start=4, response=None)
    )
    result = UprInfoClient(polite, serve(FakeUwazi(data))).harvest(["KEN"])
    got = [(r.response_label, r.position) for r in result.records]
    assert got == [
        ("Supported", Position.SUPPORTED),
        ("Noted", Position.NOTED),
        ("Not Supported", Position.NOTED),
        ("Partially supported", None),
        (None, None),
    ]
    assert result.unknown_responses == {"Partially supported": 1}
    assert "unknown response label 'Partially supported'" in result.records[3].warnings[0]


def test_silent_empty_result_for_a_state_with_recommendations(serve, polite):
    fake = FakeUwazi(recs("AZE", 3), blind={"st-aze"})  # aggregation counts 3, the filter gives 0
    with pytest.raises(EmptyScrape, match="totalRows 0 for AZE"):
        UprInfoClient(polite, serve(fake)).harvest(["AZE"])
    quiet = FakeUwazi(recs("AZE", 3), blind={"st-svn"})
    assert (
        UprInfoClient(polite, serve(quiet)).harvest(["SVN"]).records == []
    )  # nothing known: legit empty
    with pytest.raises(EmptyScrape):
        UprInfoClient(polite, serve(quiet)).harvest(["SVN"], expect_nonempty=True)


def test_canary_failure_marks_the_source_broken(serve, polite):
    fake = FakeUwazi(recs("AZE", 3))
    fake.overrides["/api/search"] = (200, json.dumps({"rows": [], "totalRows": 0}).encode())
    with pytest.raises(EmptyScrape, match="canary"):
        UprInfoClient(polite, serve(fake)).harvest(["AZE"])


def test_ignored_filter_is_detected(serve, polite):
    fake = FakeUwazi(recs("AZE", 2) + recs("SVN", 2, start=10), ignore_filters=True)
    with pytest.raises(LayoutChanged, match="ignored the state_under_review filter"):
        UprInfoClient(polite, serve(fake)).harvest(["SVN"])


def test_missing_template_fails_loudly(serve, polite):
    fake = FakeUwazi(
        [],
        templates={"rows": [row for row in TEMPLATES["rows"] if row["name"] != "Recommendation"]},
    )
    with pytest.raises(LayoutChanged, match="no 'recommendation' template"):
        UprInfoClient(polite, serve(fake)).harvest(["AZE"])
    assert [p for p, _, _ in fake.requests] == [
        "/api/templates",
        "/api/thesauris",
    ]  # no search with a guessed id


@pytest.mark.parametrize(
    "body, field_name",
    [
        ({"rows": []}, "totalRows"),
        ({"totalRows": 3}, "rows"),
        (
            {
                "rows": [{"sharedId": "a", "metadata": {"response": {"label": "Supported"}}}],
                "totalRows": 1,
            },
            "metadata.response",
        ),
        (
            {"rows": [{"sharedId": "a", "metadata": ["not", "an", "object"]}], "totalRows": 1},
            "metadata",
        ),
    ],
)
def test_shape_errors_name_the_field(serve, polite, body, field_name):
    fake = FakeUwazi(recs("AZE", 1), filtered_answer=body)
    with pytest.raises(UnexpectedShape) as info:
        UprInfoClient(polite, serve(fake)).harvest(["AZE"])
    assert info.value.field == field_name and field_name in str(info.value)


def test_html_answer_is_a_layout_error(serve, polite):
    fake = FakeUwazi([])
    fake.overrides["/api/templates"] = (200, b"<html><body>maintenance</body></html>")
    with pytest.raises(LayoutChanged, match="expected JSON"):
        UprInfoClient(polite, serve(fake)).load_schema()


# --- records and exports ------------------------------------------------------------------------


def test_entity_fields_from_the_documented_shape():
    page = json.loads((FIXTURES / "search_page.json").read_text())
    record = parse_entity(page["rows"][0])
    assert record.shared_id == "x7k2m9q4p1"
    assert record.url == "https://upr-info-database.uwazi.io/entity/x7k2m9q4p1"
    assert (record.state_under_review, record.state_under_review_id) == ("AZE", "st-aze")
    assert record.recommending_states == ["NOR", "IRN"]
    assert record.recommending_states_raw == ["Norway", "Iran (Islamic Republic of)"]
    assert (record.response_label, record.position) == ("Supported", Position.SUPPORTED)
    assert record.themes == ["Right to life"] and record.action_category == "5 - Specific action"
    assert (record.session_number, record.session_month, record.cycle) == (44, "November 2023", 4)
    assert record.created_at.isoformat() == "2023-11-14T22:13:20+00:00"
    assert record.edited_at.isoformat() == "2024-03-09T16:00:00+00:00"
    reordered = dict(reversed(list(page["rows"][0]["metadata"].items())))
    assert (
        parse_entity({**page["rows"][0], "metadata": reordered}).metadata_hash
        == record.metadata_hash
    )
    edited = json.loads(json.dumps(page["rows"][0]))
    edited["metadata"]["response"][0]["label"] = "Noted"
    assert parse_entity(edited).metadata_hash != record.metadata_hash


def test_export_of_a_search_page():
    export = parse_export((FIXTURES / "search_page.json").read_bytes())
    records = export.records
    assert [r.position for r in records] == [
        Position.SUPPORTED,
        Position.NOTED,
        Position.NOTED,
        None,
    ]
    assert records[2].session_label == "Unknown session" and records[2].session_number is None
    assert records[2].cycle is None and records[2].warnings == []
    assert records[1].cycle == 3  # from the WG session (30) when no cycle label is given
    assert records[3].cycle == 1 and "Partially supported" in records[3].warnings[0]
    assert records[3].edited_at is None


def test_export_variants_and_errors():
    rows = json.loads((FIXTURES / "search_page.json").read_text())["rows"]
    assert len(parse_export(json.dumps(rows).encode()).records) == 4
    assert len(parse_export(gzip.compress(json.dumps({"rows": rows[:1]}).encode())).records) == 1
    state = {"sharedId": "st-aze", "title": "Azerbaijan", "metadata": {"regional_group": []}}
    export = parse_export(json.dumps([state, rows[0]]).encode())
    assert len(export.records) == 1 and "not a recommendation" in export.warnings[0]
    with pytest.raises(NotADocument):
        parse_export(b"<html></html>")
    with pytest.raises(UnexpectedShape, match="rows"):
        parse_export(b'{"rows": {"a": 1}}')
    broken = json.loads(json.dumps(rows[0]))
    broken["metadata"]["issues"] = "Right to life"
    with pytest.raises(UnexpectedShape) as info:
        parse_export(json.dumps([broken]).encode())
    assert info.value.field == "rows[0].metadata.issues"


def test_an_export_without_recommendations_is_the_silent_empty_trap():
    with pytest.raises(EmptyScrape) as caught:
        parse_export(json.dumps({"rows": [], "totalRows": 0}).encode())
    assert caught.value.reason.startswith(
        "UPR Info export holds no entity (totalRows 0): no recommendation found — a search with a "
        "stale or wrong filter id answers 200 with nothing")
    with pytest.raises(EmptyScrape, match=r"^UPR Info export holds no entity: "):
        parse_export(gzip.compress(b"[]"))
    state = {"sharedId": "st-aze", "title": "Azerbaijan", "metadata": {"regional_group": []}}
    with pytest.raises(EmptyScrape, match="holds 1 entities, none a recommendation"):
        parse_export(json.dumps([state]).encode())
    rows = json.loads((FIXTURES / "search_page.json").read_text())["rows"]
    page = parse_export(json.dumps({"rows": rows[:2], "totalRows": 254}).encode())
    assert len(page.records) == 2 and page.warnings == [
        "export holds 2 of totalRows 254: one page of a larger search"]


def test_seconds_instead_of_milliseconds_are_reported_not_guessed():
    rows = json.loads((FIXTURES / "search_page.json").read_text())["rows"]
    odd = {**rows[0], "creationDate": 1_700_000_000}
    record = parse_entity(odd)
    assert record.created_at is None and "not epoch milliseconds" in record.warnings[0]
