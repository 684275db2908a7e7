"""The single-agency report to the safeguarding board: the board's form and its shared words.

The form's sections in order (key developments; statistical information and analysis; evidence
from case-file audits; audit of the quality of reports to initial child protection conferences
(ICPCs); feedback from frontline staff; input from children and families; learning from
reviews; key findings (strengths, concerns, areas for development); action plan; expected
outcomes), the ICPC questions and conversation participants the board asks about, and the
words for dates, periods, hidden counts and privacy that the drafted text, the tables and
every renderer share. Pure: no database, no Flask."""

from datetime import date
from typing import Any

from qa_app.findings import present
from qa_app.findings.audiences import Audience, audience_label
from qa_app.findings.present import day_text, period_text
from qa_app.rules.uk_time import uk_datetime

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
        "Learning from serious case and child safeguarding practice reviews",
        "How findings of serious case reviews (child safeguarding practice reviews) and other "
        "reviews have been put into practice. Drafted from the reviews recorded under Reports, "
        "Reviews the service learns from; left empty, the report says none was recorded.",
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


def short_day(iso: str | None) -> str:
    """A stored date in the report's one format, "–" where there is none."""
    if not iso:
        return "–"
    return day_text(date.fromisoformat(iso))


def period_words(figures: dict[str, Any]) -> str:
    start = date.fromisoformat(figures["period"]["from"])
    end = date.fromisoformat(figures["period"]["to"])
    return period_text(start, end)


def as_at(figures: dict[str, Any]) -> str:
    """When the figures were frozen, in UK time: "20 October 2026 at 15:05"."""
    return uk_datetime(figures["generated_at"])


def form_details(
    figures: dict[str, Any], author: str, report_date: date | None
) -> list[tuple[str, str]]:
    """The board form's heading: who wrote it, for which agency, the date of the report and
    the period it covers."""
    return [
        ("Author", author or "–"),
        ("Agency", figures["agency"]),
        ("Date of report", day_text(report_date) if report_date else "–"),
        ("Period covered", period_words(figures)),
    ]


def default_details(figures: dict[str, Any]) -> list[tuple[str, str]]:
    """The agency and the period: a board report's details when it is given none."""
    return [("Agency", figures["agency"]), ("Period covered", period_words(figures))]


def figure_details(figures: dict[str, Any]) -> list[tuple[str, str]]:
    """When the figures were frozen, who may read them and how small numbers are shown."""
    return [
        ("Figures as at", as_at(figures)),
        ("Audience", audience_label(Audience.PARTNERSHIP)),
        ("Small numbers", small_numbers(figures["suppression"]["threshold"])),
    ]


# what a section with no text says instead, in every format
EMPTY_SECTIONS = {
    "key_developments": "No key developments were recorded.",
    "learning_reviews": "No learning from reviews was recorded for this period.",
}


def small_numbers(limit: int) -> str:
    if limit <= 1:
        return "Shown in full (no small-number threshold is set)"
    return present.suppression_meta(limit)


def privacy_note(limit: int) -> str:
    hidden = (
        present.suppression_note(limit) + " No child can be identified from these figures. "
        if limit > 1
        else ""
    )
    return hidden + "The report holds no case references and no text from children's records."


def count_words(value: int | None, limit: int) -> str:
    """A board-tier count for a table cell: 'hidden' where it was suppressed (never 'fewer
    than <limit>': a count hidden secondarily may be <limit> or more)."""
    return present.count(value, limit)


def month_words(iso: str) -> str:
    return f"{date.fromisoformat(iso):%B %Y}"


def graded_templates(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's audit templates with audits completed in the period."""
    return [t for t in figures["findings"]["templates"] if t["completed"] != 0]
