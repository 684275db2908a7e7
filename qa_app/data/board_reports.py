"""The single-agency report to the safeguarding board (LSCB / safeguarding partnership).

A QA lead drafts one for an agency and a period. It follows the board's form, one section
each: key developments; statistical information and analysis; evidence from case-file audits;
audit of the quality of reports to initial child protection conferences (ICPCs); feedback from
frontline staff; input from children and families; learning from reviews; key findings
(strengths, concerns, areas for development); action plan; expected outcomes.

Versions, drafts, edits and publishing reuse the Report row (kind "lscb", audience
"publication", series "lscb:<agency>:<from>:<to>"): every draft keeps a frozen snapshot of the
figures it was drafted from, a save names the lock version it was based on, and publishing
freezes the version. Everything in the snapshot is board tier: aggregates only, counts below
the organisation's small-number threshold hidden, no case reference and no case free text
(audit figures come from the findings engine's suppressed copy; conversations are counted,
never quoted).

`board_tables(figures)` turns a snapshot into the tables every renderer shows (page, PDF,
DOCX); a cell may name the page its number was computed from as (endpoint, arguments), which
only the web page turns into a link."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.data.organisation import get_settings
from qa_app.data.reports import ReportError, _claim, _lines
from qa_app.extensions import db
from qa_app.findings import Filters, compute_findings, present
from qa_app.findings.suppression import hide_count, suppress
from qa_app.models import (
    ROLE_LABELS,
    ActionStatus,
    Activity,
    ActivityKind,
    ImprovementAction,
    Indicator,
    IndicatorValue,
    PracticeWeek,
    Report,
    ReportAudience,
    ReportKind,
    ReportStatus,
    Role,
    utcnow,
)
from qa_app.reports.narrative import grade_split
from qa_app.templates_engine.answers import clean_text

SCHEMA = 1
ACTIONS_WERE = "improvement actions were"
AGENCY_MAX = 120
MAX_SECTION_TEXT = 20_000
MAX_FINDINGS = 20
MAX_FINDING_TEXT = 1_000
ICPC_TEMPLATE = "icpc_reports"
ICPC_GROUP = "agency_report"
# The ICPC questions the board asks about, per agency: (figure key, question key, heading).
ICPC_QUESTIONS = [
    ("provided", "report_provided", "Provided"),
    ("history", "historical_information_included", "History"),
    ("risks", "strengths_and_risks_identified", "Risks"),
    ("child", "child_views_included", "Child's views"),
    ("mother", "mother_views_included", "Mother's views"),
    ("father", "father_views_included", "Father's views"),
]
PARTICIPANTS = {"child": "Children", "parent_carer": "Parents and carers", "staff": "Staff"}
# A template's share of audits judged at its lowest grade that is worth a concern, in percent.
NOTABLE_WORST_SHARE = 20
TOP = 3  # strengths and areas for development pre-filled from the themes

SECTIONS = [
    ("key_developments", "Key developments over this reporting period", ""),
    ("statistics", "Statistical information and analysis", ""),
    ("audit_evidence", "Evidence from case-file audits", ""),
    ("icpc", "Audit of the quality of reports to initial child protection conferences", ""),
    (
        "frontline_staff",
        "Feedback from frontline staff",
        "What staff told senior managers, and any staffing issues in the period.",
    ),
    (
        "children_families",
        "Input from children and families",
        "How children's and families' views were heard and what changed because of them.",
    ),
    (
        "learning_reviews",
        "Learning from reviews",
        "How findings of serious case reviews (child safeguarding practice reviews) and other "
        "reviews have been put into practice. Left empty, the report says none was recorded.",
    ),
    ("action_plan", "Action plan", ""),
    (
        "expected_outcomes",
        "Expected outcomes",
        "What will be different for children when the improvements are made.",
    ),
]
SECTION_TITLES = {key: title for key, title, _ in SECTIONS}
SECTION_HINTS = {key: hint for key, _, hint in SECTIONS}
# The board's form, in order: the sections, with the key findings after learning from reviews.
KEY_FINDINGS = "key_findings"
FORM_ORDER = [key for key, _, _ in SECTIONS]
FORM_ORDER.insert(FORM_ORDER.index("learning_reviews") + 1, KEY_FINDINGS)
FINDING_KINDS = [
    ("strengths", "Strengths"),
    ("concerns", "Concerns"),
    ("development", "Areas for development"),
]


def threshold() -> int:
    return get_settings().small_number_threshold


def series_key(agency: str, date_from: date, date_to: date) -> str:
    return f"lscb:{agency}:{date_from.isoformat()}:{date_to.isoformat()}"[:200]


def day_text(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def short_day(iso: str | None) -> str:
    if not iso:
        return "–"
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"


def period_words(figures: dict) -> str:
    start = date.fromisoformat(figures["period"]["from"])
    end = date.fromisoformat(figures["period"]["to"])
    return f"{day_text(start)} to {day_text(end)}"


def small_numbers(limit: int) -> str:
    if limit <= 1:
        return "Shown in full (no small-number threshold is set)"
    return f"Counts below {limit} shown as 'fewer than {limit}'"


def privacy_note(limit: int) -> str:
    hidden = (
        f"Counts below {limit} are shown as 'fewer than {limit}', and where one count in a row "
        "is hidden the next smallest is hidden too, so that no child can be identified. "
        if limit > 1
        else ""
    )
    return hidden + "The report holds no case references and no text from children's records."


def default_title(agency: str, date_from: date, date_to: date) -> str:
    period = f"{date_from:%B %Y} to {date_to:%B %Y}"
    return f"Single-agency report to the safeguarding board: {agency}, {period}"[:200]


# ---- the figures: every number the report states, board tier ---------------------------------


def _month(day: date) -> date:
    return day.replace(day=1)


def _year_before(month: date) -> date:
    return month.replace(year=month.year - 1)


def relative_change(now: float | None, then: float | None) -> int | None:
    """The change from `then` to `now` as a whole percentage of `then`, rounded half away
    from zero (1,323 -> 1,258 is -5)."""
    if now is None or then is None or then == 0:
        return None
    change = present.percent_value(abs(round((now - then) * 1000)), abs(round(then * 1000)))
    return -change if now < then else change


def rag(value: float | None, target: float | None, tolerance: float | None, better: str):
    """'green', 'amber', 'red' against the target (amber within the tolerance), or None."""
    if value is None or target is None or better not in ("higher", "lower"):
        return None
    gap = (value - target) if better == "higher" else (target - value)
    if gap >= 0:
        return "green"
    return "amber" if tolerance is not None and -gap <= tolerance else "red"


def indicator_figures(
    date_from: date, date_to: date, indicator_ids: list[int] | None, limit: int
) -> dict:
    """The chosen indicators (default: every active one) for the period's last month with a
    value, against target and comparators, with the change on the same month a year before.
    Two queries: the indicators, then their values for the two months."""
    stmt = select(Indicator).order_by(Indicator.position, Indicator.name)
    if indicator_ids is None:
        stmt = stmt.where(Indicator.active.is_(True))
    else:
        stmt = stmt.where(Indicator.id.in_(indicator_ids or [-1]))
    indicators = list(db.session.scalars(stmt))
    ids = [i.id for i in indicators]
    last = db.session.scalar(
        select(func.max(IndicatorValue.month)).where(
            IndicatorValue.indicator_id.in_(ids or [-1]),
            IndicatorValue.month >= _month(date_from),
            IndicatorValue.month <= date_to,
        )
    )
    month = last or _month(date_to)
    year_before = _year_before(month)
    values = {
        (indicator_id, m): v
        for indicator_id, m, v in db.session.execute(
            select(IndicatorValue.indicator_id, IndicatorValue.month, IndicatorValue.value).where(
                IndicatorValue.indicator_id.in_(ids or [-1]),
                IndicatorValue.month.in_([month, year_before]),
            )
        )
    }
    rows = []
    for ind in indicators:
        value = values.get((ind.id, month))
        before = values.get((ind.id, year_before))
        shown, shown_before = value, before
        if ind.unit == "count":  # a count of children below the threshold is hidden
            shown = hide_count(int(value), limit) if value is not None else None
            shown_before = hide_count(int(before), limit) if before is not None else None
        hidden = value is not None and shown is None
        comparators = {c.get("group"): c for c in (ind.comparators or []) if isinstance(c, dict)}
        rows.append(
            {
                "indicator_id": ind.id,
                "code": ind.code,
                "name": ind.name,
                "unit": ind.unit,
                "better": ind.better,
                "target": ind.target,
                "value": shown,
                "reported": value is not None,
                "hidden": hidden,
                "year_before": shown_before,
                "change_on_year": None
                if hidden or shown_before is None
                else relative_change(value, before),
                "rag": None if hidden else rag(value, ind.target, ind.tolerance, ind.better),
                "comparators": {
                    group: {"value": c.get("value"), "year": c.get("year")}
                    for group, c in comparators.items()
                    if group in ("statistical_neighbours", "region", "england")
                },
            }
        )
    return {"month": month.isoformat(), "year_before": year_before.isoformat(), "rows": rows}


def icpc_figures(findings: dict) -> dict | None:
    """Per agency, from the ICPC template's repeat group in the (suppressed) findings: how many
    reports, and how many answered yes to each of the board's questions out of those where it
    applied."""
    template = next((t for t in findings["templates"] if t["key"] == ICPC_TEMPLATE), None)
    if template is None:
        return None
    repeat = next((r for r in template["repeats"] if r["key"] == ICPC_GROUP), None)
    rows = []
    for block in repeat["blocks"] if repeat else []:
        questions = {q["key"]: q for q in block["questions"]}
        row = {"key": block["key"], "label": block["label"], "n": block["n"]}
        for name, question_key, _ in ICPC_QUESTIONS:
            q = questions.get(question_key)
            if q is None:
                row[name] = {"yes": 0, "of": 0}
                continue
            counts = {k: v for k, v in q["counts"].items() if k != "not_applicable"}
            of = None if any(v is None for v in counts.values()) else sum(counts.values())
            row[name] = {"yes": counts.get("yes", 0), "of": of}
        rows.append(row)
    return {
        "key": template["key"],
        "name": template["name"],
        "audits": template["completed"],
        "rows": rows,
    }


def conversation_figures(date_from: date, date_to: date, limit: int) -> dict:
    """Practice-week conversations held in the period with consent given, counted by who they
    were with. Only counts: what was said never leaves the practice week."""
    stmt = (
        select(Activity.participant, func.count())
        .where(
            Activity.kind == ActivityKind.CONVERSATION,
            Activity.consent_given.is_(True),
            Activity.status == "done",
            Activity.scheduled_on >= date_from,
            Activity.scheduled_on <= date_to,
        )
        .group_by(Activity.participant)
    )
    counts = {key: 0 for key in PARTICIPANTS}
    for participant, n in db.session.execute(stmt):
        if participant in counts:
            counts[participant] = int(n)
    # No total is kept: with one count hidden, a total would give it away.
    return {"counts": {k: hide_count(v, limit) for k, v in counts.items()}}


def _owner_role(user) -> str:
    if user is None:
        return ""
    for role in (Role.SENIOR_MANAGER, Role.QA_LEAD, Role.MODERATOR, Role.AUDITOR):
        if role in user.roles:
            return ROLE_LABELS[role]
    return ""


def action_figures(date_from: date, date_to: date, today: date) -> dict:
    """The improvement plan's open actions, and those completed in the period, with owner,
    due date and RAG status (one query)."""
    from sqlalchemy.orm import selectinload

    stmt = (
        select(ImprovementAction)
        .options(
            selectinload(ImprovementAction.plan),
            selectinload(ImprovementAction.owner),
        )
        .where(
            (ImprovementAction.status != ActionStatus.COMPLETE)
            | (
                (ImprovementAction.completed_on >= date_from)
                & (ImprovementAction.completed_on <= date_to)
            )
        )
        .order_by(ImprovementAction.plan_id, ImprovementAction.number)
    )
    rows = []
    for a in db.session.scalars(stmt):
        status = ActionStatus(a.status)
        rows.append(
            {
                "action_id": a.id,
                "plan": a.plan.title,
                "number": a.number,
                "description": a.description,
                "owner": a.owner.display_name if a.owner else "No owner",
                "owner_role": _owner_role(a.owner),
                "due": a.due_date.isoformat() if a.due_date else None,
                "status": status.value,
                "status_label": status.label,
                "rag": status.rag,
                "overdue": bool(
                    a.due_date and a.due_date < today and status != ActionStatus.COMPLETE
                ),
                "completed_on": a.completed_on.isoformat() if a.completed_on else None,
                "expected_outcome": a.expected_outcome,
            }
        )
    completed = sum(1 for r in rows if r["status"] == ActionStatus.COMPLETE)
    return {
        "rows": rows,
        "open": len(rows) - completed,
        "completed_in_period": completed,
        "overdue": sum(1 for r in rows if r["overdue"]),
    }


def practice_weeks_held(date_from: date, date_to: date) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                PracticeWeek.starts_on <= date_to, PracticeWeek.ends_on >= date_from
            )
        )
        or 0
    )


def compute_board_figures(
    agency: str,
    date_from: date,
    date_to: date,
    *,
    indicator_ids: list[int] | None = None,
    today: date,
) -> dict:
    """Every figure the report states, as a JSON-ready board-tier snapshot."""
    limit = threshold()
    findings = suppress(compute_findings(Filters(date_from=date_from, date_to=date_to)), limit)
    findings.pop("moderation", None)  # not a board question; nothing per auditor either way
    actions = action_figures(date_from, date_to, today)
    return {
        "schema": SCHEMA,
        "kind": ReportKind.LSCB.value,
        "agency": agency,
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "suppression": {"threshold": limit},
        "activity": {
            "audits_completed": findings["totals"]["completed"],
            "practice_weeks": practice_weeks_held(date_from, date_to),
            "actions_completed": actions["completed_in_period"],
        },
        "findings": findings,
        "indicators": indicator_figures(date_from, date_to, indicator_ids, limit),
        "icpc": icpc_figures(findings),
        "conversations": conversation_figures(date_from, date_to, limit),
        "actions": actions,
    }


# ---- drafted text ---------------------------------------------------------------------------


def _n(value, limit: int) -> str:
    return present.count(value, limit)


def _plural(value, one: str, many: str, limit: int) -> str:
    if value is None:
        return f"fewer than {limit} {many}"
    return f"{value:,} {one if value == 1 else many}"


def _were(value) -> str:
    return "was" if value == 1 else "were"


def _month_words(iso: str) -> str:
    return f"{date.fromisoformat(iso):%B %Y}"


def graded_templates(figures: dict) -> list[dict]:
    return [t for t in figures["findings"]["templates"] if t["completed"] != 0]


def _template_key_findings(figures: dict, template_key: str, limit: int) -> list[str]:
    """The template's strongest and weakest themes, as two short sentences."""
    rows = next(
        (
            t["themes"]
            for t in figures["findings"]["themes_by_template"]
            if t["template"] == template_key
        ),
        [],
    )
    out = []
    for mark, words in (("strength", "a strength"), ("development", "an area for development")):
        ranked = sorted(
            (r for r in rows if r[mark] and r["n"]),
            key=lambda r: (-r[mark] / r["n"], -r[mark], r["name"]),
        )
        if ranked:
            r = ranked[0]
            out.append(
                f"{r['name']} was most often {words} ({_n(r[mark], limit)} of {_n(r['n'], limit)})."
            )
    return out


def draft_sections(figures: dict) -> list[dict]:
    limit = figures["suppression"]["threshold"]
    act = figures["activity"]
    period = period_words(figures)
    texts: dict[str, str] = {}
    texts["key_developments"] = (
        f"From {period}, {_plural(act['audits_completed'], 'case audit', 'case audits', limit)} "
        f"{_were(act['audits_completed'])} completed, "
        f"{_plural(act['practice_weeks'], 'practice week was', 'practice weeks were', limit)} held "
        f"and {_plural(act['actions_completed'], 'improvement action was', ACTIONS_WERE, limit)} "
        "completed."
    )
    rows = figures["indicators"]["rows"]
    reported = [r for r in rows if r["reported"]]
    if reported:
        rags = {c: sum(1 for r in reported if r["rag"] == c) for c in ("green", "amber", "red")}
        rated = sum(rags.values())
        texts["statistics"] = (
            f"{len(reported)} of {len(rows)} indicators were reported for "
            f"{_month_words(figures['indicators']['month'])}."
        )
        if rated:
            texts["statistics"] += (
                f" Of the {rated} with a target, {rags['green']} {_were(rags['green'])} on or "
                f"better than target, {rags['amber']} within tolerance and {rags['red']} "
                "outside it."
            )
    else:
        texts["statistics"] = "No indicator values were reported for this period."
    sentences = []
    for t in graded_templates(figures):
        overall = t["overall"]
        s = f"{t['name']}: {_plural(t['completed'], 'audit', 'audits', limit)} completed."
        if overall["n"] != 0:
            split = grade_split(overall, t["scale"]["levels"], limit)
            s += f" Of {_n(overall['n'], limit)} with an overall grade, {split}."
        s += "".join(" " + x for x in _template_key_findings(figures, t["key"], limit))
        sentences.append(s)
    texts["audit_evidence"] = (
        "\n".join(sentences) or "No case-file audits were completed in this period."
    )
    icpc = figures["icpc"]
    if icpc and icpc["audits"] != 0 and icpc["rows"]:
        parts = []
        for row in icpc["rows"]:
            p = row["provided"]
            parts.append(f"{row['label']} {_n(p['yes'], limit)} of {_n(p['of'], limit)}")
        texts["icpc"] = (
            f"{_plural(icpc['audits'], 'conference', 'conferences', limit).capitalize()} "
            f"{_were(icpc['audits'])} audited. Written reports provided, by agency: "
            + ", ".join(parts)
            + "."
        )
    else:
        texts["icpc"] = (
            "No audits of reports to initial child protection conferences were completed in "
            "this period."
        )
    conv = figures["conversations"]["counts"]
    texts["frontline_staff"] = (
        f"Senior managers held {_plural(conv['staff'], 'conversation', 'conversations', limit)} "
        "with staff during practice weeks in this period."
    )
    texts["children_families"] = (
        f"Senior managers heard from {_plural(conv['child'], 'child', 'children', limit)} and "
        f"{_plural(conv['parent_carer'], 'parent or carer', 'parents or carers', limit)} in "
        "practice-week conversations held with their consent."
    )
    if icpc and icpc["rows"]:
        views = [row["child"] for row in icpc["rows"]]
        if views and all(v["yes"] is not None and v["of"] is not None for v in views):
            yes, of = sum(v["yes"] for v in views), sum(v["of"] for v in views)
            if of:
                texts["children_families"] += (
                    f" In the audit of reports to child protection conferences, agencies' "
                    f"reports gave the child's views in {yes:,} of {of:,} reports where it "
                    f"applied ({present.percent(yes, of)})."
                )
    texts["learning_reviews"] = ""
    a = figures["actions"]
    texts["action_plan"] = (
        f"The improvement plan has {_plural(a['open'], 'open action', 'open actions', 0)}, "
        f"{a['overdue']:,} of them overdue; "
        f"{_plural(a['completed_in_period'], 'action was', 'actions were', 0)} completed in the "
        "period."
    )
    outcomes = []
    for row in a["rows"]:
        text = clean_text(row["expected_outcome"] or "").strip()
        if row["status"] != ActionStatus.COMPLETE and text and text not in outcomes:
            outcomes.append(text)
    texts["expected_outcomes"] = "\n".join(outcomes)
    return [{"key": key, "title": title, "text": texts[key]} for key, title, _ in SECTIONS]


def draft_key_findings(figures: dict) -> dict:
    """Strengths from the strongest themes, areas for development from the weakest, concerns
    from grade splits where the lowest grade's share is notable and from red indicators."""
    limit = figures["suppression"]["threshold"]
    findings = figures["findings"]
    by_key = {t["key"]: t for t in findings["themes"]}

    def line(key: str, mark: str, words: str) -> str:
        t = by_key[key]
        audits = _plural(t["n"], "audit", "audits", limit)
        return f"{t['name']}: {words} in {_n(t[mark], limit)} of {audits}."

    concerns = []
    for t in graded_templates(figures):
        levels = t["scale"]["levels"]
        worst = levels[-1] if levels else None
        n = t["overall"]["n"]
        bad = t["overall"]["counts"].get(worst["key"]) if worst else None
        share = present.percent_value(bad, n)
        if share is not None and share >= NOTABLE_WORST_SHARE:
            concerns.append(
                f"{t['name']}: {_n(bad, limit)} of {_n(n, limit)} audits "
                f"({share}%) judged {worst['label'].lower()}."
            )
    for r in figures["indicators"]["rows"]:
        if r["rag"] == "red":
            concerns.append(f"{r['name']} is outside its target tolerance.")

    def leaning(key: str, mark: str, other: str) -> bool:
        """A theme counts as a strength when it was more often a strength than an area for
        development, and the other way round (hidden counts: listed where ranked)."""
        t = by_key[key]
        return t[mark] is None or t[other] is None or t[mark] >= t[other]

    strengths = [k for k in findings["top_strengths"] if leaning(k, "strength", "development")]
    development = [k for k in findings["top_development"] if leaning(k, "development", "strength")]
    return {
        "strengths": [line(k, "strength", "a strength") for k in strengths[:TOP]],
        "concerns": concerns,
        "development": [
            line(k, "development", "an area for development") for k in development[:TOP]
        ],
    }


# ---- writes ---------------------------------------------------------------------------------


def _check_scope(agency: str, date_from, date_to) -> str:
    agency = clean_text(agency or "").strip()
    problems = []
    if not agency:
        problems.append(("agency", "Enter the agency the report is for"))
    elif len(agency) > AGENCY_MAX:
        problems.append(("agency", "Keep the agency's name under 120 characters"))
    if date_from is None:
        problems.append(("period_start", "Enter the start of the period"))
    if date_to is None:
        problems.append(("period_end", "Enter the end of the period"))
    if date_from and date_to and date_to < date_from:
        problems.append(("period_end", "The end of the period must be after its start"))
    if problems:
        raise ReportError("Check the agency and the period", problems)
    return agency


def build_content(
    agency: str,
    date_from: date,
    date_to: date,
    *,
    indicator_ids: list[int] | None = None,
    today: date,
) -> dict:
    """Figures, sections and key findings, not stored (the command line renders these)."""
    figures = compute_board_figures(
        agency, date_from, date_to, indicator_ids=indicator_ids, today=today
    )
    return {
        "figures": figures,
        "sections": draft_sections(figures),
        "key_findings": draft_key_findings(figures),
    }


def draft(
    *,
    agency: str,
    date_from: date | None,
    date_to: date | None,
    actor,
    today: date,
    indicator_ids: list[int] | None = None,
    title: str | None = None,
) -> Report:
    """A new draft version of the board report for the agency and period, from the data now."""
    agency = _check_scope(agency, date_from, date_to)
    key = series_key(agency, date_from, date_to)
    content = build_content(agency, date_from, date_to, indicator_ids=indicator_ids, today=today)
    number = (
        db.session.scalar(select(func.max(Report.number)).where(Report.series_key == key)) or 0
    ) + 1
    report = Report(
        kind=ReportKind.LSCB,
        series_key=key,
        number=number,
        title=clean_text(title or "").strip()[:200] or default_title(agency, date_from, date_to),
        audience=ReportAudience.PUBLICATION,
        status=ReportStatus.DRAFT,
        cycle_id=None,
        scope={
            "agency": agency,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "indicators": indicator_ids,
        },
        created_by_id=getattr(actor, "id", None),
        **content,
    )
    db.session.add(report)
    db.session.flush()
    changelog.record(
        actor,
        "report",
        report.id,
        "drafted",
        {"series": key, "version": number, "kind": ReportKind.LSCB.value, "title": report.title},
    )
    db.session.commit()
    return report


def redraft(report: Report, actor, today: date) -> Report:
    """A new draft from the same agency, period and indicators with today's data."""
    scope = report.scope
    return draft(
        agency=scope["agency"],
        date_from=date.fromisoformat(scope["from"]),
        date_to=date.fromisoformat(scope["to"]),
        indicator_ids=scope.get("indicators"),
        actor=actor,
        today=today,
        title=report.title,
    )


def save_text(
    report: Report,
    *,
    sections: dict[str, str],
    findings: dict[str, str],
    based_on: int,
    actor,
) -> None:
    """Save the QA lead's text for each section and the key findings (one per line)."""
    if report.kind != ReportKind.LSCB:
        raise ReportError("This is not a board report")
    problems = []
    new_sections = []
    for section in report.sections:
        text = clean_text(sections.get(section["key"], section["text"]) or "").strip()
        if len(text) > MAX_SECTION_TEXT:
            problems.append(
                (f"section__{section['key']}", f"Keep {section['title']} under 20,000 characters")
            )
        new_sections.append(section | {"text": text})
    new_findings = {}
    for name, _label in FINDING_KINDS:
        raw = findings.get(name)
        items = _lines(raw) if raw is not None else list(report.key_findings.get(name, []))
        if len(items) > MAX_FINDINGS or any(len(i) > MAX_FINDING_TEXT for i in items):
            problems.append(
                (name, "List at most 20 findings, one per line, each under 1,000 characters")
            )
        new_findings[name] = items
    if problems:
        raise ReportError("Check the text", problems)
    _claim(report, based_on)
    before = {s["key"]: s["text"] for s in report.sections} | {
        f"key_findings.{k}": v for k, v in report.key_findings.items()
    }
    after = {s["key"]: s["text"] for s in new_sections} | {
        f"key_findings.{k}": v for k, v in new_findings.items()
    }
    report.sections = new_sections
    report.key_findings = new_findings
    changelog.record(actor, "report", report.id, "edited", changelog.diff(before, after))
    db.session.commit()


def active_indicators() -> list[Indicator]:
    return list(
        db.session.scalars(
            select(Indicator)
            .where(Indicator.active.is_(True))
            .order_by(Indicator.position, Indicator.name)
        )
    )


# ---- tables for every renderer ----------------------------------------------------------------


@dataclass
class Cell:
    text: str
    # (endpoint, URL arguments) of the page the number was computed from; the web page alone
    # turns it into a link.
    link: tuple[str, dict] | None = None
    rag: str | None = None  # red, amber, green, blue (complete) or grey: a status shown in colour

    def __str__(self) -> str:
        return self.text


@dataclass
class BoardTable:
    caption: str
    header: list[str]
    rows: list[list[Cell]]
    numeric: set[int] = field(default_factory=set)
    widths: list[float] | None = None  # fractions of the text width, for the PDF


UNIT_WORDS = {"percentage": "%", "rate_per_10000": " per 10,000", "count": ""}
GROUP_HEADINGS = [
    ("statistical_neighbours", "Stat. neighbours"),
    ("region", "Region"),
    ("england", "England"),
]
RAG_WORDS = {"green": "Green", "amber": "Amber", "red": "Red", None: "–"}


def indicator_value(value, unit: str, limit: int, hidden: bool = False) -> str:
    if hidden:
        return f"fewer than {limit}"
    if value is None:
        return "–"
    text = present.number(value)
    return text + ("%" if unit == "percentage" else "")


def _change(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{value:+d}%" if value else "0%"


def _share(yes, of, limit: int) -> str:
    if yes is None:
        return f"fewer than {limit}"
    if of is None:
        return f"{yes:,} of fewer than {limit}"
    pct = present.percent_value(yes, of)
    return f"{yes:,} of {of:,}" + (f" ({pct}%)" if pct is not None else "")


def _period_args(figures: dict, **extra) -> dict:
    return {"from": figures["period"]["from"], "to": figures["period"]["to"], **extra}


def activity_tiles(figures: dict) -> list[tuple[Cell, str]]:
    limit = figures["suppression"]["threshold"]
    act = figures["activity"]
    return [
        (
            Cell(
                _n(act["audits_completed"], limit), ("dashboards.overview", _period_args(figures))
            ),
            "case audits completed",
        ),
        (Cell(f"{act['practice_weeks']:,}", ("practice_weeks.index", {})), "practice weeks held"),
        (
            Cell(f"{act['actions_completed']:,}", ("improvement.actions", {})),
            "improvement actions completed",
        ),
    ]


def board_tables(figures: dict) -> dict[str, list[BoardTable]]:
    """The tables of each section, from the frozen snapshot."""
    limit = figures["suppression"]["threshold"]
    out: dict[str, list[BoardTable]] = {key: [] for key, _, _ in SECTIONS}
    ind = figures["indicators"]
    if ind["rows"]:
        month = _month_words(ind["month"])
        scorecard = ("indicators.scorecard", {})
        rows = []
        for r in ind["rows"]:
            comps = []
            for group, _ in GROUP_HEADINGS:
                c = r["comparators"].get(group)
                comps.append(
                    Cell(
                        indicator_value(c["value"], r["unit"], limit)
                        + (f" ({c['year']})" if c and c.get("year") else "")
                    )
                    if c
                    else Cell("–")
                )
            unit = {"rate_per_10000": " (rate per 10,000)", "percentage": " (%)"}.get(r["unit"], "")
            rows.append(
                [
                    Cell(r["name"] + unit, scorecard),
                    Cell(indicator_value(r["value"], r["unit"], limit, r["hidden"]), scorecard),
                    Cell(indicator_value(r["target"], r["unit"], limit)),
                    Cell(RAG_WORDS[r["rag"]], rag=r["rag"]),
                    Cell(_change(r["change_on_year"])),
                    *comps,
                ]
            )
        out["statistics"].append(
            BoardTable(
                caption=f"Performance indicators, {month}",
                header=[
                    "Indicator",
                    f"{date.fromisoformat(ind['month']):%b %Y}",
                    "Target",
                    "RAG",
                    "Change on a year",
                    *[h for _, h in GROUP_HEADINGS],
                ],
                rows=rows,
                numeric={1, 2, 4, 5, 6, 7},
                widths=[0.21, 0.09, 0.1, 0.12, 0.1, 0.14, 0.1, 0.14],
            )
        )
    templates = graded_templates(figures)
    if templates:
        rows = []
        for t in templates:
            link = ("dashboards.template", {"key": t["key"], **_period_args(figures)})
            gob = t["overall"]["good_or_better"]
            rows.append(
                [
                    Cell(t["name"], link),
                    Cell(_n(t["completed"], limit), link),
                    Cell(_n(gob, limit), link),
                    Cell(present.percent(gob, t["overall"]["n"])),
                ]
            )
        out["audit_evidence"].append(
            BoardTable(
                caption="Case-file audits completed, by kind",
                header=["Audit", "Completed", "Good or better", "Share good or better"],
                rows=rows,
                numeric={1, 2, 3},
                widths=[0.46, 0.16, 0.19, 0.19],
            )
        )
        for t in templates:
            link = ("dashboards.template", {"key": t["key"], **_period_args(figures)})
            overall = t["overall"]
            rows = [
                [
                    Cell(level["label"]),
                    Cell(_n(overall["counts"].get(level["key"]), limit), link),
                    Cell(present.percent(overall["counts"].get(level["key"]), overall["n"])),
                ]
                for level in t["scale"]["levels"]
            ]
            rows.append(
                [
                    Cell("All graded"),
                    Cell(_n(overall["n"], limit), link),
                    Cell("100%" if overall["n"] else "–"),
                ]
            )
            out["audit_evidence"].append(
                BoardTable(
                    caption=f"{t['name']}: overall grade",
                    header=["Grade", "Audits", "Share"],
                    rows=rows,
                    numeric={1, 2},
                    widths=[0.6, 0.2, 0.2],
                )
            )
    icpc = figures["icpc"]
    if icpc and icpc["rows"]:
        link = ("dashboards.template", {"key": icpc["key"], **_period_args(figures)})
        out["icpc"].append(
            BoardTable(
                caption=f"Reports to conference by agency ({_n(icpc['audits'], limit)} "
                "conferences audited): answered yes, of the reports where the question applied",
                header=["Agency", "Reports", *[h for _, _, h in ICPC_QUESTIONS]],
                rows=[
                    [
                        Cell(row["label"], link),
                        Cell(_n(row["n"], limit), link),
                        *[
                            Cell(_share(row[name]["yes"], row[name]["of"], limit))
                            for name, _, _ in ICPC_QUESTIONS
                        ],
                    ]
                    for row in icpc["rows"]
                ],
                numeric=set(range(1, 2 + len(ICPC_QUESTIONS))),
                widths=[0.14, 0.11] + [0.75 / len(ICPC_QUESTIONS)] * len(ICPC_QUESTIONS),
            )
        )
    conv = figures["conversations"]
    weeks = ("practice_weeks.index", {})
    out["frontline_staff"].append(
        BoardTable(
            caption="Practice-week conversations with staff (with consent)",
            header=["With", "Conversations"],
            rows=[[Cell("Staff"), Cell(_n(conv["counts"]["staff"], limit), weeks)]],
            numeric={1},
            widths=[0.7, 0.3],
        )
    )
    out["children_families"].append(
        BoardTable(
            caption="Practice-week conversations with children and families (with consent)",
            header=["With", "Conversations"],
            rows=[
                [Cell(PARTICIPANTS[k]), Cell(_n(conv["counts"][k], limit), weeks)]
                for k in ("child", "parent_carer")
            ],
            numeric={1},
            widths=[0.7, 0.3],
        )
    )
    actions = figures["actions"]["rows"]
    if actions:
        out["action_plan"].append(
            BoardTable(
                caption="Improvement plan: open actions and those completed in the period",
                header=["No.", "Action", "Owner", "Due", "Status"],
                rows=[
                    [
                        Cell(
                            str(a["number"]), ("improvement.action", {"action_id": a["action_id"]})
                        ),
                        Cell(
                            a["description"], ("improvement.action", {"action_id": a["action_id"]})
                        ),
                        Cell(a["owner"] + (f" ({a['owner_role']})" if a["owner_role"] else "")),
                        Cell(short_day(a["due"])),
                        Cell(
                            rag=a["rag"],
                            text=a["status_label"]
                            + (" (overdue)" if a["overdue"] else "")
                            + (
                                f", {short_day(a['completed_on'])}"
                                if a["completed_on"] and a["status"] == "complete"
                                else ""
                            ),
                        ),
                    ]
                    for a in actions
                ],
                widths=[0.06, 0.44, 0.2, 0.13, 0.17],
            )
        )
    return out


# ---- rendering a stored version ---------------------------------------------------------------


def render_inputs(report: Report, status: str | None = None) -> dict:
    from qa_app.reports.render import status_line

    return {
        "title": report.title,
        "sections": report.sections,
        "key_findings": report.key_findings,
        "figures": report.figures,
        "status": status or status_line(report),
        "organisation": f"{get_settings().council_name}: children's services",
    }


def pdf_bytes(report: Report, status: str | None = None) -> bytes:
    from qa_app.reports.board_pdf import board_report_pdf

    return board_report_pdf(**render_inputs(report, status))


def docx_bytes(report: Report, status: str | None = None) -> bytes:
    from qa_app.reports.board_docx import board_report_docx

    return board_report_docx(**render_inputs(report, status))
