"""Bad form posts to six pages (cycle, audit section, improvement action, practice week,
indicator definition, commentary): each is refused with an error summary linking to the field
at fault, never a 500, and the database is unchanged (tests/bad_input/snapshot.py). An audit
section is the exception by design: it keeps what was typed as a draft, and the refusal, with
the same promises, comes when the audit is submitted (see below).

Each page's cases run in one test (one sign-in, one set-up): a case is a good post with some
fields changed. A missing or foreign CSRF token is checked on every page too: refused with
"Your form has expired" and nothing saved. A case marked `bug=` is a fault found and not yet
fixed: it must still misbehave (like a strict xfail), so fixing it fails the test until the
mark is removed."""

from dataclasses import dataclass

from qa_app.data import improvement
from qa_app.data import indicators as indicator_data
from qa_app.data.templates import get_template
from qa_app.models import Role
from tests.audits.factory import make_audit
from tests.audits.filling import page_version, section_data
from tests.bad_input.support import (
    Case,
    Checker,
    error_summary,
    page_refusal,
    summary_names_field,
)
from tests.helpers import csrf_token
from tests.practice_weeks.week_factory import WEEK_START
from tests.support.write_scenarios import filled_audit

LONG = 5001
HUGE = "9" * 400
NUL = "before\x00after"  # PostgreSQL cannot store it: every form refuses control characters
CONTROL = "control characters"  # the words of that refusal (qa_app.web.forms_base)
# XML 1.0 cannot carry these either: each one made a spreadsheet or Word download a 500
NONCHARACTERS = "a\ufffeb\uffff"


@dataclass
class Page:
    """A signed-in client, the address a form posts to, and a good post to spoil."""

    client: object
    url: str
    good: dict
    fresh: object = None  # () -> fields to take afresh before each post (a lock version)


def case(name: str, changes: dict, field: str, message: str = "", bug: str | None = None):
    return Case(name, changes, where=(field, message), bug=bug)


def post(page: Page, changes: dict, *, with_token: bool = True):
    """The good post with `changes` (None removes a field), sent with a fresh CSRF token."""
    data = {**page.good, **(page.fresh() if page.fresh else {})}
    if with_token:
        data["csrf_token"] = csrf_token(page.client, page.url)
    data.update(changes)
    return page.client.post(page.url, data={k: v for k, v in data.items() if v is not None})


def run_cases(page: Page, cases: list[Case]) -> None:
    checker = Checker()
    for bad in cases:
        field, message = bad.where
        checker.run(
            bad,
            lambda bad=bad: post(page, bad.data),
            lambda response, f=field, m=message: summary_names_field(response, f, m),
        )
    missing_token = Case("no CSRF token", {}, where=("Your form has expired",))
    checker.run(
        missing_token,
        lambda: post(page, {}, with_token=False),
        lambda response: page_refusal(response, missing_token.where),
    )
    wrong_token = Case("a CSRF token from elsewhere", {}, where=("Your form has expired",))
    checker.run(
        wrong_token,
        lambda: post(page, {"csrf_token": "IjAxMjM0NTY3ODkwMTIzNDU2Nzg5MDEyMzQ1Njc4OSI.x.y"}),
        lambda response: page_refusal(response, wrong_token.where),
    )
    checker.assert_all_behaved()
    assert checker.checked == len(cases) + 2


def versioned(client, url: str):
    """The lock version the page shows now, for posts to a versioned form."""
    return lambda: {"lock_version": page_version(client.get(url).get_data(as_text=True))}


def _dmy(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


# ---- the audit cycle form -------------------------------------------------------------------

CYCLE_CASES = [
    case("name missing", {"name": ""}, "name", "Enter a name for the cycle"),
    case("name too long", {"name": "C" * 201}, "name"),
    case("name with a NUL", {"name": NUL}, "name", f"Name must not contain {CONTROL}"),
    case("description with a bell", {"description": "a\x07b"}, "description", CONTROL),
    case("description with U+FFFF", {"description": NONCHARACTERS}, "description", CONTROL),
    case("kind not a choice", {"kind": "monthly-ish"}, "kind"),
    case("kind missing", {"kind": None}, "kind", "Choose what kind of cycle this is"),
    case("start 31 February", {"period_start": ["31", "2", "2026"]}, "period_start"),
    case("start in words", {"period_start": ["first", "of", "July"]}, "period_start"),
    case("end before start", {"period_end": ["1", "1", "2026"]}, "period_end"),
    case("due year enormous", {"due_date": ["1", "1", HUGE]}, "due_date"),
    case("due year zero", {"due_date": ["1", "1", "0"]}, "due_date"),
    case("template id in words", {"templates": ["single"]}, "templates"),
    case("template that does not exist", {"templates": ["999999"]}, "templates"),
    case("no template", {"templates": None}, "templates", "Choose at least one template"),
    case("moderation share enormous", {"moderation_share": HUGE}, "moderation_share"),
    case("moderation share 19 digits", {"moderation_share": "1" * 19}, "moderation_share"),
    case("moderation share negative", {"moderation_share": "-5"}, "moderation_share"),
    case("moderation share a fraction", {"moderation_share": "12.5"}, "moderation_share"),
    case("description too long", {"description": "d" * LONG}, "description"),
    case("theme focus not a theme", {"theme_focus": "not_a_theme"}, "theme_focus"),
]


def test_bad_cycle_forms_are_refused_field_by_field(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    good = {
        "name": "CIN plans, Q3 2026",
        "kind": "themed",
        "description": "Quality of child in need plans",
        "period_start": ["1", "7", "2026"],
        "period_end": ["30", "9", "2026"],
        "due_date": ["31", "10", "2026"],
        "templates": [str(get_template("single_assessment").id)],
        "theme_focus": "",
        "moderation_share": "15",
    }
    run_cases(Page(lead, "/cycles/new", good), CYCLE_CASES)


# ---- a section of an audit --------------------------------------------------------------
#
# An audit section is a draft: "Save and continue" keeps what the auditor typed, even a
# number out of range or an impossible date, so that no work is lost (qa_app/audits/routes.py
# saves the raw text). The refusal comes at submission: the submit page lists each problem,
# linking to the question, and submits nothing. So these cases save the bad value through the
# section form (never a 500), then check that submitting is refused, naming the question,
# with the database unchanged by the attempt; then put the good answer back. A control
# character is the one thing a draft cannot keep: saving strips it and says so (see
# tests/bad_input/test_control_characters.py).

SECTION = "about_the_assessment"
SECTION_CASES = [
    case("children below the minimum", {"q__children_in_household": "0"}, "q__children_in"),
    case("children above the maximum", {"q__children_in_household": "21"}, "q__children_in"),
    case("children in words", {"q__children_in_household": "three"}, "q__children_in"),
    case("children enormous", {"q__children_in_household": HUGE}, "q__children_in"),
    case("children infinite", {"q__children_in_household": "1e999"}, "q__children_in"),
    case("children not a number", {"q__children_in_household": "NaN"}, "q__children_in"),
    case("children a fraction", {"q__children_in_household": "2.5"}, "q__children_in"),
    case("assessment type not a choice", {"q__assessment_type": "bogus"}, "q__assessment_type"),
    case(
        "concerns with an unknown choice",
        {"q__presenting_concerns": ["neglect", "bogus"]},
        "q__presenting_concerns",
    ),
    case(
        "start date 31 February",
        {"q__assessment_start_date": ["31", "2", "2026"]},
        "q__assessment_start_date",
    ),
    case(
        "start date year enormous",
        {"q__assessment_start_date": ["1", "2", HUGE]},
        "q__assessment_start_date",
    ),
    case(
        "start date in words",
        {"q__assessment_start_date": ["one", "two", "three"]},
        "q__assessment_start_date",
    ),
]


def test_bad_audit_answers_are_kept_as_typed_and_refused_at_submission(client_as, loaded_templates):
    auditor = client_as(Role.AUDITOR)
    audit = filled_audit(auditor.user)
    content = audit.template_version.content
    section = next(s for s in content["template"]["sections"] if s["key"] == SECTION)
    url = f"/audits/{audit.id}/sections/{SECTION}"
    good = {"action": "later", **section_data(content, section, {})}
    page = Page(auditor, url, good, versioned(auditor, url))
    submit = Page(auditor, f"/audits/{audit.id}/submit", {}, versioned(auditor, url))
    checker = Checker()
    for bad in SECTION_CASES:
        field, _ = bad.where
        saved = post(page, bad.data)
        assert saved.status_code == 302, (
            f"{bad.name}: saving the draft answered {saved.status_code}"
        )
        checker.run(
            bad,
            lambda: post(submit, {}),
            lambda response, f=field: _refused_submission(response, f),
        )
        assert post(page, {}).status_code == 302  # the good answers back
    checker.assert_all_behaved()
    assert post(submit, {}).status_code == 302  # and with them the audit submits


def _refused_submission(response, field: str) -> list[str]:
    if response.status_code != 400:
        return [f"submitting answered {response.status_code}, not 400"]
    summary = error_summary(response)
    if f"#{field}" not in summary:
        return [f"the problems listed at submission do not link to #{field}: {summary[:600]}"]
    return []


GRADED_CASES = [
    case("grade not on the scale", {"section_grade": "superb"}, "section_grade", "from the scale"),
    case("grade with a NUL", {"section_grade": "good\x00"}, "section_grade"),
]


def test_a_grade_off_the_scale_is_refused(client_as, loaded_templates):
    auditor = client_as(Role.AUDITOR)
    audit = make_audit("single_assessment", auditor=auditor.user)
    content = audit.template_version.content
    section = content["template"]["sections"][1]
    assert section["graded"]
    url = f"/audits/{audit.id}/sections/{section['key']}"
    good = {"action": "continue", **section_data(content, section, {})}
    run_cases(Page(auditor, url, good, versioned(auditor, url)), GRADED_CASES)


# ---- an improvement action ----------------------------------------------------------------

ACTION_CASES = [
    case("description missing", {"description": ""}, "description"),
    case("description too long", {"description": "d" * 4001}, "description"),
    case("description with a NUL", {"description": NUL}, "description", CONTROL),
    case("description with U+FFFE", {"description": NONCHARACTERS}, "description", CONTROL),
    case("owner in words", {"owner": "me"}, "owner"),
    case("owner who does not exist", {"owner": "999999"}, "owner"),
    case("due date 30 February", {"due_date": ["30", "2", "2027"]}, "due_date"),
    case("due year enormous", {"due_date": ["1", "1", HUGE]}, "due_date"),
    case("status not a choice", {"status": "finished-ish"}, "status"),
    case("source not a choice", {"source_kind": "rumour"}, "source_kind"),
    case("source note too long", {"source_note": "n" * 301}, "source_note"),
    case("theme not a theme", {"themes": ["not_a_theme"]}, "themes"),
    case("started on in words", {"started_on": ["a", "b", "c"]}, "started_on"),
    case("priority of another plan", {"priority": "999999"}, "priority"),
]


def test_bad_improvement_actions_are_refused_field_by_field(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    plan = improvement.save_plan(None, title="Improvement plan 2026 to 2027", actor=lead.user)
    good = {
        "description": "Team managers check the voice of the child in every plan",
        "priority": "",
        "owner": str(lead.user.id),
        "due_date": ["31", "3", "2099"],
        "status": "on_track",
        "source_kind": "board",
        "source_cycle": "",
        "source_week": "",
        "source_note": "Partnership recommendation 2",
        "expected_outcome": "Children's words recorded in every plan",
        "themes": ["voice_of_child"],
    }
    run_cases(Page(lead, f"/improvement/plans/{plan.id}/actions/new", good), ACTION_CASES)


# ---- a practice week --------------------------------------------------------------------

WEEK_CASES = [
    case("name missing", {"name": "  "}, "name"),
    case("name too long", {"name": "W" * 201}, "name"),
    case("name with a NUL", {"name": NUL}, "name", CONTROL),
    case("purpose with an escape", {"purpose": "\x1b[1mBold"}, "purpose", CONTROL),
    case("first day 29 February 2027", {"starts_on": ["29", "2", "2027"]}, "starts_on"),
    case("first day year enormous", {"starts_on": ["1", "1", HUGE]}, "starts_on"),
    case("last day before the first", {"ends_on": ["1", "1", "2026"]}, "ends_on"),
    case("a week of a year", {"ends_on": ["5", "10", "2027"]}, "ends_on"),
    case("manager in words", {"managers": ["boss"]}, "managers"),
    case("purpose too long", {"purpose": "p" * LONG}, "purpose"),
    case("focus areas too long", {"new_focus_areas": "f" * LONG}, "new_focus_areas"),
]


def test_bad_practice_weeks_are_refused_field_by_field(client_as, make_user, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    manager = make_user(Role.SENIOR_MANAGER)
    good = {
        "name": "Practice week, October",
        "starts_on": _dmy(WEEK_START),
        "ends_on": _dmy(WEEK_START),
        "new_focus_areas": "The front door",
        "managers": [str(manager.id)],
    }
    run_cases(Page(lead, "/practice-weeks/new", good), WEEK_CASES)


# ---- an indicator definition and its commentary -------------------------------------------

INDICATOR_CASES = [
    case("code too long", {"code": "C" * 31}, "code"),
    case("name too long", {"name": "N" * 201}, "name"),
    case("name with a NUL", {"name": NUL}, "name", CONTROL),
    case("target with a NUL", {"target": "8\x005"}, "target"),
    case("unit not a choice", {"unit": "furlongs"}, "unit"),
    case("direction not a choice", {"better": "sideways"}, "better"),
    case("target in words", {"target": "eighty"}, "target"),
    case("target infinite", {"target": "1e999"}, "target"),
    case("target not a number", {"target": "nan"}, "target"),
    case("tolerance too long to be a number", {"tolerance": "1" * 31}, "tolerance"),
    case("england year nonsense", {"england_year": "twenty26"}, "england_year"),
    case("position in words", {"position": "top"}, "position"),
    case("what good looks like too long", {"good_looks_like": "g" * 1001}, "good_looks_like"),
]


def test_bad_indicator_definitions_are_refused_field_by_field(client_as):
    lead = client_as(Role.QA_LEAD)
    good = {
        "code": "ASM01",
        "name": "Assessments within 45 working days",
        "unit": "percentage",
        "better": "higher",
        "target": "85",
        "tolerance": "5",
        "england_value": "82.8",
        "england_year": "2024-25",
        "good_looks_like": "Assessments are timely.",
        "active": "y",
    }
    run_cases(Page(lead, "/indicators/new", good), INDICATOR_CASES)


COMMENTARY_CASES = [
    case("commentary too long", {"text": "c" * 4001}, "text"),
    case("commentary with a NUL", {"text": NUL}, "text", CONTROL),
    case("commentary with U+FFFE and U+FFFF", {"text": NONCHARACTERS}, "text", CONTROL),
]


def test_bad_commentary_is_refused(client_as):
    manager = client_as(Role.SENIOR_MANAGER)
    indicator = indicator_data.create_indicator(
        {"code": "CON01", "name": "Contacts received", "unit": "count", "better": "neither"},
        None,
    )
    url = f"/indicators/{indicator.id}/commentary/2026-04"
    good = {
        "text": "Contacts fell at Easter.",
    }
    run_cases(Page(manager, url, good, versioned(manager, url)), COMMENTARY_CASES)


FORM_CASES = {
    "cycle": CYCLE_CASES,
    "audit section": SECTION_CASES,
    "grade": GRADED_CASES,
    "improvement action": ACTION_CASES,
    "practice week": WEEK_CASES,
    "indicator": INDICATOR_CASES,
    "commentary": COMMENTARY_CASES,
}
# every page run through run_cases also gets its two CSRF cases
FORM_CASE_COUNT = sum(len(c) for c in FORM_CASES.values()) + 2 * (len(FORM_CASES) - 1)
