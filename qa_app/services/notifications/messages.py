"""The wording of notifications, from files a council can edit: email_templates/<kind>.txt
(Jinja text: the first line is the subject, the rest the body) and email_templates/_email.txt
(what every email wraps the body in: greeting, link, footer). A file of the same name in the
council's folder (QA_EMAIL_TEMPLATES_DIR, by default instance/email_templates) replaces the
shipped one; if the council's file cannot be rendered, the shipped one is used and the error
logged, so a typo never stops an urgent message.

Templates run sandboxed and see only the notification's own small facts (no case free text
is ever stored with a notification) and the UK-time filters: uk_date ("7 December 2026"),
uk_datetime ("7 December 2026 at 14:05"), uk_time ("14:05"), and working_days ("1 working
day", "3 working days"). Pure: no Flask."""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from qa_app.config import PROJECT_ROOT
from qa_app.models.notifications import KINDS
from qa_app.rules.control_characters import writable
from qa_app.rules.uk_time import uk_clock, uk_date, uk_datetime

log = logging.getLogger(__name__)

SHIPPED = PROJECT_ROOT / "email_templates"
LAYOUT = "_email.txt"
SUBJECT_LIMIT = 200
FALLBACK_BODY = "Open it in the service to see what needs doing."


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def _moment(value):
    """ISO text (as stored in a notification's params) back to a date or datetime."""
    if isinstance(value, str):
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return value


def working_days(n) -> str:
    n = int(n or 0)
    return f"{n} working day" if n == 1 else f"{n} working days"


def _environment(folders: list[Path]) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader([str(f) for f in folders]),
        undefined=StrictUndefined,
        autoescape=False,  # plain text (email bodies, and the app escapes what it shows)
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["uk_date"] = lambda v: uk_date(_moment(v))
    env.filters["uk_datetime"] = lambda v: uk_datetime(_moment(v))
    env.filters["uk_time"] = lambda v: uk_clock(_moment(v))
    env.filters["working_days"] = working_days
    return env


def _subject(line: str) -> str:
    return re.sub(r"\s+", " ", writable(line)).strip()[:SUBJECT_LIMIT]


class Messages:
    """Renders notifications; one per process (the templates are read once and cached)."""

    def __init__(self, council_folder: str | Path | None = None):
        self._shipped = _environment([SHIPPED])
        own = Path(council_folder) if council_folder else None
        self._council = (
            _environment([own, SHIPPED]) if own is not None and own.is_dir() else self._shipped
        )

    def _render(self, name: str, context: dict) -> str:
        try:
            return self._council.get_template(name).render(**context)
        except TemplateError as error:
            if self._council is self._shipped:
                raise
            log.error(
                "The council's email template %s cannot be used (%s): shipped one used", name, error
            )
            return self._shipped.get_template(name).render(**context)

    def message(
        self,
        kind: str,
        params: dict,
        *,
        due_at: datetime | None = None,
        items: list[dict] | None = None,
        base_url: str = "",
    ) -> Message:
        """The subject and body of one notification. A digest lists its `items` (each with
        its own subject and absolute link)."""
        context = {"due_at": due_at, **params}
        if items is not None:
            context["items"] = [
                {
                    "subject": self.message(i["kind"], i["params"], due_at=i["due_at"]).subject,
                    "url": base_url + i["link"],
                }
                for i in items
            ]
        try:
            text = self._render(f"{kind}.txt", context).strip()
        except TemplateError as error:  # even the shipped file: never a broken page or round
            log.error("Notification of kind %s cannot be worded (%s)", kind, error)
            label = KINDS[kind].label if kind in KINDS else "A notification"
            return Message(_subject(label), FALLBACK_BODY)
        subject, _, body = text.partition("\n")
        return Message(_subject(subject), writable(body.strip()))

    def email(
        self,
        message: Message,
        *,
        name: str,
        url: str,
        preferences_url: str,
        urgent: bool,
        service_name: str,
        council_name: str,
    ) -> str:
        """The whole email body: the message in the council's layout, with the link."""
        return (
            self._render(
                LAYOUT,
                {
                    "name": name,
                    "body": message.body,
                    "url": url,
                    "preferences_url": preferences_url,
                    "urgent": urgent,
                    "service_name": service_name,
                    "council_name": council_name,
                },
            ).strip()
            + "\n"
        )
