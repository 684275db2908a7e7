"""The scrutiny pack's frozen figures (qa_app.services.scrutiny_figures), with seed 004's
figures typed in: the pack states them exactly, hides small counts of children below the
partnership threshold, keeps the query count flat, and never carries a case reference."""

import json
from datetime import date

from qa_app.data.indicator_scorecard import add_months
from qa_app.data.organisation import get_settings
from qa_app.data.users import create_user
from qa_app.extensions import db
from qa_app.models import Role
from qa_app.services import practice_week_drafting as week_drafting
from qa_app.services import scrutiny_figures
from qa_app.services.scrutiny_figures import action_figures, compute_scrutiny_figures
from tests.cycles.cycle_factory import count_queries
from tests.improvement.support import make_action, make_plan
from tests.indicators.support import define, store
from tests.practice_weeks.report_week import (
    CASE_REFERENCES,
    OBSERVER_SAID,
    PARENT_SAID,
    build_week,
)
from tests.services import scrutiny_seed as seed

TODAY = date(2021, 10, 20)


def _area(figures, key):
    return next(a for a in figures["areas"] if a["key"] == key)


def _rows(breakdown):
    return {r["category"]: (r["value"], r["rag"]) for r in breakdown["rows"]}


def test_the_figures_follow_the_contract_for_the_financial_year_to_the_months_end():
    seed.children_in_need()

    figures = compute_scrutiny_figures(date(2021, 9, 14), today=TODAY)

    assert figures["schema"] == 1 and figures["month"] == "2021-09-01"
    assert figures["period"] == {"from": "2021-04-01", "to": "2021-09-30"}
    assert figures["council"] == get_settings().council_name
    assert set(figures) >= {"areas", "demand", "practice_week", "audit_themes", "actions"}
    assert figures["practice_week"] is None and figures["actions"] == []
    assert json.loads(json.dumps(figures)) == figures  # JSON-ready as it is


def test_children_on_a_cin_plan_686_with_the_change_on_the_year_and_the_18_month_trend():
    seed.children_in_need()

    area = _area(compute_scrutiny_figures(seed.SEPTEMBER, today=TODAY), "children_in_need")
    plans = next(i for i in area["indicators"] if i["code"] == "CIN01")

    assert (plans["value"], plans["previous"], plans["last_year"]) == (686, 629, 654)
    assert (plans["change_month"], plans["change_year"]) == (9, 5)
    assert len(plans["trend"]) == 18
    assert plans["trend"][0] == ["2020-04-01", 640.0] and plans["trend"][-1] == ["2021-09-01", 686]
    assert plans["definition"] == "A child in need has a plan of support."
    assert plans["year_to_date"]["first"] == "2021-04-01"
    assert plans["rolling_12"]["kind"] == "rolling_12"
    # averages of whole children are whole numbers, as the scorecard writes them
    periods = (plans["year_to_date"], plans["rolling_12"])
    assert all(float(p[k]).is_integer() for p in periods for k in ("value", "previous") if p[k])
    assert (
        "Children on a child in need plan: 686 at the end of September 2021, 5% more than a year "
        "before." in area["prompts"]
    )


def test_visit_timeliness_77_by_locality_and_service_with_rag_against_the_80_target():
    seed.children_in_need()

    area = _area(compute_scrutiny_figures(seed.SEPTEMBER, today=TODAY), "children_in_need")
    visits = next(i for i in area["indicators"] if i["code"] == "CIN02")
    by = {b["dimension"]: b for b in visits["breakdowns"]}

    assert (visits["value"], visits["target"], visits["rag"]) == (77, 80, "amber")
    assert _rows(by["locality"]) == {
        "South": (77, "amber"),
        "North": (59, "red"),
        "Mid and East": (58, "red"),
        "City": (82, "green"),
    }
    assert _rows(by["service"]) == {
        "Disabled Children Service": (67, "red"),
        "Social Workers in Schools": (74, "red"),
    }
    south = by["locality"]["rows"][0]
    assert (south["last_year"], south["change_year"]) == (70, 10)
    assert visits["comparators"] == [{"name": "England", "value": 75.0, "year": "2020-21"}]
    assert area["tables"] == []  # only one of the area's indicators is broken down
    assert (
        "Child in need visits within timescale by locality: weakest against the 80% target "
        "Mid and East (58%), strongest City (82%)." in area["prompts"]
    )


def test_the_recruitment_table_by_role_with_the_grand_totals():
    seed.recruitment()

    area = _area(compute_scrutiny_figures(seed.SEPTEMBER, today=TODAY), "recruitment")
    (table,) = area["tables"]

    assert table["dimension"] == "role" and table["title"] == "Role"
    assert [c["code"] for c in table["columns"]] == ["WF01", "WF02", "WF03", "WF04", "WF05"]
    assert {r["category"]: tuple(r["values"]) for r in table["rows"]} == seed.ROLES
    assert [r["category"] for r in table["rows"]] == list(seed.ROLES)
    assert table["total"] == {"category": "Total", "values": list(seed.TOTALS)}


def test_a_partnership_threshold_hides_small_counts_of_children_but_not_posts():
    get_settings().partnership_threshold = 5
    (in_care,) = define(
        {"code": "CLA09", "name": "Children placed far away", "unit": "count", "better": "lower"}
    )
    seed.set_up(in_care, area="children_in_care")
    store(in_care, {seed.SEPTEMBER: 3, date(2020, 9, 1): 12, date(2021, 8, 1): 4})
    seed.recruitment()

    figures = compute_scrutiny_figures(seed.SEPTEMBER, today=TODAY)
    (far,) = _area(figures, "children_in_care")["indicators"]

    assert (far["value"], far["hidden"], far["previous"], far["change_year"]) == (
        None,
        True,
        None,
        None,
    )
    assert far["last_year"] == 12  # not small: shown
    assert [v for _, v in far["trend"] if v is not None] == [12]
    assert "a number too small to publish" in _area(figures, "children_in_care")["prompts"][0]
    (table,) = _area(figures, "recruitment")["tables"]
    assert table["rows"][0]["values"][1] == 2.5  # vacancies are posts, not children


def test_the_query_count_does_not_grow_with_the_number_of_indicators():
    def indicators(n, start):
        made = define(
            *[
                {"code": f"X{start + k}", "name": f"Measure {start + k}", "unit": "percentage"}
                | {"better": "higher", "comparators": []}
                for k in range(n)
            ]
        )
        for k, ind in enumerate(made):
            seed.set_up(ind, area=list(seed_areas)[k % len(seed_areas)])
            store(ind, {seed.SEPTEMBER: 50 + k})
            seed.breakdown(ind, seed.SEPTEMBER, "locality", {"North": 40, "South": 60})

    seed_areas = ("referrals", "assessments", "child_protection")
    get_settings()  # the settings row is made on first use: not part of either count
    indicators(2, 0)  # each call ends in a commit: both counts start a transaction
    with count_queries() as few:
        compute_scrutiny_figures(seed.SEPTEMBER, today=TODAY)
    indicators(12, 100)
    with count_queries() as many:
        compute_scrutiny_figures(seed.SEPTEMBER, today=TODAY)

    assert len(many) == len(few)


def test_an_action_holding_a_case_reference_is_withheld_from_the_pack(loaded_templates):
    lead = create_user("pack.lead", "Pack Lead", "correct-horse-battery", [Role.QA_LEAD])
    plan = make_plan(lead)
    voice, plans = "voice_of_child", "smart_plans"
    make_action(plan, lead, description="Review the plan for case 12345678", themes=[voice])
    make_action(plan, lead, description="Communicate ten tips for engaging families", themes=[])
    make_action(plan, lead, description="Workshops on child in need plans", themes=[plans])
    db.session.commit()

    rows = action_figures(date(2021, 4, 1), date(2021, 9, 30), {voice, plans}, None)

    assert [r["number"] for r in rows] == ["1", "3"]  # the second answers no theme
    assert "12345678" not in json.dumps(rows)
    assert rows[0]["description"].startswith("Description withheld")
    assert rows[1]["description"] == "Workshops on child in need plans"
    assert rows[1]["owner"] == "No owner yet" and rows[1]["status_text"] == "Not started"


def test_the_period_is_the_financial_year_to_date():
    assert scrutiny_figures.period_of(date(2021, 9, 1)) == (date(2021, 4, 1), date(2021, 9, 30))
    assert scrutiny_figures.period_of(date(2022, 2, 1)) == (date(2021, 4, 1), date(2022, 2, 28))
    assert scrutiny_figures.period_of(date(2021, 4, 1)) == (date(2021, 4, 1), date(2021, 4, 30))


def test_the_practice_week_audit_themes_and_actions_of_the_period_as_the_partnership_reads_them(
    loaded_templates, make_user
):
    week = build_week(make_user)
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="partnership")

    figures = compute_scrutiny_figures(date(2026, 10, 1), today=date(2026, 11, 20))

    practice_week = figures["practice_week"]
    assert practice_week["title"] == "Practice week: October 2026"
    assert practice_week["dates"].endswith("October 2026")
    assert practice_week["headlines"][0].endswith(": Children at risk are triaged quickly")
    assert practice_week["quick_wins"] == [
        "Rename the single assessment",
        "Deprivation of liberty training",
    ]
    assert figures["audit_themes"]["audits"] == 6
    assert figures["audit_themes"]["strengths"]  # the voice of the child, most often a strength
    descriptions = [a["description"] for a in figures["actions"]]
    assert "Workshops on outcome-focused plans with CP chairs" in descriptions
    assert {a["owner"] for a in figures["actions"]} == {"Senior manager"}
    frozen = json.dumps(figures)
    for private in [*CASE_REFERENCES, PARENT_SAID, OBSERVER_SAID, "senior.manager.a"]:
        assert private not in frozen


def test_a_week_published_to_the_service_only_stays_out_of_the_pack(loaded_templates, make_user):
    week = build_week(make_user)
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="internal")

    figures = compute_scrutiny_figures(date(2026, 10, 1), today=date(2026, 11, 20))

    assert figures["practice_week"] is None


def test_under_a_threshold_no_hidden_count_follows_from_the_whole_the_periods_or_the_parts():
    # 40 children on plans every month but June (3); in September North 37 and South 3.
    # Shown alone, the whole less North gave South, and the year to date less the months shown
    # gave June: South takes North with it, and a period over a hidden month is hidden.
    get_settings().partnership_threshold = 5
    (plans,) = define(
        {"code": "CP01", "name": "Children on plans", "unit": "count", "better": "neither"}
    )
    seed.set_up(plans, area="child_protection", adds_up=True)
    months = {add_months(date(2020, 4, 1), k): 40 for k in range(18)}
    months[date(2021, 6, 1)] = 3
    store(plans, months)
    seed.breakdown(plans, seed.SEPTEMBER, "locality", {"North": 37, "South": 3})

    (row,) = _area(compute_scrutiny_figures(seed.SEPTEMBER, today=TODAY), "child_protection")[
        "indicators"
    ]

    assert row["value"] == 40
    assert [v for m, v in row["trend"] if m == "2021-06-01"] == [None]
    assert row["year_to_date"]["value"] is None and row["rolling_12"]["value"] is None
    ((north, south),) = [b["rows"] for b in row["breakdowns"]]
    assert (north["value"], south["value"]) == (None, None)
    assert north["rag"] is None  # a part of a count is not rated against the whole's target


def test_an_average_is_tested_against_the_threshold_before_it_is_rounded():
    get_settings().partnership_threshold = 5
    (far,) = define(
        {"code": "CLA08", "name": "Children far away", "unit": "count", "better": "lower"}
    )
    seed.set_up(far, area="children_in_care")  # a position: the period is an average
    store(far, {date(2021, 4, 1): 4, date(2021, 5, 1): 5})

    (row,) = _area(compute_scrutiny_figures(date(2021, 5, 1), today=TODAY), "children_in_care")[
        "indicators"
    ]

    assert row["value"] == 5 and row["year_to_date"]["value"] is None  # 4.5 is not 5
