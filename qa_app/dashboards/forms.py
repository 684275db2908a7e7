"""The findings filter form: a GET form whose fields are the URL arguments `Filters` reads
(`from`, `to`, `cycle`, `template`, `team`, `locality`, `auditor`), so a filtered view is a
link that can be bookmarked or shared. `Filters.from_args` validates; this module supplies
the choices and says in words what a set of filters covers."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from qa_app.data.cycle_assignment import list_auditors
from qa_app.extensions import db
from qa_app.findings import present
from qa_app.findings.filters import Filters
from qa_app.models import AuditCycle, AuditTemplate, Locality, Team
from qa_app.rules.uk_time import uk_date

FIELD_IDS = {
    "from": "filter-from",
    "to": "filter-to",
    "cycle": "filter-cycle",
    "template": "filter-template",
    "team": "filter-team",
    "locality": "filter-locality",
    "auditor": "filter-auditor",
}
LISTS = {
    "template": "templates",
    "cycle": "cycles",
    "team": "teams",
    "locality": "localities",
    "auditor": "auditors",
}


def day(d: date) -> str:
    """A day as every page writes one: "7 December 2026"."""
    return uk_date(d)


@dataclass
class FilterForm:
    """What the filter form shows: the values as typed, the choices, and a message per field
    that could not be read."""

    args: dict[str, str]
    errors: dict[str, str]
    with_auditor: bool
    months: bool = False  # the period as whole months (readers below the internal tier)
    templates: list[tuple[str, str]] = field(default_factory=list)
    cycles: list[tuple[str, str]] = field(default_factory=list)
    teams: list[tuple[str, str]] = field(default_factory=list)
    localities: list[tuple[str, str]] = field(default_factory=list)
    auditors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def load(
        cls, args: dict[str, str], errors: dict[str, str], *, with_auditor: bool, months=False
    ):
        """The form with its choices: one small query per list."""
        form = cls(args=args, errors=errors, with_auditor=with_auditor, months=months)
        form.templates = [
            (key, name)
            for key, name in db.session.execute(
                select(AuditTemplate.key, AuditTemplate.name).order_by(AuditTemplate.name)
            )
        ]
        form.cycles = [
            (str(i), name)
            for i, name in db.session.execute(
                select(AuditCycle.id, AuditCycle.name).order_by(
                    AuditCycle.period_start.desc(), AuditCycle.name
                )
            )
        ]
        form.teams = [
            (str(i), name)
            for i, name in db.session.execute(select(Team.id, Team.name).order_by(Team.name))
        ]
        form.localities = [
            (str(i), name)
            for i, name in db.session.execute(
                select(Locality.id, Locality.name).order_by(Locality.name)
            )
        ]
        if with_auditor:
            form.auditors = [(str(u.id), u.display_name) for u in list_auditors()]
        return form

    def items(self, name: str, everything: str) -> list[dict]:
        """govukSelect items for one list, the current value selected."""
        current = self.args.get(name, "")
        choices = getattr(self, LISTS[name])
        out = [{"value": "", "text": everything}]
        out += [{"value": v, "text": t, "selected": v == current} for v, t in choices]
        return out

    def error_list(self) -> list[dict]:
        order = list(FIELD_IDS)
        return [
            {"text": self.errors[name], "href": "#" + FIELD_IDS[name]}
            for name in sorted(self.errors, key=lambda n: order.index(n) if n in order else 99)
            if name in FIELD_IDS
        ]

    def name_of(self, name: str, value) -> str | None:
        if value is None:
            return None
        return dict(getattr(self, LISTS[name])).get(str(value), f"not on the list ({value})")

    def describe(self, f: Filters, *, dated: str = "completed") -> str:
        """The filters in words: 'completed 1 Dec 2025 – 30 Nov 2026, in team MASH'."""
        parts = [period_words(f, dated)]
        if f.cycle_id:
            parts.append(f"in the cycle {self.name_of('cycle', f.cycle_id)}")
        if f.team_id:
            parts.append(f"in the team {self.name_of('team', f.team_id)}")
        if f.locality_id:
            parts.append(f"in the locality {self.name_of('locality', f.locality_id)}")
        if f.auditor_id and self.with_auditor:
            parts.append(f"audited by {self.name_of('auditor', f.auditor_id)}")
        return ", ".join(p for p in parts if p)


def period_words(f: Filters, dated: str = "completed") -> str:
    if f.date_from and f.date_to:
        return f"{dated} {present.period_text(f.date_from, f.date_to)}"
    if f.date_from:
        return f"{dated} on or after {day(f.date_from)}"
    if f.date_to:
        return f"{dated} on or before {day(f.date_to)}"
    return f"{dated} at any time"
