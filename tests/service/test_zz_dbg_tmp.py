from tests.service.test_cli import recwatch
def test_dbg(settings, client):
    recwatch(settings, "demo")
    r = client.get("/api/v1/recommendations", params={"state": "XSA"})
    print("STATUS", r.status_code, r.text[:500])
