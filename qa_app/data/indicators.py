"""Performance indicators' definitions in the database: checked, created and changed with the
change logged. Their values month by month, the commentary and the scorecard's rows are in
qa_app.data.indicator_values. Every write here commits."""

import math
import re
from typing import Any

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.data import indicator_scorecard as scorecard
from qa_app.data.indicator_areas import AREAS
from qa_app.extensions import db
from qa_app.models import Indicator, User

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,29}$")
YEAR_RE = re.compile(r"^\d{4}(-\d{2})?$")  # "2024" or "2024-25"
NAME_MAX = 200
GOOD_MAX = 1000
DEFINITION_MAX = 3000
SOURCE_MAX = 150
FIELDS = (
    "code",
    "name",
    "unit",
    "better",
    "target",
    "tolerance",
    "comparators",
    "good_looks_like",
    "definition",
    "area",
    "adds_up",
    "demand",
    "position",
    "active",
)


class IndicatorError(ValueError):
    """Input a definition cannot take. `problems` lists (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


# ---- definitions ------------------------------------------------------------------------------


def list_indicators(active_only: bool = False) -> list[Indicator]:
    stmt = select(Indicator).order_by(Indicator.position, Indicator.code)
    if active_only:
        stmt = stmt.where(Indicator.active.is_(True))
    return list(db.session.scalars(stmt))


def get_indicator(indicator_id: int) -> Indicator | None:
    return db.session.get(Indicator, indicator_id)


def by_code() -> dict[str, Indicator]:
    """Every indicator by its code in upper case (codes are matched without regard to case)."""
    return {i.code.upper(): i for i in db.session.scalars(select(Indicator))}


# No council counts anything near this (England has 12 million children): a bigger figure is a
# typing slip, and would overflow the exact decimal arithmetic of changes and periods.
VALUE_MAX = 1_000_000_000


def _number(
    value: object,
    name: str,
    label: str,
    problems: list[tuple[str, str]],
    *,
    minimum: float | None = None,
) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        problems.append((name, f"Enter {label} as a number"))
        return None
    if not math.isfinite(number):
        problems.append((name, f"Enter {label} as a number"))
        return None
    if abs(number) > VALUE_MAX:
        problems.append((name, f"Enter {label} as a number up to {VALUE_MAX:,.0f}"))
        return None
    if minimum is not None and number < minimum:
        problems.append((name, f"{label.capitalize()} cannot be less than {minimum}"))
        return None
    return number


def clean_comparators(
    comparators: list[Any] | None, problems: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """[{"group", "value", "year"}] with the group one of COMPARATOR_GROUPS, the value a
    number and the year like 2024-25 (or 2024); entries with no value are dropped."""
    clean = []
    seen = set()
    for entry in comparators or []:
        group = str(entry.get("group") or "").strip()
        name = f"comparator_{group}"
        label = scorecard.COMPARATOR_GROUPS.get(group)
        if label is None:
            problems.append(("comparators", f"Unknown comparator group {group!r}"))
            continue
        words = label if label == "England" else label.lower()  # a name keeps its capital
        value = _number(entry.get("value"), f"{name}_value", f"the {words} value", problems)
        year = str(entry.get("year") or "").strip()
        if value is None:
            if year and not any(p[0] == f"{name}_value" for p in problems):
                problems.append((f"{name}_value", f"Enter the {words} value for {year}"))
            continue
        if group in seen:
            problems.append(("comparators", f"{label} is given twice"))
            continue
        seen.add(group)
        if not YEAR_RE.match(year):
            problems.append(
                (f"{name}_year", f"Enter the year the {words} value is for, like 2024-25")
            )
            continue
        entry_out = {"group": group, "value": value, "year": year}
        source = " ".join(str(entry.get("source") or "").split())
        if len(source) > SOURCE_MAX:
            problems.append((f"{name}_source", f"Keep the source under {SOURCE_MAX} characters"))
        elif source:
            entry_out["source"] = source  # the published figure's name
        clean.append(entry_out)
    return clean


def _kept_sources(
    comparators: list[dict[str, Any]], existing: Indicator | None
) -> list[dict[str, Any]]:
    """A comparator given without its source (the definition form has no field for it) keeps
    the published source it had, while its year is the same."""
    before = {
        (c.get("group"), c.get("year")): c["source"]
        for c in (existing.comparators if existing else None) or []
        if isinstance(c, dict) and c.get("source")
    }
    return [
        c
        if "source" in c or (c["group"], c["year"]) not in before
        else c | {"source": before[(c["group"], c["year"])]}
        for c in comparators
    ]


def clean_definition(data: dict[str, Any], existing: Indicator | None = None) -> dict[str, Any]:
    """The definition's fields checked and tidied; raises IndicatorError listing every
    problem."""
    problems: list[tuple[str, str]] = []
    code = str(data.get("code") or "").strip().upper()
    if not code:
        problems.append(("code", "Enter a code, like CON01"))
    elif not CODE_RE.match(code):
        problems.append(
            ("code", "Use up to 30 letters, digits, dots, dashes or underscores for the code")
        )
    else:
        other = db.session.scalar(select(Indicator).where(func.upper(Indicator.code) == code))
        if other is not None and other is not existing:
            problems.append(("code", f"Another indicator already has the code {code}"))
    name = " ".join(str(data.get("name") or "").split())
    if not name:
        problems.append(("name", "Enter the indicator's name"))
    elif len(name) > NAME_MAX:
        problems.append(("name", f"Keep the name under {NAME_MAX} characters"))
    unit = data.get("unit") or ""
    if unit not in scorecard.UNITS:
        problems.append(("unit", "Choose the unit"))
    better = data.get("better") or ""
    if better not in scorecard.DIRECTIONS:
        problems.append(("better", "Choose which direction is better"))
    target = _number(data.get("target"), "target", "the target", problems)
    tolerance = _number(data.get("tolerance"), "tolerance", "the tolerance", problems, minimum=0)
    if unit == "percentage" and target is not None and not 0 <= target <= 100:
        problems.append(("target", "A percentage target must be between 0 and 100"))
    if tolerance is not None and target is None:
        problems.append(("tolerance", "Enter a target for the tolerance to apply to"))
    if target is not None and better == "neither":
        problems.append(("target", "An indicator with no better direction has no target"))
    comparators = _kept_sources(clean_comparators(data.get("comparators"), problems), existing)
    good = str(data.get("good_looks_like") or "").strip()
    if len(good) > GOOD_MAX:
        problems.append(("good_looks_like", f"Keep this under {GOOD_MAX} characters"))
    meaning = str(data.get("definition") or "").replace("\r\n", "\n").strip()
    if len(meaning) > DEFINITION_MAX:
        problems.append(("definition", f"Keep the definition under {DEFINITION_MAX} characters"))
    area = str(data.get("area") or "").strip()
    if area and area not in AREAS:
        problems.append(("area", "Choose an area of the performance report, or none"))
    adds_up = _yes_no(data.get("adds_up"), "adds_up", problems)
    if adds_up and unit in ("percentage", "rate_per_10000"):
        problems.append(
            ("adds_up", "A percentage or a rate is a position: its months do not add up")
        )
    demand = _yes_no(data.get("demand"), "demand", problems)
    position = data.get("position")
    if position in (None, ""):
        position = existing.position if existing else _next_position()
    else:
        try:
            position = int(position)
        except (TypeError, ValueError):
            problems.append(("position", "Enter the position as a whole number"))
            position = 0
    if problems:
        raise IndicatorError(problems)
    return {
        "code": code,
        "name": name,
        "unit": unit,
        "better": better,
        "target": target,
        "tolerance": tolerance,
        "comparators": comparators,
        "good_looks_like": good,
        "definition": meaning,
        "area": area,
        "adds_up": adds_up,
        "demand": demand,
        "position": position,
        "active": bool(data.get("active", True)),
    }


def _yes_no(value: object, name: str, problems: list[tuple[str, str]]) -> bool:
    """A yes or no answer as a form, a YAML file or JSON gives it (True, "y", "true", "1",
    "sum"; False, None, "", "n", "false", "0", "position")."""
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text in ("y", "yes", "true", "1", "on", "sum"):
        return True
    if text in ("", "n", "no", "false", "0", "off", "position"):
        return False
    problems.append((name, "Choose yes or no"))
    return False


def _next_position() -> int:
    return (db.session.scalar(select(func.max(Indicator.position))) or 0) + 10


def _snapshot(indicator: Indicator) -> dict[str, Any]:
    return {name: getattr(indicator, name) for name in FIELDS}


def create_indicator(data: dict[str, Any], actor: User | None) -> Indicator:
    """A new indicator from checked fields; commits."""
    clean = clean_definition(data)
    indicator = Indicator(created_by_id=getattr(actor, "id", None), **clean)
    db.session.add(indicator)
    db.session.flush()
    changelog.record(actor, "indicator", indicator.id, "created", clean)
    db.session.commit()
    return indicator


def update_indicator(indicator: Indicator, data: dict[str, Any], actor: User | None) -> Indicator:
    """Change a definition; commits. The change log keeps each changed field's old and new."""
    clean = clean_definition(data, existing=indicator)
    before = _snapshot(indicator)
    changes = changelog.diff(before, clean)
    if not changes:
        return indicator
    for name, value in clean.items():
        setattr(indicator, name, value)
    changelog.record(actor, "indicator", indicator.id, "updated", changes)
    db.session.commit()
    return indicator


def store_definitions(
    rows: list[dict[str, Any]], *, actor: User | None, origin: dict[str, Any]
) -> list[Indicator]:
    """Create or change definitions from a checked file or the starter set in one
    transaction: each row's "fields" checked again by clean_definition, with "id" for one
    that exists. Every change is logged with `origin`; commits. Returns those made."""
    made = []
    for row in rows:
        existing = db.session.get(Indicator, row["id"]) if row.get("id") else None
        clean = clean_definition(row["fields"], existing=existing)
        if existing is None:
            indicator = Indicator(created_by_id=getattr(actor, "id", None), **clean)
            db.session.add(indicator)
            db.session.flush()
            changelog.record(actor, "indicator", indicator.id, "created", clean | origin)
            made.append(indicator)
            continue
        if changes := changelog.diff(_snapshot(existing), clean):
            for name, value in clean.items():
                setattr(existing, name, value)
            changelog.record(actor, "indicator", existing.id, "updated", changes | origin)
    db.session.commit()
    return made


def definition(indicator: Indicator) -> scorecard.Definition:
    return scorecard.Definition(
        id=indicator.id,
        code=indicator.code,
        name=indicator.name,
        unit=indicator.unit,
        better=indicator.better,
        target=indicator.target,
        tolerance=indicator.tolerance,
        comparators=list(indicator.comparators or []),
        good_looks_like=indicator.good_looks_like,
        definition=indicator.definition or "",
        area=indicator.area or "",
        adds_up=bool(indicator.adds_up),
        demand=bool(indicator.demand),
    )
