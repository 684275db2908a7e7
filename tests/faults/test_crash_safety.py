"""Crash safety: auditors save audit sections continuously through the real server (gunicorn,
2 workers, on 127.0.0.1, against the test database, SQLite or PostgreSQL), and the server is
killed with SIGKILL mid-stream, several times. After each kill, every save the server
acknowledged is stored, and no audit is half-written: a section's answers all come from one
save, the change log holds one entry per version, each following on from the one before, and
the audit's lock_version is the last of them. After the last restart, the pages show what is
stored."""

import http.client
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
from pathlib import Path

import pytest
from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import Answer, Audit, ChangeLogEntry, Role
from tests.audits.factory import make_audit
from tests.audits.filling import page_version
from tests.audits.test_concurrent_saves import Browser
from tests.helpers import CSRF_RE, PASSWORD
from tests.support.live_server import free_port

ROUNDS = 3
WRITERS = 4  # one auditor's browser tabs, each saving its own audit
SECTION = "impact_and_summary"  # cin_plan: four free-text questions, nothing else needed
KILL_AFTER = (0.1, 0.8)  # seconds, once every tab has had a save acknowledged in the round
BOOT_SECONDS = 60
SAVE_RE = re.compile(r"^Save (\d+) of writer (\d+): ")


class KillableServer:
    """gunicorn in its own process group, so that SIGKILL takes the master and its workers
    at once, as a power cut or the OOM killer would."""

    def __init__(self, database_url: str, secret_key: str, log: Path):
        self.log = log  # the server's error output, for the failure messages
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {"QA_DATABASE_URL": database_url, "QA_SECRET_KEY": secret_key}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{self.port}"]
        # The app is imported once, before the workers fork: the boots after each kill are
        # quicker. No control socket: its default path is shared by every gunicorn.
        command += ["--preload", "--no-control-socket"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "qa_app:create_app()"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + BOOT_SECONDS  # a loaded machine boots workers slowly
        while True:
            try:
                status, _ = Browser(self.base).request("/sign-in")
                if status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass  # refused, reset or timed out while the workers boot
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited while starting:\n{self.tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start within {BOOT_SECONDS} s:\n{self.tail()}")
            time.sleep(0.1)

    def tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""

    def kill(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process = None


class Tab(Browser):
    """A browser tab that also keeps where the server's last answer redirected to."""

    location: str | None = None

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                self.location = response.headers.get("Location")
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            self.location = error.headers.get("Location")
            return error.code, error.read().decode()


class Ledger:
    """What one writer has sent to the server for its audit, across rounds: the last save
    number, the saves acknowledged (a redirect: committed at the next version) and the saves
    whose answer never came (committed whole or not at all: either is allowed, half is not)."""

    def __init__(self, number: int, audit_id: int, questions: list[str]):
        self.number, self.audit_id, self.questions = number, audit_id, questions
        self.path = f"/audits/{audit_id}/sections/{SECTION}"
        self.saved = f"/audits/{audit_id}/themes"  # where a save of the last section leads
        self.save = 0
        self.acknowledged: list[tuple[int, int]] = []  # (save number, version it made)
        self.in_flight: list[int] = []
        self.unexpected: list[str] = []

    def values(self, save: int) -> dict[str, str]:
        return {
            f"q__{key}": f"Save {save} of writer {self.number}: {key}, " + "evidence " * 40
            for key in self.questions
        }


class Writer(threading.Thread):
    """Saves one audit's section over and over, as fast as the server answers: each save
    gives every question a new value naming the save, sent with the version the page was at."""

    def __init__(self, ledger: Ledger, base: str, jar):
        super().__init__(daemon=True)
        self.ledger, self.browser = ledger, Tab(base, jar)
        self.stop = threading.Event()

    def run(self) -> None:
        ledger, version, token = self.ledger, None, None
        while not self.stop.is_set():
            try:
                if version is None:  # (re)load the page: after a crash the version is unknown
                    status, html = self.browser.request(ledger.path)
                    if status != 200:
                        ledger.unexpected.append(f"GET {ledger.path}: {status}")
                        return
                    version, token = int(page_version(html)), CSRF_RE.search(html).group(1)
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)  # the server is down: wait for it
                continue
            ledger.save += 1
            data = {"csrf_token": token, "lock_version": version, "action": "continue"}
            try:
                status, body = self.browser.request(ledger.path, data | ledger.values(ledger.save))
            except (OSError, http.client.HTTPException):
                ledger.in_flight.append(ledger.save)
                version = None
                time.sleep(0.05)
                continue
            if status == 302 and (self.browser.location or "").endswith(ledger.saved):
                version += 1
                ledger.acknowledged.append((ledger.save, version))
            else:
                where = self.browser.location
                ledger.unexpected.append(f"save {ledger.save}: {status} to {where} {body[:300]}")
                return


def save_number(text: str | None, writer: int) -> int:
    match = SAVE_RE.match(text or "")
    assert match and int(match.group(2)) == writer, f"not a save of writer {writer}: {text!r}"
    return int(match.group(1))


def check_audit(writer: Ledger, start_version: int) -> int:
    """Assert the audit is whole and holds every acknowledged save; return its version."""
    fields = {f"q__{key}": key for key in writer.questions}
    audit = db.session.get(Audit, writer.audit_id)
    stored = dict(
        db.session.execute(
            select(Answer.question_key, Answer.value_text).where(Answer.audit_id == writer.audit_id)
        ).all()
    )
    entries = db.session.scalars(
        select(ChangeLogEntry)
        .where(
            ChangeLogEntry.entity_type == "audit",
            ChangeLogEntry.entity_id == str(writer.audit_id),
            ChangeLogEntry.action == "section_saved",
        )
        .order_by(ChangeLogEntry.id)
    ).all()
    who = f"audit {writer.audit_id} (writer {writer.number})"

    # The change log and the version agree: one entry per version, none missing or extra.
    versions = [e.changes["version"] for e in entries]
    assert versions == list(range(start_version + 1, audit.lock_version + 1)), who
    # Each logged save changed every question to that save's values, following on from the
    # previous save: no save was partly applied, none overwrote another unseen.
    previous: dict[str, str | None] = dict.fromkeys(fields)
    saves = []
    for entry in entries:
        changed = entry.changes["fields"]
        assert set(changed) == set(fields), f"{who}: save at v{entry.changes['version']}"
        numbers = {save_number(new, writer.number) for _, new in changed.values()}
        assert len(numbers) == 1, f"{who}: one logged save mixes saves {numbers}"
        assert {f: old for f, (old, _) in changed.items()} == previous, who
        previous = {f: new for f, (_, new) in changed.items()}
        saves.append(numbers.pop())
    # The answers are all-or-nothing: all from the last logged save, or none at all.
    if not entries:
        assert stored == {}, f"{who}: answers stored with no save logged"
    else:
        assert stored == {key: previous[f] for f, key in fields.items()}, who
    # Every acknowledged save is there, at the version the server said it made.
    logged = dict(zip(versions, saves, strict=True))
    for save, version in writer.acknowledged:
        assert logged.get(version) == save, f"{who}: acknowledged save {save} (v{version}) lost"
    # Saves whose answer never came committed or not, whole: only those may be unaccounted.
    unaccounted = set(saves) - {s for s, _ in writer.acknowledged}
    assert unaccounted <= set(writer.in_flight), f"{who}: saves {unaccounted} never sent"
    return audit.lock_version


def sign_in(server: KillableServer, username: str):
    browser = Browser(server.base)
    _, page = browser.request("/sign-in")
    token = CSRF_RE.search(page).group(1)
    status, _ = browser.request(
        "/sign-in", {"csrf_token": token, "username": username, "password": PASSWORD}
    )
    assert status == 302, server.tail()
    # One page first, so the session holds its CSRF secret before the tabs load theirs at once
    # (each would otherwise make its own, and all but the last would be refused).
    assert browser.request("/audits/mine")[0] == 200
    return browser.jar


def test_acknowledged_saves_survive_sigkill_of_the_server_and_no_audit_is_half_written(
    app, database_url, make_user, loaded_templates, tmp_path
):
    auditor = make_user(Role.AUDITOR, username="crash.writer")
    audits = [
        make_audit("cin_plan", auditor=auditor, reference=f"5550000{i}") for i in range(WRITERS)
    ]
    content = audits[0].template_version.content
    section = next(s for s in content["template"]["sections"] if s["key"] == SECTION)
    questions = [q["key"] for q in section["questions"] if q["type"] == "text"]
    assert len(questions) >= 2 and not section["graded"]
    starts = {a.id: a.lock_version for a in audits}
    ledgers = [Ledger(n, audit.id, questions) for n, audit in enumerate(audits)]
    get_settings()
    db.session.commit()  # everything the server needs is stored; the test holds no lock
    # From here the test reads the database only while the server is down (or, at the end,
    # after the pages are fetched): on SQLite a read outside a request takes the write lock.

    server = KillableServer(database_url, app.config["SECRET_KEY"], tmp_path / "gunicorn.log")
    rng = random.Random(7)
    writers: list[Writer] = []
    try:
        for round_number in range(1, ROUNDS + 1):
            server.start()
            if round_number == 1:  # the session is stored: it outlives the crashes
                jar = sign_in(server, "crash.writer")
            before = [len(ledger.acknowledged) for ledger in ledgers]
            writers = [Writer(ledger, server.base, jar) for ledger in ledgers]
            for writer in writers:
                writer.start()
            # Saves under way on every tab (bounded: a loaded machine answers slowly), then a
            # random moment later the kill.
            deadline = time.monotonic() + 30
            while not all(ledger.acknowledged[before[n] :] for n, ledger in enumerate(ledgers)):
                assert time.monotonic() < deadline, f"round {round_number}: saves too slow"
                assert all(w.is_alive() for w in writers), [x.unexpected for x in ledgers]
                time.sleep(0.05)
            time.sleep(rng.uniform(*KILL_AFTER))
            server.kill()  # mid-stream: every writer has a save on its way
            for writer in writers:
                writer.stop.set()
            for writer in writers:
                writer.join(timeout=30)
                assert not writer.is_alive(), f"writer {writer.ledger.number} did not stop"
            for ledger in ledgers:
                assert ledger.unexpected == [], f"{ledger.unexpected}\n{server.tail()}"

            db.session.expire_all()
            for ledger in ledgers:
                check_audit(ledger, starts[ledger.audit_id])
            db.session.commit()
        assert any(ledger.in_flight for ledger in ledgers), "no kill caught a save mid-request"

        # After the last restart, the server reads back exactly what is stored.
        server.start()
        browser = Browser(server.base, jar)
        pages = {ledger.audit_id: browser.request(ledger.path) for ledger in ledgers}
        for audit_id, (status, html) in pages.items():
            assert status == 200
            assert int(page_version(html)) == db.session.get(Audit, audit_id).lock_version
            for text in db.session.scalars(
                select(Answer.value_text).where(Answer.audit_id == audit_id)
            ):
                assert text.split(",")[0] in html
        db.session.commit()
    finally:
        for writer in writers:
            writer.stop.set()
        server.kill()
