"""The sender process: outcomes come back with their keys, and it never outlives its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from service.config import Settings
from service.webhooks.process_sender import ProcessSender
from service.webhooks.sender import Inbox, Outgoing
from tests.service.webhooks.receiver import Reply

REPO = Path(__file__).resolve().parents[3]
SETTINGS = Settings(webhook_allowed_hosts="127.0.0.1", webhook_timeout=2, webhook_concurrency=4)


def _collect(inbox: Inbox, count: int) -> dict:
    got: dict = {}
    deadline = time.monotonic() + 20
    while len(got) < count and time.monotonic() < deadline:
        got.update(inbox.get(1.0))
    return got


def test_outcomes_come_back_with_their_keys(receiver):
    receiver.script = lambda req, seen: Reply(500) if req.path == "/bad" else Reply()
    with ProcessSender(SETTINGS) as sender:
        inbox: Inbox[str] = Inbox()
        sender.dispatch([("good", Outgoing(receiver.url("/good"), b"{}", {})),
                         ("bad", Outgoing(receiver.url("/bad"), b"{}", {})),
                         ("private", Outgoing("http://10.0.0.1/", b"{}", {}))], inbox)
        got = _collect(inbox, 3)
    assert got["good"].ok and got["bad"].http_status == 500
    assert got["private"].error.startswith("refused:") and "10.0.0.1" in got["private"].error


def _gone(pid: int) -> bool:
    try:
        return "zombie" in Path(f"/proc/{pid}/status").read_text() or False
    except FileNotFoundError:
        return True


def test_the_child_exits_when_its_parent_is_killed():
    code = ("from tests.service.webhooks.test_process_sender import SETTINGS\n"
            "from service.webhooks.process_sender import ProcessSender\n"
            "import time\n"
            "if __name__ == '__main__':\n"
            "    s = ProcessSender(SETTINGS)\n"
            "    print(s._process.pid, flush=True)\n"
            "    time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert not _gone(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 15
    while not _gone(child):
        assert time.monotonic() < deadline, "the sender process outlived its parent"
        time.sleep(0.1)


def test_a_dead_child_reports_what_was_outstanding_as_failed_attempts(receiver):
    import threading

    hold = threading.Event()
    receiver.script = lambda req, seen: Reply(hold=hold)
    sender = ProcessSender(SETTINGS)
    try:
        inbox: Inbox[str] = Inbox()
        sender.dispatch([("held", Outgoing(receiver.url(), b"{}", {}))], inbox)
        receiver.wait_for(1)
        os.kill(sender._process.pid, signal.SIGKILL)
        got = _collect(inbox, 1)
        assert got["held"].sent and not got["held"].ok  # an attempt whose fate is unknown
        assert "may or may not have arrived" in got["held"].error
        assert not sender.alive
    finally:
        hold.set()
        sender.close()
