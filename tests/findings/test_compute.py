"""Every figure of the findings engine against values worked out by hand from the known data
set in known_data.py (the table in its docstring)."""

from datetime import date

from qa_app.findings import Filters, compute_findings
from tests.findings import known_data

JAN_TO_MAR = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))


def figures(f: Filters = JAN_TO_MAR) -> dict:
    return compute_findings(f, now=known_data.NOW)


def single_assessment(fig: dict) -> dict:
    return next(t for t in fig["templates"] if t["key"] == "single_assessment")


def test_counts_audits_by_status(known):
    totals = figures()["totals"]
    assert totals == {
        "not_started": 0,
        "in_progress": 1,
        "submitted": 5,
        "moderated": 1,
        "completed": 6,
        "audits": 7,
    }


def test_overall_grade_distribution_and_good_or_better(known):
    sa = single_assessment(figures())
    assert sa["completed"] == 6
    assert sa["overall"] == {
        "counts": {"outstanding": 1, "good": 3, "requires_improvement": 1, "inadequate": 1},
        "n": 6,
        "good_or_better": 4,
    }
    assert sa["scale"]["good_or_better"] == ["outstanding", "good"]


def test_section_grade_distribution(known):
    (timeliness,) = [
        s for s in single_assessment(figures())["sections"] if s["key"] == "timeliness"
    ]
    assert timeliness["counts"] == {
        "outstanding": 1,
        "good": 2,
        "requires_improvement": 2,
        "inadequate": 1,
    }
    assert (timeliness["n"], timeliness["good_or_better"]) == (6, 3)


def test_by_team_locality_and_month(known):
    fig = figures()
    by_team = {r["team"]: r for r in fig["by_team"]}
    assert (by_team["Team A"]["completed"], by_team["Team A"]["good_or_better"]) == (4, 3)
    assert (by_team["Team B"]["completed"], by_team["Team B"]["good_or_better"]) == (2, 1)
    assert (by_team["Team A"]["worst"], by_team["Team B"]["worst"]) == (0, 1)
    assert by_team["Team A"]["locality"] == "North"
    by_locality = {r["locality"]: (r["completed"], r["good_or_better"]) for r in fig["by_locality"]}
    assert by_locality == {"North": (4, 3), "South": (2, 1)}
    assert [(m["month"], m["completed"], m["good_or_better"]) for m in fig["by_month"]] == [
        ("2026-01", 2, 2),
        ("2026-02", 2, 0),
        ("2026-03", 2, 2),
    ]


def test_yes_partly_no_shares_numbers_and_choices(known):
    questions = {q["key"]: q for q in single_assessment(figures())["questions"]}
    alone = questions["child_seen_alone"]
    assert (alone["counts"]["yes"], alone["counts"]["partly"], alone["counts"]["no"]) == (3, 1, 2)
    assert alone["n"] == 6
    days = questions["working_days_to_complete"]
    # 20, 30, 40, 45, 50, 60: the median is between 40 and 45
    assert (days["n"], days["median"], days["min"], days["max"]) == (6, 42.5, 20.0, 60.0)
    concerns = questions["presenting_concerns"]
    assert concerns["n"] == 5  # audit 5 ticked nothing
    assert (concerns["counts"]["neglect"], concerns["counts"]["domestic_abuse"]) == (4, 2)
    assert "delay_impact" not in questions  # free text is read, not counted


def test_themes_and_top_strengths_and_areas(known):
    fig = figures()
    themes = {t["key"]: t for t in fig["themes"]}
    assert {
        k: themes["voice_of_child"][k] for k in ("strength", "development", "not_seen", "n")
    } == {"strength": 4, "development": 2, "not_seen": 0, "n": 6}
    assert {k: themes["timeliness"][k] for k in ("strength", "development", "not_seen", "n")} == {
        "strength": 2,
        "development": 3,
        "not_seen": 1,
        "n": 6,
    }
    # voice of the child leans to strength (4 to 2), timeliness to development (3 to 2):
    # each is in one list only
    assert fig["top_strengths"] == ["voice_of_child"]
    assert fig["top_development"] == ["timeliness"]
    assert fig["top_mixed"] == []
    by_team = {r["team"]: {t["key"]: t for t in r["themes"]} for r in fig["themes_by_team"]}
    assert by_team["Team B"]["voice_of_child"]["strength"] == 1
    assert by_team["Team A"]["timeliness"]["development"] == 3


def test_moderation_agreement_and_changes(known):
    m = figures()["moderation"]
    assert (m["completed_audits"], m["moderated"], m["pending"]) == (6, 1, 0)
    assert (m["pairs"], m["agreed"]) == (2, 1)
    assert (m["changed_up"], m["changed_down"], m["unchanged"]) == (0, 1, 0)
    # pairs (good, RI) and (RI, RI): observed and chance disagreement are both 1/3, so 0
    assert m["kappa"] == [
        {"scale": "ofsted4", "name": "Ofsted four-point", "n": 2, "kappa": 0.0, "words": "slight"}
    ]
    (mine,) = m["by_auditor"]
    assert (mine["auditor"], mine["moderated"], mine["agreed"]) == ("Test auditor.one", 1, 1)


def test_actions_and_concerns(known):
    fig = figures()
    assert fig["actions"] == {"open": 1, "overdue": 1, "completed": 1}
    assert fig["concerns"] == {"open": 0, "overdue": 1, "responded": 0, "signed_off": 1}


def test_filters_narrow_every_figure(known):
    team_b = figures(Filters(team_id=known["teams"]["B"].id))
    assert team_b["totals"]["completed"] == 2
    assert single_assessment(team_b)["overall"]["counts"]["inadequate"] == 1
    north = figures(Filters(locality_id=known["localities"]["North"].id))
    assert north["totals"]["completed"] == 4
    february = figures(Filters(date_from=date(2026, 2, 1), date_to=date(2026, 2, 28)))
    assert february["totals"]["completed"] == 2
    assert [m["month"] for m in february["by_month"]] == ["2026-02"]
    other_template = figures(Filters(template="cin_plan"))
    assert other_template["totals"]["audits"] == 0
    assert figures(Filters(auditor_id=known["auditor"].id))["totals"]["audits"] == 7


def test_previous_period_of_the_same_length(known):
    fig = figures(Filters(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31)))
    previous = fig["previous"]
    # Two whole months: the two whole months before, December and January (audits 1 and 2)
    assert previous["period"] == {"from": "2025-12-01", "to": "2026-01-31"}
    assert (previous["completed"], previous["good_or_better"]) == (2, 2)
    assert {t["key"]: t["strength"] for t in previous["themes"]}["voice_of_child"] == 2
    # A period of days: the same number of days before it
    days = figures(Filters(date_from=date(2026, 2, 2), date_to=date(2026, 3, 31)))
    assert days["previous"]["period"] == {"from": "2025-12-06", "to": "2026-02-01"}


def test_no_audits_gives_zeros_not_errors(loaded_templates):
    fig = figures()
    assert fig["totals"]["audits"] == 0
    assert fig["templates"] == [] and fig["themes"] == [] and fig["by_team"] == []
    assert [m["completed"] for m in fig["by_month"]] == [0, 0, 0]
    assert fig["moderation"]["kappa"] == []


def test_the_figures_are_plain_json(known):
    import json

    fig = figures()
    assert json.loads(json.dumps(fig)) == fig


def test_filters_from_url_arguments():
    f, errors = Filters.from_args({"from": "2026-01-01", "to": "2025-01-01", "team": "x"})
    assert errors == {
        "team": "Choose from the list",
        "to": "The end of the period must be on or after its start",
    }
    assert f == Filters(date_from=date(2026, 1, 1))
    f, errors = Filters.from_args({"from": "1 Jan", "template": "a b", "cycle": "99999999999"})
    assert set(errors) == {"from", "template", "cycle"}
    f, errors = Filters.from_args(Filters(date_from=date(2026, 1, 1), team_id=3).to_args())
    assert (f, errors) == (Filters(date_from=date(2026, 1, 1), team_id=3), {})


def test_themes_by_locality(known):
    by_locality = {
        r["locality"]: {t["key"]: t for t in r["themes"]} for r in figures()["themes_by_locality"]
    }
    # North is team A (audits 1, 2, 3, 7), South team B (audits 4, 5)
    assert by_locality["North"]["voice_of_child"]["strength"] == 3
    assert by_locality["South"]["timeliness"]["not_seen"] == 1


def test_dates_far_outside_any_audit_are_refused_not_an_error():
    f, errors = Filters.from_args({"from": "0001-01-01", "to": "9999-12-31"})
    assert errors == {"from": "Enter a date between 1900 and 2999", "to": errors["to"]}
    assert f == Filters()


def test_a_period_where_no_audited_case_has_a_team_gives_no_team_recorded(loaded_templates):
    """Teams exist, but no case audited in the period belongs to one: the team column comes
    back all NULL (text to pandas), which once failed to merge with the teams' numeric ids."""
    from qa_app.data.organisation import save_team
    from tests.documents import board_data

    board_data.build(None)  # completed audits in the period, none of whose cases has a team
    save_team("Assessment Team 1", None, True, actor=None)
    figures = compute_findings(Filters(date_from=board_data.FROM, date_to=board_data.TO))
    [row] = figures["by_team"]
    assert (row["team_id"], row["team"], row["completed"]) == (None, "No team recorded", 21)
    [locality] = figures["by_locality"]
    assert locality["locality"] == "No locality" and locality["completed"] == 21
