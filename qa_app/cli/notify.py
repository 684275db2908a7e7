"""`flask --app qa_app qa notify`: one notification round (find what is due, write the outbox,
deliver what is pending), or one every --every seconds. `make run` runs it every minute beside
the web server; production runs it from cron or a systemd timer (docs/deployment.md)."""

import itertools
import logging
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from qa_app.extensions import db
from qa_app.models import Role
from qa_app.services.notifications import channels
from qa_app.services.notifications.rounds import Deliverer, run_round
from qa_app.web.calendar import council_calendar
from qa_app.web.messages import messages_for

log = logging.getLogger(__name__)


@click.command("notify")
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=None,
    help="Keep going: a round every this many seconds (until stopped).",
)
@click.option(
    "--rounds",
    type=click.IntRange(min=1),
    default=None,
    help="With --every: stop after this many rounds.",
)
@with_appcontext
def notify(every: int | None, rounds: int | None):
    """Find the reminders that have come due, write them to the outbox and send what is
    waiting, by the channel QA_MAIL_CHANNEL names (none: shown in the app only). Prints one
    line per round. Several servers may run this at once: each message is sent once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a LocalProxy, typed as Flask
    try:
        channel = channels.from_config(app.config)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    escalate = [r.strip() for r in app.config["QA_CONCERN_ESCALATE_TO"].split(",") if r.strip()]
    unknown = sorted(set(escalate) - {r.value for r in Role})
    if unknown:
        raise click.UsageError(
            f"QA_CONCERN_ESCALATE_TO names no role called {', '.join(unknown)}: use role names "
            f"from {', '.join(r.value for r in Role)}"
        )
    deliverer = Deliverer(app.config, channel, messages_for(app))
    calendar = council_calendar(app)
    count = itertools.count(1) if rounds is None or every is None else range(1, rounds + 1)
    for n in count:
        try:
            summary = run_round(app.config, calendar, deliverer)
        except Exception as error:  # a round that fails (database away) must not end the loop
            db.session.rollback()
            if every is None:
                raise
            log.exception("Notification round failed")
            click.echo(f"Notification round failed: {type(error).__name__}: {error}", err=True)
        else:
            click.echo(summary.line())
        finally:
            db.session.remove()
        if every is None:
            break
        if rounds is None or n < rounds:
            time.sleep(every)


def register(group: click.Group) -> None:
    group.add_command(notify)
