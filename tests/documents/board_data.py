"""A known data set for the board report tests, its counts worked out by hand.

Period: 1 April 2026 to 30 September 2026. Small-number threshold: the default, 5.

Single assessment (Ofsted four-point scale), completed in the period: 16 audits.
  overall: outstanding 0, good 6, requires improvement 5, inadequate 5
  -> good or better 6 of 16 (38%); inadequate 5 of 16 (31%): a concern (>= 20%).
  themes: voice of the child strength 10, development 6; timeliness strength 5,
  development 11.
  Plus one completed on 5 October 2026 (outside the period) and one in progress: not counted.
ICPC reports (three-point scale): 5 audits, all overall adequate.
  police block in each (5): every question yes -> 5 of 5 (100%).
  social work block in each (5): yes to all but the father's views (no) -> 0 of 5 (0%).
  GP block in 2 audits, report not provided -> 2 is hidden.
Indicators (last month with a value in the period: September 2026):
  REREF re-referrals %, lower is better, target 22, tolerance 3: Sep 2026 24.0, Sep 2025 20.0
    -> +20% on the year, amber; SN 21.5 (2024-25), England 22.4 (2024-25).
  CONTACTS count, no better direction: Sep 2026 1,258, Sep 2025 1,323 -> -5%.
Practice week 8-12 June 2026; conversations done with consent: staff 6, child 5,
  parent or carer 1 (hidden); one more with staff without consent (not counted).
Improvement plan: action 1 on track (due 31 Dec 2026), action 2 complete 15 June 2026,
  action 3 complete 1 January 2025 (before the period: left out), action 4 off track due
  1 May 2026 (overdue).

Every case reference and free-text answer is a distinctive string (SECRETS) that must never
appear in a board output."""

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
    ThemeMark,
)

FROM, TO = date(2026, 4, 1), date(2026, 9, 30)
SA_GRADES = ["good"] * 6 + ["requires_improvement"] * 5 + ["inadequate"] * 5
SECRETS: list[str] = []


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def _case(n: int) -> Case:
    reference = f"QZ{n:05d}X"
    SECRETS.append(reference)
    case = Case(case_reference=reference)
    db.session.add(case)
    db.session.flush()
    return case


def _audit(version, n: int, done: date | None, grade: str | None) -> Audit:
    evidence = f"Evidence note zebra{n} about the family home"
    audit = Audit(
        case_id=_case(n).id,
        template_version_id=version.id,
        status="submitted" if done else "in_progress",
        submitted_at=_at(done) if done else None,
        overall_grade=grade,
        evidence=evidence,
        overall_rationale=f"Rationale walrus{n}",
    )
    SECRETS.extend([evidence, f"Rationale walrus{n}"])
    db.session.add(audit)
    db.session.flush()
    return audit


def _text(audit: Audit, key: str, n: int, **block) -> None:
    text = f"Free text yak{n} {key} said by mother"
    SECRETS.append(text)
    db.session.add(Answer(audit_id=audit.id, question_key=key, value_text=text, **block))


def build(actor=None) -> dict:
    SECRETS.clear()
    sa = get_template("single_assessment").versions[-1]
    icpc = get_template("icpc_reports").versions[-1]
    n = 0
    for i, grade in enumerate(SA_GRADES):
        n += 1
        audit = _audit(sa, n, date(2026, 4 + i % 6, 10), grade)
        voice = "strength" if i < 10 else "development"
        timeliness = "strength" if i >= 11 else "development"
        db.session.add(ThemeMark(audit_id=audit.id, theme_key="voice_of_child", mark=voice))
        db.session.add(ThemeMark(audit_id=audit.id, theme_key="timeliness", mark=timeliness))
        _text(audit, "delay_impact", n)
    n += 1
    _text(_audit(sa, n, date(2026, 10, 5), "good"), "delay_impact", n)  # after the period
    n += 1
    _audit(sa, n, None, None)  # in progress
    questions = [
        "report_provided",
        "historical_information_included",
        "strengths_and_risks_identified",
        "child_views_included",
        "mother_views_included",
        "father_views_included",
    ]
    for i in range(5):
        n += 1
        audit = _audit(icpc, n, date(2026, 5, 1 + i), "adequate")
        blocks = [("police", {}), ("social_work", {"father_views_included": "no"})]
        if i < 2:
            blocks.append(("gp", dict.fromkeys(questions, "no")))
        for index, (label, answers) in enumerate(blocks):
            where = {"group_key": "agency_report", "block_index": index, "block_label": label}
            for q in questions:
                db.session.add(
                    Answer(
                        audit_id=audit.id, question_key=q, value_text=answers.get(q, "yes"), **where
                    )
                )
            _text(audit, "report_comment", n * 10 + index, **where)
        _text(audit, "what_worked_well", n)
    # Indicators
    reref = Indicator(
        code="REREF",
        name="Re-referrals within 12 months",
        unit="percentage",
        better="lower",
        target=22,
        tolerance=3,
        comparators=[
            {"group": "statistical_neighbours", "value": 21.5, "year": "2024-25"},
            {"group": "england", "value": 22.4, "year": "2024-25"},
        ],
        position=1,
    )
    contacts = Indicator(
        code="CONTACTS", name="Contacts received", unit="count", better="neither", position=2
    )
    db.session.add_all([reref, contacts])
    db.session.flush()
    for indicator, now, then in ((reref, 24.0, 20.0), (contacts, 1258, 1323)):
        db.session.add(IndicatorValue(indicator_id=indicator.id, month=date(2026, 9, 1), value=now))
        db.session.add(
            IndicatorValue(indicator_id=indicator.id, month=date(2025, 9, 1), value=then)
        )
    # A practice week and its conversations
    week = PracticeWeek(
        name="Practice week June 2026", starts_on=date(2026, 6, 8), ends_on=date(2026, 6, 12)
    )
    db.session.add(week)
    db.session.flush()
    for participant, count, consent in (
        ("staff", 6, True),
        ("child", 5, True),
        ("parent_carer", 1, True),
        ("staff", 1, False),
    ):
        for k in range(count):
            summary = f"Conversation heard ibis{participant}{k} in confidence" if consent else ""
            if summary:
                SECRETS.append(summary)
            db.session.add(
                Activity(
                    week_id=week.id,
                    kind=ActivityKind.CONVERSATION,
                    scheduled_on=date(2026, 6, 9),
                    status="done",
                    participant=participant,
                    consent_given=consent,
                    summary=summary,
                )
            )
    # The improvement plan
    plan = ImprovementPlan(title="Children's services improvement plan 2026")
    db.session.add(plan)
    db.session.flush()
    owner = actor
    for number, status, due, completed, text in (
        (
            1,
            "on_track",
            date(2026, 12, 31),
            None,
            "Introduce a chronology standard for assessments",
        ),
        (
            2,
            "complete",
            date(2026, 6, 30),
            date(2026, 6, 15),
            "Relaunch management oversight guidance",
        ),
        (3, "complete", date(2025, 1, 31), date(2025, 1, 1), "Old action finished long ago"),
        (4, "off_track", date(2026, 5, 1), None, "Audit fathers' involvement in plans"),
    ):
        db.session.add(
            ImprovementAction(
                plan_id=plan.id,
                number=number,
                description=text,
                status=status,
                due_date=due,
                completed_on=completed,
                owner_id=owner.id if owner else None,
                expected_outcome=f"Outcome for action {number}" if number in (1, 4) else "",
            )
        )
    db.session.commit()
    return {"plan": plan, "week": week, "indicators": [reref, contacts]}


# Demand (tests that mark contacts as a measure of demand): contacts in every month from April
# to September, 2026 and 2025 (September as above). 2026: 1,200 + 1,300 + 1,250 + 1,150 +
# 1,100 + 1,258 = 7,258; 2025: 1,100 + 1,150 + 1,200 + 1,000 + 1,050 + 1,323 = 6,823;
# 435 more, 6.4% of 6,823: "rose by 6%".
CONTACTS_2026 = [1200, 1300, 1250, 1150, 1100]
CONTACTS_2025 = [1100, 1150, 1200, 1000, 1050]
CONTACTS_DEMAND = (
    "Contacts received rose by 6% between April and September 2026, compared with the same "
    "months of 2025 (7,258 against 6,823)."
)
# Beside it, the audits of the same months: 21 completed (16 single assessments, 6 good; 5
# ICPC audits, all adequate, none good on the three-point scale).
AUDITS_SENTENCE = (
    "21 audits were completed between April and September 2026. Of the 5 audits graded on "
    "the Good / adequate / inadequate scale, 0 (0%) were judged good or better (good). Of the "
    "16 audits graded on the Ofsted four-point scale, 6 (38%) were judged good or better "
    "(outstanding or good)."
)


def mark_demand(indicators: list[Indicator]) -> Indicator:
    """Contacts become a measure of demand, with a value for every month of the period and of
    the same months a year before; returns the contacts indicator."""
    contacts = next(i for i in indicators if i.code == "CONTACTS")
    contacts.demand, contacts.adds_up = True, True
    for year, values in ((2026, CONTACTS_2026), (2025, CONTACTS_2025)):
        for month, value in enumerate(values, start=4):
            db.session.add(
                IndicatorValue(indicator_id=contacts.id, month=date(year, month, 1), value=value)
            )
    db.session.commit()
    return contacts
