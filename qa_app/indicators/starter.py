"""The starter set of indicator definitions (starter.yaml) and plausible demonstration values
for it. `add_starter_set` is idempotent: an indicator whose code exists is left as it is (the
authority may have changed its target). No Flask here: the CLI and the demo seeding call it."""

import random
from datetime import date
from pathlib import Path

import yaml

from qa_app.data import indicator_values
from qa_app.data import indicators as indicator_data
from qa_app.data.indicator_scorecard import month_range, round_half_up
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


def _demo_series(entry: dict, unit: str, months: list[date], rng: random.Random) -> list[float]:
    shape = entry.get("demo") or {}
    base = float(shape.get("base", 100))
    spread = float(shape.get("spread", base * 0.05))
    level = base + rng.gauss(0, spread)
    values = []
    for month in months:
        level = base + 0.6 * (level - base) + rng.gauss(0, spread)
        value = level * (SEASONAL_DIP.get(month.month, 1.0) if shape.get("seasonal") else 1.0)
        if unit == "percentage":
            value = min(100.0, max(0.0, round_half_up(value, 0)))
        elif unit == "rate_per_10000":
            value = max(0.0, round_half_up(value, 1))
        else:
            value = max(0.0, round_half_up(value, 0))
        values.append(value)
    return values


def demo_values(months: int, end: date, seed: int, actor=None) -> indicator_values.StoreResult:
    """Write `months` months of made-up values, ending with `end`'s month, for the starter
    indicators that are defined; commits. The same seed writes the same values."""
    rng = random.Random(seed)  # noqa: S311 - made-up demonstration figures
    codes = indicator_data.by_code()
    span = month_range(end, months)
    values: list[tuple[Indicator, date, float]] = []
    for entry in starter_definitions():
        indicator = codes.get(entry["code"].upper())
        series = _demo_series(entry, indicator.unit if indicator else "count", span, rng)
        if indicator is None:
            continue
        values.extend(zip([indicator] * len(span), span, series, strict=True))
    return indicator_values.store_values(
        values, source="demonstration data", actor=actor, loaded_by="demo seeding"
    )
