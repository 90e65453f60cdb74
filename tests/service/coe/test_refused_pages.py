"""PACE pages that must be refused, through the real `recwatch` command: a page cut in transit,
a page whose text stops before its operative part, a page whose heading was edited. Each used to
import partly or nothing with "run ok"; now the run fails with the parser's reason, the command
exits non-zero and nothing stored changes. Pages that are legitimately without calls (a rejected
draft, a Committee of Ministers reply) still import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scrapers.pace_damaged import DAMAGED
from tests.service.dbdump import dump
from tests.service.test_cli import recwatch

PACE = Path(__file__).resolve().parents[2] / "fixtures" / "pace"
REFUSED = {
    "res_2322_truncated.html":
        "PACE Resolution 2322 (2020): the page ends without its closing </body> and </html> tags",
    "res_2322_cut_before_operative.html":
        "PACE Resolution 2322 (2020): no operative paragraph found",
    "res_2322_title_edited.html":
        "PACE page without a type line ('Resolution NNNN (YYYY)' or '<type> | Doc. NNNNN | <date>'); "
        "closest block: 'Resolution 2322 (2020) \u2013 Reported cases",
}


@pytest.mark.parametrize("name", REFUSED)
def test_import_of_an_incomplete_page_fails_with_the_reason_and_changes_nothing(settings, engine, client,
                                                                                tmp_path, name):
    stored = recwatch(settings, "import", str(PACE / "rec_2170_current_early.html"), "--source", "pace")
    assert stored.returncode == 0, stored.stderr
    before = dump(engine)
    saved = tmp_path / "truncated.html"
    saved.write_bytes(DAMAGED[name]())
    res = recwatch(settings, "import", str(saved), "--source", "pace")
    assert res.returncode == 1, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{saved}: {REFUSED[name]}"), res.stderr
    assert lines[0].endswith("failed)") and "inserted" not in res.stderr
    assert dump(engine) == before
    runs = client.get("/api/v1/runs", params={"source": "pace"}).json()["items"]
    assert [r["outcome"] for r in runs] == ["failed", "ok"]
    assert [(e["class"], e["message"].startswith(REFUSED[name])) for e in runs[0]["errors"]] == [
        ("LayoutChanged", True)]


@pytest.mark.parametrize("name", REFUSED)
def test_parse_of_an_incomplete_page_prints_nothing_and_fails_with_the_reason(settings, tmp_path, name):
    saved = tmp_path / name
    saved.write_bytes(DAMAGED[name]())
    res = recwatch(settings, "parse", str(saved))
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.startswith(f"{saved}: {REFUSED[name]}"), res.stderr


@pytest.mark.parametrize("first,name,references", [
    (None, "doc_13079_rejected_legacy.html", {"Doc. 13079"}),
    ("rec_2170_current_early.html", "reply_2170_current_later.html",
     {"Recommendation 2170 (2020)", "Doc. 15149"}),
])
def test_pages_without_calls_of_their_own_still_import(settings, client, first, name, references):
    if first:  # a CM reply attaches to the Recommendation it answers
        assert recwatch(settings, "import", str(PACE / first), "--source", "pace").returncode == 0
    res = recwatch(settings, "import", str(PACE / name), "--source", "pace")
    assert res.returncode == 0, res.stderr
    assert f"{PACE / name}: run " in res.stderr and " ok — 0 inserted" in res.stderr, res.stderr
    docs = client.get("/api/v1/documents", params={"mechanism": "pace"}).json()["items"]
    assert {d["reference"] for d in docs} == references
    assert client.get("/api/v1/runs", params={"source": "pace"}).json()["items"][0]["outcome"] == "ok"
