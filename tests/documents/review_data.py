"""A council's quality review of November 2013, re-entered: 12 single assessments, 12 child
protection plans and 9 audits of reports to initial child protection conferences, with the
answers the council's own report states. The findings worked out by hand:

Single assessments (Ofsted four-point scale): 5 good, 5 requires improvement, 2 inadequate.
  agency checks complete: no 4, yes 8 -> "4 of the 12 assessments had no evidence of agency
    checks." (a concern: 33%)
  child seen within timescale: no 6, yes 6 -> "6 of the 12 assessments did not see the child
    within the timescale set at referral." (a concern: 50%)
  every child seen: yes 12 -> "All 12 assessments saw every child in the household." (a strength)
  working days to complete: 20 25 30 35 40 42 45 45 50 55 60 70 -> median 43.5.
Child protection plans: 3 good, 7 requires improvement, 2 inadequate.
  core groups recorded: no 7, yes 5 -> a concern; purposeful visits: yes 6, partly 5, no 1 ->
  an area for development.
ICPC reports (good / adequate / inadequate): 2 good, 5 adequate, 2 inadequate.
  working days to conference: 10 12 14 15 15 15 18 20 25 -> median 15, target 15 (a strength).
  police (9): a report every time; father's views no in 6.
  social work (9): a report every time; father's views no in 4.
  GP (9): no report in any -> "No GP report was received for any of the 9 conferences."
  school (9): a report in 4 -> "5 of the 9 conferences had no school report."; father's views
    no in 3 of the 4.
  health visitor (7 conferences): no report in 2 -> "2 of the 7 relevant conferences had no
    health visitor report."; father's views no in 4 of the 5.
  father's views, the same gap across 4 agencies: no in 17 of their 27 reports.
Practice week 11-15 November 2013: 3 conversations with staff, 2 with children (consent).
Indicator REREF (%, lower better, target 25): Nov 2011 29, Nov 2012 31, Nov 2013 33;
  statistical neighbours 27 for 2012-13 (shown), England 22.4 for 2024-25 (not a year shown).
Improvement action 1 owned by a senior manager who also audits, on track."""

from datetime import UTC, date, datetime

from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import (
    Activity,
    ActivityKind,
    Answer,
    Audit,
    Case,
    ImprovementAction,
    ImprovementPlan,
    Indicator,
    IndicatorValue,
    PracticeWeek,
)

FROM, TO = date(2013, 11, 1), date(2013, 11, 30)
FATHER = "father_views_included"
CONTENT = [
    "historical_information_included",
    "strengths_and_risks_identified",
    "child_views_included",
    "mother_views_included",
    FATHER,
]


def _audit(version, n: int, grade: str) -> Audit:
    case = Case(case_reference=f"QR{n:05d}Z")
    db.session.add(case)
    db.session.flush()
    audit = Audit(
        case_id=case.id,
        template_version_id=version.id,
        status="submitted",
        submitted_at=datetime(2013, 11, 1 + n % 28, 12, 0, tzinfo=UTC),
        overall_grade=grade,
    )
    db.session.add(audit)
    db.session.flush()
    return audit


def _answer(audit, key, value=None, number=None, **block):
    db.session.add(
        Answer(audit_id=audit.id, question_key=key, value_text=value, value_number=number, **block)
    )


def _single_assessments(counter) -> None:
    version = get_template("single_assessment").versions[-1]
    grades = ["good"] * 5 + ["requires_improvement"] * 5 + ["inadequate"] * 2
    days = [20, 25, 30, 35, 40, 42, 45, 45, 50, 55, 60, 70]
    for i, grade in enumerate(grades):
        audit = _audit(version, next(counter), grade)
        _answer(audit, "agency_checks_complete", "no" if i < 4 else "yes")
        _answer(audit, "child_seen_promptly", "no" if i % 2 else "yes")
        _answer(audit, "every_child_seen", "yes")
        _answer(audit, "working_days_to_complete", number=days[i])


def _cp_plans(counter) -> None:
    version = get_template("cp_plan_visits").versions[-1]
    grades = ["good"] * 3 + ["requires_improvement"] * 7 + ["inadequate"] * 2
    for i, grade in enumerate(grades):
        audit = _audit(version, next(counter), grade)
        _answer(audit, "core_groups_recorded", "no" if i < 7 else "yes")
        _answer(audit, "visits_purposeful", "yes" if i < 6 else ("partly" if i < 11 else "no"))


def _icpc(counter) -> None:
    version = get_template("icpc_reports").versions[-1]
    grades = ["good"] * 2 + ["adequate"] * 5 + ["inadequate"] * 2
    days = [10, 12, 14, 15, 15, 15, 18, 20, 25]
    for i, grade in enumerate(grades):
        audit = _audit(version, next(counter), grade)
        _answer(audit, "working_days_to_icpc", number=days[i])
        blocks = [
            ("police", True, i < 6),
            ("social_work", True, i < 4),
            ("gp", False, False),
            ("school", i < 4, i < 3),
        ]
        if i < 7:
            blocks.append(("health_visitor", i >= 2, 2 <= i < 6))
        for index, (label, provided, no_father) in enumerate(blocks):
            where = {"group_key": "agency_report", "block_index": index, "block_label": label}
            _answer(audit, "report_provided", "yes" if provided else "no", **where)
            for key in CONTENT:
                value = "not_applicable" if not provided else "yes"
                if provided and key == FATHER and no_father:
                    value = "no"
                _answer(audit, key, value, **where)


def build(owner) -> dict:
    counter = iter(range(1, 1000))
    _single_assessments(counter)
    _cp_plans(counter)
    _icpc(counter)
    week = PracticeWeek(
        name="Practice week November 2013", starts_on=date(2013, 11, 11), ends_on=date(2013, 11, 15)
    )
    db.session.add(week)
    db.session.flush()
    for participant, count in (("staff", 3), ("child", 2)):
        for _ in range(count):
            db.session.add(
                Activity(
                    week_id=week.id,
                    kind=ActivityKind.CONVERSATION,
                    scheduled_on=date(2013, 11, 12),
                    status="done",
                    participant=participant,
                    consent_given=True,
                    summary="",
                )
            )
    reref = Indicator(
        code="REREF",
        name="Re-referrals within 12 months",
        unit="percentage",
        better="lower",
        target=25,
        tolerance=3,
        comparators=[
            {"group": "statistical_neighbours", "value": 27, "year": "2012-13"},
            {"group": "england", "value": 22.4, "year": "2024-25"},
        ],
        position=1,
    )
    db.session.add(reref)
    db.session.flush()
    for year, value in ((2011, 29), (2012, 31), (2013, 33)):
        db.session.add(IndicatorValue(indicator_id=reref.id, month=date(year, 11, 1), value=value))
    plan = ImprovementPlan(title="Quality review action plan 2013")
    db.session.add(plan)
    db.session.flush()
    action = ImprovementAction(
        plan_id=plan.id,
        number=1,
        description="Record every core group on the child's file",
        status="on_track",
        due_date=date(2014, 3, 31),
        owner_id=owner.id,
        expected_outcome="Core groups happen on time and their decisions are on file",
    )
    db.session.add(action)
    db.session.commit()
    return {"plan": plan, "action": action, "indicator": reref}
