"""SSRF guard: refused at creation with a clear message, and again at delivery when DNS changes."""

from __future__ import annotations

import socket

import pytest

from service.config import Settings
from service.webhooks.delivery import deliver_due
from service.webhooks.ssrf import AddressRefused, vet_url
from service.webhooks.worker import fan_out_all
from tests.service.webhooks.conftest import add_event, build_client, deliveries, subscribe


@pytest.fixture
def strict_client(settings: Settings, engine):  # type: ignore[no-untyped-def]
    """The API with no allow-list at all, as in production."""
    with build_client(settings.model_copy(update={"webhook_allowed_hosts": ""}), engine) as c:
        yield c


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Names the test controls; everything else resolves as usual."""
    table: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host in table:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


@pytest.mark.parametrize(("url", "says"), [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
    ("http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address"),
    ("http://10.0.0.1/hook", "10.0.0.1 is a private address"),
    ("http://localhost/hook", "localhost resolves to 127.0.0.1, which is a loopback address"),
    ("http://127.0.0.1:8000/", "127.0.0.1 is a loopback address"),
    ("http://[::1]/", "::1 is a loopback address"),
    ("http://0x7f.1/", "resolves to 127.0.0.1"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[::ffff:192.168.1.1]/", "private"),
    ("ftp://files.example.org/hook", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("hooks.example.org/x", "only http and https"),
])
def test_creation_refuses_non_public_targets(strict_client, auth, url, says):
    res = strict_client.post("/api/v1/subscriptions", json={"url": url}, headers=auth)
    assert res.status_code == 422, res.text
    error = res.json()["error"]
    assert error["code"] == "url_refused" and says in error["message"], error


def test_a_name_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.0.10", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(AddressRefused, match="192.168.0.10"):
        vet_url("https://mixed.example.org/", [])
    assert vet_url("https://mixed.example.org/", ["192.168.0.0/16"])


def test_allow_list_takes_hosts_and_ranges(fake_dns):
    fake_dns["hooks.internal"] = "10.1.2.3"
    with pytest.raises(AddressRefused):
        vet_url("http://hooks.internal/", [])
    assert vet_url("http://hooks.internal/", ["hooks.internal"])
    assert vet_url("http://hooks.internal/", ["10.0.0.0/8"])
    assert vet_url("http://127.0.0.1:8080/", ["127.0.0.1"])


def test_public_address_is_accepted(strict_client, auth, fake_dns):
    fake_dns["hooks.example.org"] = "93.184.216.34"
    res = strict_client.post("/api/v1/subscriptions", json={"url": "https://hooks.example.org/x"},
                             headers=auth)
    assert res.status_code == 201, res.text


def test_update_to_a_private_url_is_refused(strict_client, auth, fake_dns):
    fake_dns["hooks.example.org"] = "93.184.216.34"
    sub = strict_client.post("/api/v1/subscriptions", json={"url": "https://hooks.example.org/x"},
                             headers=auth).json()
    res = strict_client.patch(f"/api/v1/subscriptions/{sub['id']}", json={"url": "http://10.9.9.9/"},
                              headers=auth)
    assert res.status_code == 422 and "10.9.9.9" in res.json()["error"]["message"]


def test_host_that_later_resolves_privately_is_refused_at_delivery(engine, settings, fake_dns,
                                                                  receiver, sender):
    fake_dns["hooks.example.org"] = "93.184.216.34"
    vet_url("http://hooks.example.org/", settings.webhook_allowed)  # fine at creation
    port = receiver.server.server_address[1]
    sub_id, _ = subscribe(engine, f"http://hooks.example.org:{port}/hook")
    fake_dns["hooks.example.org"] = "10.0.0.7"  # DNS now points inside
    add_event(engine)
    fan_out_all(engine, settings)
    assert deliver_due(engine, settings, client=sender) == 1
    (d,) = deliveries(engine, sub_id)
    assert d.status == "pending" and d.last_http_status is None
    assert d.last_error.startswith("refused:") and "10.0.0.7" in d.last_error
    assert receiver.requests == []


def test_delivery_connects_only_to_the_vetted_address(engine, settings, fake_dns, receiver, sender):
    """A name that resolves to an allowed address is called on that address, Host kept."""
    fake_dns["hooks.example.org"] = "127.0.0.1"  # allowed by the test settings
    port = receiver.server.server_address[1]
    sub_id, secret = subscribe(engine, f"http://hooks.example.org:{port}/hook")
    receiver.secrets = [secret]
    add_event(engine)
    fan_out_all(engine, settings)
    deliver_due(engine, settings, client=sender)
    (req,) = receiver.requests
    assert req.headers["host"] == f"hooks.example.org:{port}"
    assert deliveries(engine, sub_id)[0].status == "succeeded"
