"""Every request's database work is bounded in time, so no request outlives the worker.

gunicorn kills a worker whose request runs past its timeout (30 s by default) and answers with
its own bare 500, without the app's security headers or its error page. A request gets
QA_REQUEST_SECONDS (20) from its start: each transaction it begins is given what is left, as
PostgreSQL's `SET LOCAL statement_timeout` or, on SQLite, a progress handler that interrupts
the statement. A query past the budget ends with the app's own "this took too long" page
(503, with every header), the transaction rolled back. Work outside a request (the `flask`
commands, migrations) is not bounded. Uploads bound their own parsing before any query
(qa_app.imports.limits)."""

import time

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

STARTED = "request_started"
TOO_LONG = (
    "This page needed more work than the service can do in one go, so it stopped. Nothing "
    "you saved before has been lost. Choose a shorter period or fewer things at once, or try "
    "again later."
)
SQLITE_STEPS = 10_000  # virtual machine steps between looks at the clock (about a millisecond)


def seconds_left(app: Flask) -> float | None:
    """What is left of this request's budget, or None outside a request."""
    if not has_request_context() or STARTED not in g:
        return None
    return app.config["QA_REQUEST_SECONDS"] - (time.monotonic() - g.get(STARTED))


def ran_out(error: Exception) -> bool:
    """Whether a database error is this budget interrupting a statement."""
    if not isinstance(error, OperationalError) or not has_request_context():
        return False
    text = str(error.orig).lower()
    return "interrupted" in text or "statement timeout" in text


def init_app(app: Flask, engine) -> None:
    @app.before_request
    def _start_clock():
        g.setdefault(STARTED, time.monotonic())

    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "begin")
        def _sqlite_budget(connection):
            raw = connection.connection.dbapi_connection
            left = seconds_left(app)
            if left is None:
                raw.set_progress_handler(None, SQLITE_STEPS)
                return
            deadline = time.monotonic() + max(left, 0.0)
            raw.set_progress_handler(lambda: time.monotonic() > deadline, SQLITE_STEPS)

    elif engine.dialect.name == "postgresql":

        @event.listens_for(engine, "begin")
        def _postgresql_budget(connection):
            left = seconds_left(app)
            if left is not None:
                milliseconds = max(int(left * 1000), 1)
                connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds}")
