"""Servers the notification tests deliver to, on 127.0.0.1 only: a real SMTP server
(aiosmtpd), and an HTTP server standing in for GOV.UK Notify that records the requests its
official client sends. Both keep what they received for the test to check."""

import json
import threading
import time
from contextlib import contextmanager
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

from tests.support.live_server import free_port


class Inbox:
    """The aiosmtpd handler: every message accepted, parsed; addresses in `refuse` are
    refused at RCPT TO with a 550 (a permanent failure); `delay` slows each message."""

    def __init__(self, refuse=(), delay: float = 0.0):
        self.raw: list[bytes] = []
        self.refuse = set(refuse)
        self.delay = delay
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # the relay is slow: schedulers overlap
        with self._lock:
            self.raw.append(envelope.content)
        return "250 Message accepted for delivery"

    def parsed(self) -> list:
        """What arrived, parsed (on demand: the benchmark only counts). A method, not a
        property: aiosmtpd looks through its handler's attributes on every connection."""
        with self._lock:
            raw = list(self.raw)
        return [message_from_bytes(content, policy=policy.default) for content in raw]

    def by_recipient(self, address: str) -> list:
        return [m for m in self.parsed() if m["To"] == address]


@contextmanager
def smtp_server(port: int | None = None, **inbox_options):
    """A real SMTP server on 127.0.0.1 (no TLS: QA_SMTP_TLS=none), stopped afterwards."""
    inbox = Inbox(**inbox_options)
    controller = Controller(inbox, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def smtp_config(app, port: int, **more) -> dict:
    return {
        **app.config,
        "QA_MAIL_CHANNEL": "smtp",
        "QA_SMTP_HOST": "127.0.0.1",
        "QA_SMTP_PORT": port,
        "QA_SMTP_TLS": "none",
        "QA_SMTP_TIMEOUT": 5,
        "QA_MAIL_FROM": "practice-qa@council.example",
        "QA_BASE_URL": "https://qa.council.example",
        **more,
    }


class NotifyRecorder(BaseHTTPRequestHandler):
    """Answers POST /v2/notifications/email as Notify does (201 and a JSON body), or with
    the status the test sets; records each request's path, headers and JSON body."""

    def do_POST(self):  # noqa: N802  (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        server = self.server
        server.requests.append(
            {"path": self.path, "headers": dict(self.headers), "json": json.loads(body or b"{}")}
        )
        status, answer = server.answer
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):  # quiet
        pass


NOTIFY_CREATED = {
    "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
    "reference": None,
    "content": {"subject": "s", "body": "b", "from_email": "qa@notifications.service.gov.uk"},
    "uri": "https://api.notifications.service.gov.uk/v2/notifications/740e5834",
    "template": {"id": "f33517ff-2a88-4f6e-b855-c550268ce08a", "version": 1, "uri": "x"},
}


@contextmanager
def notify_server(status: int = 201, answer: dict | None = None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotifyRecorder)
    server.requests = []
    server.answer = (status, answer if answer is not None else NOTIFY_CREATED)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
