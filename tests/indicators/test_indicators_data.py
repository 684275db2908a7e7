"""Definitions (checked, logged), values by month, the month's commentary against the version
read, and the scorecard's rows from the database."""

from datetime import date

import pytest
from sqlalchemy import select

from qa_app.data import indicator_values
from qa_app.data import indicators as indicator_data
from qa_app.data.indicator_values import StaleCommentary
from qa_app.data.indicators import IndicatorError
from qa_app.extensions import db
from qa_app.indicators.starter import add_starter_set, demo_values
from qa_app.models import ChangeLogEntry, Indicator, IndicatorValue, Role
from tests.indicators.support import (
    APRIL,
    ASSESSMENTS,
    CONTACT_VALUES,
    CONTACTS,
    REREFERRALS,
    define,
    store,
)


def _log(entity_type: str, entity_id) -> list[ChangeLogEntry]:
    return list(
        db.session.scalars(
            select(ChangeLogEntry)
            .where(
                ChangeLogEntry.entity_type == entity_type,
                ChangeLogEntry.entity_id == str(entity_id),
            )
            .order_by(ChangeLogEntry.id)
        )
    )


def test_a_definition_is_created_and_its_change_logged(make_user):
    lead = make_user(Role.QA_LEAD)
    (indicator,) = define(REREFERRALS, actor=lead)
    assert (indicator.code, indicator.unit, indicator.better) == ("REF04", "percentage", "lower")
    assert (indicator.target, indicator.tolerance) == (20, 3)
    assert indicator.comparators[0] == {"group": "england", "value": 22.4, "year": "2024-25"}
    indicator_data.update_indicator(indicator, {**REREFERRALS, "target": "18"}, lead)
    entries = _log("indicator", indicator.id)
    assert [e.action for e in entries] == ["created", "updated"]
    assert entries[1].changes == {"target": [20, 18]} and entries[1].user_id == lead.id


def test_a_bad_definition_names_every_problem():
    define(CONTACTS)
    with pytest.raises(IndicatorError) as error:
        indicator_data.create_indicator(
            {
                "code": "con01",
                "name": "",
                "unit": "litres",
                "better": "up",
                "target": "lots",
                "tolerance": "-1",
                "comparators": [{"group": "england", "value": "22.4", "year": "last year"}],
            },
            None,
        )
    fields = dict(error.value.problems)
    assert fields["code"] == "Another indicator already has the code CON01"
    assert set(fields) >= {"name", "unit", "better", "target", "tolerance"}
    assert "comparator_england_year" in fields
    assert db.session.scalar(select(Indicator).where(Indicator.code == "CON01")) is not None
    assert len(indicator_data.list_indicators()) == 1


def test_a_percentage_target_must_be_a_percentage():
    with pytest.raises(IndicatorError) as error:
        indicator_data.create_indicator({**ASSESSMENTS, "target": 185}, None)
    assert dict(error.value.problems)["target"] == "A percentage target must be between 0 and 100"


def test_storing_a_month_again_replaces_it_and_logs_old_and_new(make_user):
    lead = make_user(Role.QA_LEAD)
    (contacts,) = define(CONTACTS)
    first = store(contacts, {APRIL: 1258}, actor=lead)
    assert (first.added, first.replaced) == (1, 0)
    again = store(contacts, {APRIL: 1262}, actor=lead)
    assert (again.added, again.replaced) == (0, 1)
    same = store(contacts, {APRIL: 1262}, actor=lead)
    assert same.unchanged == 1
    rows = list(db.session.scalars(select(IndicatorValue)))
    assert [(r.month, r.value) for r in rows] == [(APRIL, 1262)]
    entries = _log("indicator", contacts.id)[1:]  # after "created"
    assert [(e.action, e.changes["value"], e.changes["month"]) for e in entries] == [
        ("value added", [None, 1258.0], "2026-04-01"),
        ("value replaced", [1258.0, 1262.0], "2026-04-01"),
    ]
    assert all(e.user_id == lead.id for e in entries)


def test_the_scorecard_rows_come_from_the_stored_values():
    contacts, rereferrals = define(CONTACTS, REREFERRALS)
    store(contacts, CONTACT_VALUES)
    store(rereferrals, {date(2026, 3, 1): 25, APRIL: 22})
    rows = {r.indicator.code: r for r in indicator_values.scorecard_rows(APRIL)}
    assert (rows["CON01"].change_month, rows["CON01"].change_year) == (-5, -12)
    assert rows["REF04"].trend.text == "down, good"
    assert rows["REF04"].rag == "amber"  # 22 is within 3 of the target of 20
    assert rows["REF04"].change_month == -12
    assert indicator_values.latest_month() == APRIL
    assert indicator_values.months_with_values()[:2] == [APRIL, date(2026, 3, 1)]


def test_commentary_saved_from_a_stale_version_is_refused(make_user):
    manager, lead = make_user(Role.SENIOR_MANAGER), make_user(Role.QA_LEAD)
    (contacts,) = define(CONTACTS)
    first = indicator_values.save_commentary(
        contacts, APRIL, "Fewer contacts.", based_on=0, actor=manager
    )
    assert first.lock_version == 1
    indicator_values.save_commentary(
        contacts, APRIL, "Fewer contacts at Easter.", based_on=1, actor=lead
    )
    with pytest.raises(StaleCommentary) as error:
        indicator_values.save_commentary(contacts, APRIL, "Mine.", based_on=1, actor=manager)
    assert error.value.current.text == "Fewer contacts at Easter."
    with pytest.raises(StaleCommentary):  # a second "first" commentary is stale too
        indicator_values.save_commentary(contacts, APRIL, "Also mine.", based_on=0, actor=manager)
    stored = indicator_values.get_commentary(contacts, APRIL)
    assert (stored.text, stored.lock_version) == ("Fewer contacts at Easter.", 2)
    entries = _log("indicator_commentary", stored.id)
    assert [(e.action, e.user_id) for e in entries] == [
        ("created", manager.id),
        ("updated", lead.id),
    ]


def test_the_starter_set_is_added_once_and_demo_values_fill_it():
    added = add_starter_set(None)
    assert len(added) == 26
    codes = {i.code for i in added}
    assert {"CON01", "REF04", "ASM01", "ICPC01", "CPP01", "CLA01", "CL01"} <= codes
    assert {"CIN01", "CIN02", "CSL01", "WF01", "WF02", "WF03", "WF04", "WF05"} <= codes
    assert all(i.definition and i.area for i in added)
    demand = {i.code for i in added if i.demand}
    assert demand == {"CON01", "REF01", "ASM02", "CIN01", "S4701", "CPP04", "CLA02"}
    assert {i.code for i in added if i.adds_up} == {"CON01", "REF01", "ASM02", "S4701"}
    assert add_starter_set(None) == []
    result = demo_values(months=24, end=date(2026, 4, 15), seed=7)
    assert result.added == 24 * len(added)
    # visits by 4 localities and 2 services, caseloads by 5 services, 5 indicators by 5 roles
    assert result.breakdowns_added == 24 * (6 + 5 + 25)
    assert (result.first_month, result.last_month) == (date(2024, 5, 1), APRIL)
    percentages = db.session.scalars(
        select(IndicatorValue.value).join(Indicator).where(Indicator.unit == "percentage")
    ).all()
    assert all(0 <= v <= 100 for v in percentages)
    rows = indicator_values.scorecard_rows(APRIL)
    assert all(r.months_12 == 12 and r.change_year is not None for r in rows)
