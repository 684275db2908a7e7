"""The starter set of indicator definitions (starter.yaml) and plausible demonstration values
for it, with made-up breakdowns (visits by locality and service, caseloads by service, the
recruitment set by role). `add_starter_set` is idempotent: an indicator whose code exists is
left as it is (the authority may have changed its target). No Flask here: the CLI and the
demo seeding call it."""

import random
from datetime import date
from pathlib import Path

import yaml

from qa_app.data import indicator_values
from qa_app.data import indicators as indicator_data
from qa_app.data.indicator_breakdowns import Part
from qa_app.data.indicator_scorecard import month_range, round_half_up
from qa_app.data.indicator_values import StoredValue
from qa_app.imports.indicator_definitions import plan_definitions
from qa_app.imports.setup_files import KEPT, UPDATE, SetupPlan
from qa_app.models import Indicator

STARTER_FILE = Path(__file__).with_name("starter.yaml")
SEASONAL_DIP = {8: 0.86, 12: 0.88}  # contacts and referrals fall in August and December


def starter_definitions() -> list[dict]:
    return yaml.safe_load(STARTER_FILE.read_text(encoding="utf-8"))


def add_starter_set(actor) -> list[Indicator]:
    """Add the starter indicators not defined yet (matched by code); commits. Returns the
    indicators added."""
    existing = indicator_data.by_code()
    added = []
    for position, entry in enumerate(starter_definitions(), start=1):
        if entry["code"].upper() in existing:
            continue
        data = {k: v for k, v in entry.items() if k != "demo"}
        data["position"] = position * 10
        added.append(indicator_data.create_indicator(data, actor))
    return added


def starter_plan(overwrite: bool = False) -> SetupPlan:
    """What loading the starter set would do: add the indicators not defined yet and, with
    `overwrite`, put those that are back to the starter definition. Without it an indicator
    the council has is left as it is (it may have changed the target or the comparators): one
    that differs from the starter definition is KEPT, with what overwriting would change."""
    plan = SetupPlan("the starter set", "indicators")
    existing = indicator_data.by_code()
    entries = []
    for position, entry in enumerate(starter_definitions(), start=1):
        fields = {k: v for k, v in entry.items() if k != "demo"} | {"position": position * 10}
        indicator = existing.get(entry["code"].upper())
        if indicator is not None:
            fields["position"] = indicator.position
            fields["active"] = indicator.active
        entries.append((0, entry["code"], fields))
    for _, field, message in plan_definitions(plan, entries):  # the shipped file is wrong
        raise ValueError(f"starter.yaml: {field}: {message}")
    if not overwrite:
        for row in plan.rows:
            if row.action == UPDATE:
                row.action = KEPT
    return plan


def _demo_series(shape: dict, unit: str, months: list[date], rng: random.Random) -> list[float]:
    """Made-up monthly values around `base`, each month pulled back towards it."""
    base = float(shape.get("base", 100))
    spread = float(shape.get("spread", base * 0.05))
    places = int(shape.get("decimals", 1 if unit == "rate_per_10000" else 0))
    level = base + rng.gauss(0, spread)
    values = []
    for month in months:
        level = base + 0.6 * (level - base) + rng.gauss(0, spread)
        value = level * (SEASONAL_DIP.get(month.month, 1.0) if shape.get("seasonal") else 1.0)
        value = max(0.0, round_half_up(value, places))
        values.append(min(100.0, value) if unit == "percentage" else value)
    return values


def _demo_entry(
    entry: dict, unit: str, months: list[date], rng: random.Random, made: dict
) -> dict[Part | None, list[float]]:
    """An entry's made-up series: the whole council's (key None) and each category's
    ((dimension, category)), as its demo block in starter.yaml shapes them. `made` holds the
    series of the entries before it, by code (for ratio_of)."""
    shape = entry.get("demo") or {}
    if "ratio_of" in shape:
        top, bottom = (made[code] for code in shape["ratio_of"])
        return {
            key: [
                round_half_up(100 * a / b, 1) if b else 0.0
                for a, b in zip(top[key], bottom[key], strict=True)
            ]
            for key in top
        }
    series: dict[Part | None, list[float]] = {}
    first_dimension: list[list[float]] = []
    for dimension, categories in (shape.get("breakdowns") or {}).items():
        for category, part_shape in categories.items():
            numbers = _demo_series({**shape, **part_shape}, unit, months, rng)
            series[(dimension, category)] = numbers
            if not first_dimension or dimension == next(iter(shape["breakdowns"])):
                first_dimension.append(numbers)
    places = int(shape.get("decimals", 0))
    if shape.get("whole") in ("sum", "mean") and first_dimension:
        columns = list(zip(*first_dimension, strict=True))
        divide = len(first_dimension) if shape["whole"] == "mean" else 1
        series[None] = [round_half_up(sum(c) / divide, places) for c in columns]
    else:
        series[None] = _demo_series(shape, unit, months, rng)
    return series


def demo_values(months: int, end: date, seed: int, actor=None) -> indicator_values.StoreResult:
    """Write `months` months of made-up values, ending with `end`'s month, for the starter
    indicators that are defined, with the breakdowns their demo blocks make up; commits. The
    same seed writes the same values."""
    rng = random.Random(seed)  # noqa: S311 - made-up demonstration figures
    codes = indicator_data.by_code()
    span = month_range(end, months)
    values: list[StoredValue] = []
    made: dict[str, dict[Part | None, list[float]]] = {}
    for entry in starter_definitions():
        code = entry["code"].upper()
        indicator = codes.get(code)
        series = made[code] = _demo_entry(
            entry, indicator.unit if indicator else entry["unit"], span, rng, made
        )
        if indicator is None:
            continue
        for part, numbers in series.items():
            values.extend(
                (indicator, month, value, part) for month, value in zip(span, numbers, strict=True)
            )
    return indicator_values.store_values(
        values, source="demonstration data", actor=actor, loaded_by="demo seeding"
    )
