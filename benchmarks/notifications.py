"""One notification round over 10,000 due reminders: `python -m benchmarks.notifications
[--database-url URL] [--reminders N]` (run by `make bench`).

On a throw-away database (a temporary SQLite file; or an EMPTY database named by --database-url
or QA_BENCH_NOTIFY_DATABASE_URL, e.g. PostgreSQL, which it migrates and leaves filled), makes
N open audits with a due date, half overdue and half due within the reminder window, spread
over 200 auditors with email addresses, then times, counting every SQL statement sent to the
database (a before_cursor_execute listener; an executemany counts once):

1. a round with email off (QA_MAIL_CHANNEL=none): find the N reminders, write them to the
   outbox, mark them "not emailed" - the queries must not grow with N;
2. the same round again: nothing new is due;
3. delivering the N messages by SMTP to a real server on 127.0.0.1 (aiosmtpd), batches of
   QA_MAIL_BATCH over one connection each.
Every loop is bounded."""

import argparse
import os
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

from sqlalchemy import event, insert, select, update  # noqa: E402

from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
AUDITORS = 200


class Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        self.count += 1


@contextmanager
def counting(engine):
    counter = Counter()
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)


def fill(reminders: int) -> None:
    """N open audits due from 20 days ago to 2 days ahead, over AUDITORS auditors."""
    from qa_app.data.templates import store_library
    from qa_app.models import Audit, Case, Role, TemplateVersion, User, UserRole, utcnow
    from qa_app.rules.uk_time import uk_today
    from qa_app.templates_engine.validate import validate_path

    library, problems = validate_path(REPO / "audit_templates")
    assert not problems, problems
    store_library(library)
    version_id = db.session.scalar(select(TemplateVersion.id).limit(1))
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "username": f"bench.auditor{n}",
                "display_name": f"Bench auditor {n}",
                "email": f"bench.auditor{n}@council.example",
                "password_hash": "not-a-password",
                "password_changed_at": now,
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(AUDITORS)
        ],
    )
    users = list(db.session.scalars(select(User.id).order_by(User.id)))
    db.session.execute(
        insert(UserRole), [{"user_id": u, "role": Role.AUDITOR.value} for u in users]
    )
    db.session.execute(
        insert(Case),
        [
            {"case_reference": f"{70000000 + n}", "facts": {}, "created_at": now, "updated_at": now}
            for n in range(reminders)
        ],
    )
    cases = list(db.session.scalars(select(Case.id).order_by(Case.id)))
    today = uk_today()
    db.session.execute(
        insert(Audit),
        [
            {
                "case_id": case_id,
                "template_version_id": version_id,
                "auditor_id": users[n % len(users)],
                "status": "not_started",
                # half overdue (from 20 days ago), half due today or in the next 2 days
                "due_date": today - timedelta(days=1 + n % 20)
                if n % 2
                else today + timedelta(days=n % 3),
                "created_at": now,
                "updated_at": now,
            }
            for n, case_id in enumerate(cases)
        ],
    )
    db.session.commit()


def measure(app, reminders: int) -> None:
    from qa_app.models import EmailState, Notification
    from qa_app.services.notifications import channels
    from qa_app.services.notifications.rounds import Deliverer, Summary, run_round
    from qa_app.web.calendar import council_calendar
    from qa_app.web.messages import messages_for

    engine = db.engine
    calendar = council_calendar(app)
    none = {**app.config, "QA_MAIL_CHANNEL": "none"}
    deliverer = Deliverer(none, channels.NoChannel(), messages_for(app))
    for label in ("first round", "next round"):
        with counting(engine) as counter:
            start = time.perf_counter()
            summary = run_round(none, calendar, deliverer)
            took = time.perf_counter() - start
        written = sum(summary.written.values())
        print(
            f"notify {label:<12} {written:>6,} reminders written, {summary.not_sent:>6,} marked "
            f"not emailed: {took:6.2f} s, {counter.count} SQL statements"
        )

    try:
        from tests.services.notifications.servers import smtp_config, smtp_server
    except ImportError:  # aiosmtpd is a test dependency
        print("notify deliver: skipped (pip install -e '.[test]' for aiosmtpd)")
        return
    db.session.execute(update(Notification).values(email_state=EmailState.PENDING, email_note=""))
    db.session.commit()
    with smtp_server() as (port, inbox):
        config = smtp_config(app, port)
        smtp = Deliverer(config, channels.from_config(config), messages_for(app))
        summary = Summary()
        with counting(engine) as counter:
            start = time.perf_counter()
            smtp.deliver(summary)
            took = time.perf_counter() - start
    batches = -(-reminders // config["QA_MAIL_BATCH"])
    print(
        f"notify deliver     {summary.sent:>6,} emails by SMTP to aiosmtpd on 127.0.0.1 "
        f"({len(inbox.raw):,} received), batches of {config['QA_MAIL_BATCH']}: {took:6.2f} s "
        f"({summary.sent / took:,.0f}/s), {counter.count} SQL statements "
        f"({counter.count / batches:.1f} per batch)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("QA_BENCH_NOTIFY_DATABASE_URL"))
    parser.add_argument("--reminders", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'notify-bench.sqlite'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url})
        from flask_migrate import upgrade

        with app.app_context():
            upgrade()
            fill(args.reminders)
            print(f"notify on {db.engine.dialect.name}, {args.reminders:,} due reminders")
            measure(app, args.reminders)
            db.engine.dispose()


if __name__ == "__main__":
    main()
