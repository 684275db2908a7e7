"""The template library pages: the list, one template's versions, and a version's read-only
preview, for the shipped templates and for a template loaded again after a change."""

import html as html_lib
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO

from qa_app.data.templates import store_library
from qa_app.models import Role
from qa_app.templates_engine.content import iter_questions
from qa_app.templates_engine.validate import validate_path

SHIPPED = {
    "cin_plan": "Child in need plan",
    "cp_plan_visits": "Child protection plan and visits",
    "icpc_reports": "Reports to initial child protection conference",
    "single_assessment": "Single assessment (child and family assessment)",
}
PRACTICE_WEEK = {
    "observe_meeting": "Observe a meeting (practice week)",
    "shadow_practitioner": "Shadow a practitioner (practice week)",
}
OLD_TEXT = "Primary need recorded for the child"
NEW_TEXT = "Primary need code recorded for the child in the census"
ADDED_TEXT = "How many reviews of the plan have been held?"
ADDED_QUESTION = f"""\
      - key: plan_reviews_held
        type: number
        text: {ADDED_TEXT}
        min: 0

"""


def _text(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _copy_library(tmp_path: Path) -> Path:
    target = tmp_path / "audit_templates"
    shutil.copytree(REPO / "audit_templates", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    source = path.read_text()
    assert source.count(old) == 1, f"{old!r} not found exactly once in {path.name}"
    path.write_text(source.replace(old, new))


def _store(directory: Path):
    library, problems = validate_path(directory)
    assert not problems, problems
    return store_library(library)


def _load_changed_cin_plan(tmp_path: Path) -> None:
    directory = _copy_library(tmp_path)
    cin = directory / "cin_plan.yaml"
    _edit(cin, f"text: {OLD_TEXT}\n", f"text: {NEW_TEXT}\n")
    _edit(cin, "      - key: months_on_plan\n", ADDED_QUESTION + "      - key: months_on_plan\n")
    results = {r.key: r for r in _store(directory)}
    assert results["cin_plan"].outcome == "new_version"


def _index_rows(html: str) -> dict[str, list[str]]:
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S):
        cells = [
            _squash(html_lib.unescape(re.sub(r"<[^>]+>", " ", c)))
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if cells:
            rows[cells[0]] = cells[1:]
    return rows


class _Controls(HTMLParser):
    """Form controls a person could use: not disabled themselves and not inside a disabled
    fieldset (outside that fieldset's first legend); each with the form it is in and whether
    it is in the page's main content."""

    CONTROLS = {"input", "textarea", "select", "button"}

    def __init__(self):
        super().__init__()
        self.fieldsets: list[dict] = []  # {"disabled": bool, "legends": int, "in_legend": bool}
        self.form_actions: list[str | None] = []
        self.in_main = False
        self.enabled: list[dict] = []
        self.total_in_main = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "fieldset":
            self.fieldsets.append(
                {"disabled": "disabled" in attributes, "legends": 0, "in_legend": False}
            )
        elif tag == "legend" and self.fieldsets:
            current = self.fieldsets[-1]
            current["legends"] += 1
            current["in_legend"] = current["legends"] == 1
        elif tag == "form":
            self.form_actions.append(attributes.get("action"))
        elif tag in self.CONTROLS:
            self.total_in_main += self.in_main
            if "disabled" in attributes:
                return
            if any(f["disabled"] and not f["in_legend"] for f in self.fieldsets):
                return
            self.enabled.append(
                {
                    "tag": tag,
                    "type": attributes.get("type"),
                    "name": attributes.get("name"),
                    "form": self.form_actions[-1] if self.form_actions else None,
                    "in_main": self.in_main,
                    "hidden": "hidden" in attributes,
                }
            )

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        elif tag == "legend" and self.fieldsets:
            self.fieldsets[-1]["in_legend"] = False
        elif tag == "form" and self.form_actions:
            self.form_actions.pop()


def _controls(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    parser.close()
    return parser


# --- the list -----------------------------------------------------------------------------


def test_qa_lead_sees_the_shipped_templates_with_their_kind_and_current_version(
    client_as, loaded_templates
):
    lead = client_as(Role.QA_LEAD)

    rows = _index_rows(lead.get("/templates/").get_data(as_text=True))

    assert set(rows) == set(SHIPPED.values()) | set(PRACTICE_WEEK.values())
    for name in SHIPPED.values():
        assert rows[name] == ["Case audit", "1", "1"]
    assert rows[PRACTICE_WEEK["observe_meeting"]] == ["Observation", "1", "1"]
    assert rows[PRACTICE_WEEK["shadow_practitioner"]] == ["Shadowing", "1", "1"]


def test_template_list_says_when_nothing_is_loaded(client_as):
    lead = client_as(Role.QA_LEAD)
    assert "No templates have been loaded yet." in _text(lead.get("/templates/"))


def test_moderator_may_see_templates_but_auditor_and_board_viewer_may_not(
    client_as, loaded_templates
):
    assert client_as(Role.MODERATOR).get("/templates/cin_plan").status_code == 200
    for role in (Role.AUDITOR, Role.BOARD_VIEWER, Role.SENIOR_MANAGER):
        other = client_as(role)
        assert other.get("/templates/").status_code == 403
        assert other.get("/templates/cin_plan/versions/1").status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(client, loaded_templates):
    response = client.get("/templates/cin_plan")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


# --- one template's page ------------------------------------------------------------------


def test_template_page_lists_its_versions_with_the_source_file(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)

    response = lead.get("/templates/icpc_reports")

    text = _text(response)
    assert "Reports to initial child protection conference" in text
    assert "Graded on the Good / adequate / inadequate scale; 5 sections." in text
    rows = _index_rows(response.get_data(as_text=True))
    assert list(rows) == ["Version 1"]
    loaded_at, source_file, changed = rows["Version 1"]
    assert source_file.endswith("icpc_reports.yaml")
    assert changed == "First version"
    assert 'href="/templates/icpc_reports/versions/1"' in response.get_data(as_text=True)


def test_loading_a_changed_template_shows_version_2_and_what_changed(
    client_as, loaded_templates, tmp_path
):
    _load_changed_cin_plan(tmp_path)
    lead = client_as(Role.QA_LEAD)

    response = lead.get("/templates/cin_plan")

    rows = _index_rows(response.get_data(as_text=True))
    assert list(rows) == ["Version 2", "Version 1"]
    changes = rows["Version 2"][2]
    assert f"Question added: {ADDED_TEXT}" in changes
    assert f"Question changed: {NEW_TEXT}" in changes
    assert "Question removed" not in changes
    assert rows["Version 1"][2] == "First version"
    index = _index_rows(lead.get("/templates/").get_data(as_text=True))
    assert index["Child in need plan"][1:] == ["2", "2"]
    assert index["Child protection plan and visits"][1:] == ["1", "1"]


def test_preview_of_version_1_still_shows_the_old_wording_after_a_change(
    client_as, loaded_templates, tmp_path
):
    _load_changed_cin_plan(tmp_path)
    lead = client_as(Role.QA_LEAD)

    old = _text(lead.get("/templates/cin_plan/versions/1"))
    new = _text(lead.get("/templates/cin_plan/versions/2"))

    assert OLD_TEXT in old
    assert NEW_TEXT not in old
    assert ADDED_TEXT not in old
    assert "Preview of version 1 (not the current version: 2)" in old
    assert NEW_TEXT in new and ADDED_TEXT in new
    assert "Preview of version 2" in new and "not the current version" not in new


def test_retitling_a_section_is_reported_as_a_section_change(client_as, loaded_templates, tmp_path):
    directory = _copy_library(tmp_path)
    _edit(directory / "cin_plan.yaml", "title: About the plan\n", "title: The plan itself\n")
    _store(directory)
    lead = client_as(Role.QA_LEAD)

    rows = _index_rows(lead.get("/templates/cin_plan").get_data(as_text=True))

    assert "Section renamed: About the plan to The plan itself" in rows["Version 2"][2]


def test_changing_only_a_theme_description_is_reported_as_such(
    client_as, loaded_templates, tmp_path
):
    directory = _copy_library(tmp_path)
    _edit(
        directory / "themes.yaml",
        "timescales, and any delay is explained",
        "timescales, and every delay is explained",
    )
    results = {r.key: r.outcome for r in _store(directory)}
    assert results["cin_plan"] == "new_version"
    lead = client_as(Role.QA_LEAD)

    rows = _index_rows(lead.get("/templates/cin_plan").get_data(as_text=True))

    assert rows["Version 2"][2] == "Theme description changed: Timeliness"


@pytest.mark.parametrize(
    "url",
    [
        "/templates/no_such_template",
        "/templates/no_such_template/versions/1",
        "/templates/cin_plan/versions/2",
        "/templates/cin_plan/versions/0",
    ],
)
def test_unknown_template_or_version_is_not_found(client_as, loaded_templates, url):
    lead = client_as(Role.QA_LEAD)
    assert lead.get(url).status_code == 404


# --- previews -----------------------------------------------------------------------------


@pytest.fixture
def shipped_library():
    library, problems = validate_path(REPO / "audit_templates")
    assert not problems
    return library


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_preview_renders_every_question_of_each_shipped_template(
    client_as, loaded_templates, shipped_library, key
):
    lead = client_as(Role.QA_LEAD)
    template = shipped_library.templates[key]

    response = lead.get(f"/templates/{key}/versions/1")

    assert response.status_code == 200
    text = _text(response)
    assert SHIPPED[key] in text
    assert "This is a read-only preview" in text
    for section in template["sections"]:
        assert _squash(section["title"]) in text
        for question in iter_questions(section["questions"]):
            assert _squash(question["text"]) in text, question["key"]
            for option in question.get("options", []):
                assert _squash(option["label"]) in text, (question["key"], option["key"])


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_every_control_in_a_preview_is_disabled(client_as, loaded_templates, key):
    lead = client_as(Role.QA_LEAD)

    html = lead.get(f"/templates/{key}/versions/1").get_data(as_text=True)

    controls = _controls(html)
    assert controls.total_in_main > 20  # the preview really shows the form
    assert [c for c in controls.enabled if c["in_main"]] == []
    # Outside the preview, only the page's own chrome: the sign-out form (its CSRF token and
    # button) and the header's menu toggle, which is a plain button in no form.
    fields = [c for c in controls.enabled if c["tag"] in ("input", "textarea", "select")]
    assert fields == [
        {
            "tag": "input",
            "type": "hidden",
            "name": "csrf_token",
            "form": "/sign-out",
            "in_main": False,
            "hidden": False,
        }
    ]
    buttons = [c for c in controls.enabled if c["tag"] == "button"]
    assert all(
        b["form"] == "/sign-out" or (b["form"] is None and b["type"] == "button") for b in buttons
    ), buttons
    assert sum(b["form"] == "/sign-out" for b in buttons) == 1


@pytest.mark.parametrize("key", sorted(SHIPPED))
def test_preview_has_no_duplicate_element_ids(client_as, loaded_templates, key):
    lead = client_as(Role.QA_LEAD)
    html = lead.get(f"/templates/{key}/versions/1").get_data(as_text=True)
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []


def test_icpc_preview_shows_the_agency_repeat_group_with_its_options(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)

    response = lead.get("/templates/icpc_reports/versions/1")

    text = _text(response)
    assert "Agency reports to the conference" in text
    assert (
        "The auditor adds one block per agency (at least 1). "
        "Each block asks the same 11 questions." in text
    )
    assert "Agency: Police" in text
    assert (
        "Agency blocks available: Police, School, GP, Health visitor, School nurse, "
        "Probation, Social work, Other."
    ) in text
    html = response.get_data(as_text=True)
    assert len(_names_ending(html, "r__agency_report__0__report_grade")) == 1
    assert len(_names_ending(html, "r__agency_report__0__report_provided")) == 1
    assert not _names_ending(html, "r__agency_report__1__report_grade")  # one example block


def _radio_labels(html: str, name: str) -> list[str]:
    labels = []
    for input_id in re.findall(
        rf'<input[^>]*id="([^"]+)"[^>]*name="{re.escape(name)}"'
        r'[^>]*type="radio"',
        html,
    ):
        label = re.search(rf'<label[^>]*for="{re.escape(input_id)}"[^>]*>(.*?)</label>', html, re.S)
        labels.append(_squash(html_lib.unescape(label.group(1))))
    return labels


def _names_ending(html: str, suffix: str) -> set[str]:
    return set(re.findall(rf'name="([^"]*{re.escape(suffix)})"', html))


def test_ofsted_graded_preview_offers_the_four_point_scale(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    html = lead.get("/templates/single_assessment/versions/1").get_data(as_text=True)

    ofsted = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]
    [overall] = _names_ending(html, "overall_grade")
    assert _radio_labels(html, overall) == ofsted
    section_grades = _names_ending(html, "section_grade")
    assert section_grades
    for name in section_grades:
        assert _radio_labels(html, name) == ofsted


def test_three_point_preview_offers_good_adequate_inadequate(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    html = lead.get("/templates/icpc_reports/versions/1").get_data(as_text=True)

    three = ["Good", "Adequate", "Inadequate"]
    [report_grade] = _names_ending(html, "r__agency_report__0__report_grade")
    assert _radio_labels(html, report_grade) == three
    [overall] = _names_ending(html, "overall_grade")
    assert _radio_labels(html, overall) == three
    assert "Requires improvement to be good" not in html


def test_single_assessment_preview_explains_the_limiting_section(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)

    text = _text(lead.get("/templates/single_assessment/versions/1"))

    assert (
        "The overall grade can be no better than the grade given to a limiting section "
        "(Analysis of needs and risks)."
    ) in text
    assert "Analysis of needs and risks Graded Limiting" in text


def test_icpc_preview_has_no_limiting_explanation(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    text = _text(lead.get("/templates/icpc_reports/versions/1"))
    assert "no better than the grade given to a limiting section" not in text
    assert "Limiting" not in text


def test_preview_lists_the_themes_the_audit_marks(client_as, loaded_templates, shipped_library):
    lead = client_as(Role.QA_LEAD)
    text = _text(lead.get("/templates/icpc_reports/versions/1"))
    assert "Themes this audit marks" in text
    for theme in ("Voice of the child", "Timeliness", "Quality of analysis"):
        assert theme in text.split("Themes this audit marks", 1)[1]


def test_the_preview_says_what_each_sections_checks_refuse(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    page = _text(lead.get("/templates/cp_plan_visits/versions/1"))
    assert (
        "“How many core group meetings were held within timescale?” can be no more than"
        " “How many core group meetings were due in the period audited?”"
    ) in page
    assert "“Date of the most recent review conference” cannot be in the future" in page
