"""Organisation settings, the case-reference rule, teams and localities."""

import html as html_lib
import re

import pytest
from conftest import csrf_token
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from qa_app.data import organisation
from qa_app.data.organisation import OrganisationError, case_reference_problem
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, Locality, OrgSettings, Role, Team
from qa_app.models.organisation import DEFAULT_CASE_REFERENCE_PATTERN

SETTINGS = {
    "council_name": "Northshire County Council",
    "service_name": "Audit Hub",
    "case_reference_pattern": "[0-9]{6,10}",
    "case_reference_hint": "The case number, 6 to 10 digits",
    "small_number_threshold": "5",
    "partnership_threshold": "",
    "min_group_size": "10",
    "submit": "Save settings",
}


def _text(response) -> str:
    """The page as text a person reads: tags dropped, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def _stored() -> OrgSettings:
    db.session.expire_all()
    return db.session.get(OrgSettings, 1)


def _save_settings(admin, **overrides):
    data = dict(SETTINGS, csrf_token=csrf_token(admin, "/admin/settings"))
    data.update(overrides)
    return admin.post("/admin/settings", data=data)


def _check(admin, reference: str):
    token = csrf_token(admin, "/admin/settings")
    return admin.post(
        "/admin/settings",
        data={
            "check-csrf_token": token,
            "check-case_reference": reference,
            "check-submit": "Check",
        },
    )


def _log(entity_type: str, action: str | None = None) -> list[ChangeLogEntry]:
    stmt = select(ChangeLogEntry).where(ChangeLogEntry.entity_type == entity_type)
    if action:
        stmt = stmt.where(ChangeLogEntry.action == action)
    return list(db.session.scalars(stmt.order_by(ChangeLogEntry.id)))


# --- settings ---------------------------------------------------------------------------


def test_saved_council_and_service_names_show_in_the_header_of_the_next_page(client_as):
    admin = client_as(Role.ADMIN)

    response = _save_settings(admin)
    assert response.status_code == 302

    page = admin.get("/", follow_redirects=True)
    html = page.get_data(as_text=True)
    header = html.split("<main", 1)[0]
    assert "Northshire County Council" in header
    assert "Audit Hub" in header
    assert re.search(r"<title>[^<]*Audit Hub[^<]*Northshire County Council", html)
    stored = _stored()
    assert (stored.council_name, stored.service_name) == ("Northshire County Council", "Audit Hub")
    assert stored.updated_by_id == admin.user.id


def test_saving_settings_shows_a_confirmation_and_the_saved_values(client_as):
    admin = client_as(Role.ADMIN)
    response = _save_settings(admin, small_number_threshold="3")
    page = admin.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "Organisation settings saved" in html
    assert 'value="Northshire County Council"' in html
    assert _stored().small_number_threshold == 3


def test_the_partnership_reads_exact_counts_unless_the_council_sets_a_threshold(client_as):
    admin = client_as(Role.ADMIN)
    _save_settings(admin)
    assert _stored().partnership_threshold is None  # blank: exact counts for the board
    assert _stored().min_group_size == 10
    _save_settings(admin, partnership_threshold="4", min_group_size="6")
    assert (_stored().partnership_threshold, _stored().min_group_size) == (4, 6)
    _save_settings(admin, partnership_threshold="0")
    assert _stored().partnership_threshold is None
    response = _save_settings(admin, partnership_threshold="21", min_group_size="0")
    text = _text(response)
    assert "Enter a whole number between 0 and 20, or leave it blank" in text
    assert "Enter a whole number between 1 and 100" in text


def test_saving_settings_writes_a_change_log_row_with_old_and_new_values(client_as):
    admin = client_as(Role.ADMIN)
    organisation.get_settings()
    db.session.commit()
    old_council = _stored().council_name

    _save_settings(admin)

    [entry] = _log("org_settings", "updated")
    assert entry.user_id == admin.user.id
    assert entry.changes["council_name"] == [old_council, "Northshire County Council"]


def test_invalid_regex_is_refused_with_a_field_error_and_pattern_unchanged(client_as):
    admin = client_as(Role.ADMIN)
    _save_settings(admin)

    response = _save_settings(admin, case_reference_pattern="[0-9", council_name="Changed")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#case_reference_pattern"' in html
    assert re.search(
        r'id="case_reference_pattern-error"[^>]*>\s*<span[^>]*>Error:</span>\s*'
        r"The pattern is not a valid regular expression",
        html,
    )
    stored = _stored()
    assert stored.case_reference_pattern == "[0-9]{6,10}"
    assert stored.council_name == "Northshire County Council"


@pytest.mark.parametrize("pattern", ["[0-9]*", "(ABC)?", ".*", "   [0-9]*   "])
def test_pattern_that_accepts_an_empty_reference_is_refused(client_as, pattern):
    admin = client_as(Role.ADMIN)
    _save_settings(admin)

    html = _save_settings(admin, case_reference_pattern=pattern).get_data(as_text=True)

    assert "There is a problem" in html
    assert "The pattern must not accept an empty case reference" in html
    assert _stored().case_reference_pattern == "[0-9]{6,10}"


def test_check_a_case_reference_says_a_matching_reference_is_valid(client_as):
    admin = client_as(Role.ADMIN)
    _save_settings(admin)

    text = _text(_check(admin, " 1234567 "))

    assert "'1234567' is a valid case reference" in text
    assert "There is a problem" not in text


def test_check_a_case_reference_shows_the_refusal_for_a_non_matching_reference(client_as):
    admin = client_as(Role.ADMIN)
    _save_settings(admin)

    response = _check(admin, "12AB")

    text = _text(response)
    assert "There is a problem" in text
    assert "'12AB' is not a valid case reference: The case number, 6 to 10 digits." in text
    assert "must match the pattern" not in text  # the hint, never the raw pattern
    assert 'href="#check-case_reference"' in response.get_data(as_text=True)


def test_check_a_case_reference_refuses_a_childs_name(client_as):
    admin = client_as(Role.ADMIN)
    _save_settings(admin)

    text = _text(_check(admin, "Jane Smith"))

    assert "'Jane Smith' is not a valid case reference" in text
    assert "Use the case number, never a child's name." in text
    assert "is a valid case reference" not in text


def test_checking_a_reference_keeps_the_saved_settings_in_the_settings_form(client_as):
    admin = client_as(Role.ADMIN)
    _save_settings(admin)

    html = _check(admin, "1234567").get_data(as_text=True)

    assert 'value="Northshire County Council"' in html
    assert 'value="Audit Hub"' in html
    assert 'value="[0-9]{6,10}"' in html


def test_checking_a_reference_changes_nothing_stored(client_as):
    admin = client_as(Role.ADMIN)
    _save_settings(admin)
    count = len(_log("org_settings"))
    _check(admin, "Jane Smith")
    assert len(_log("org_settings")) == count
    assert _stored().council_name == "Northshire County Council"


def test_settings_page_is_for_administrators_only(client_as):
    lead = client_as(Role.QA_LEAD)
    assert lead.get("/admin/settings").status_code == 403
    token = csrf_token(lead)
    assert lead.post("/admin/settings", data=dict(SETTINGS, csrf_token=token)).status_code == 403


# --- case_reference_problem -------------------------------------------------------------


def _settings(pattern=r"[0-9]{6,10}", hint="6 to 10 digits") -> OrgSettings:
    return OrgSettings(case_reference_pattern=pattern, case_reference_hint=hint)


@pytest.mark.parametrize("reference", ["123456", "1234567890", "  1234567  "])
def test_case_reference_problem_accepts_a_matching_reference(reference):
    assert case_reference_problem(reference, _settings()) is None


@pytest.mark.parametrize(
    "reference", ["12345", "12345678901", "123456a", "a123456", "1234 567", "Jane Smith"]
)
def test_case_reference_problem_refuses_a_reference_that_does_not_match_the_whole_pattern(
    reference,
):
    problem = case_reference_problem(reference, _settings())
    assert problem is not None
    assert repr(reference.strip()) in problem
    assert "[0-9]" not in problem  # the hint, never the raw pattern
    assert "6 to 10 digits" in problem
    assert "never a child's name" in problem


@pytest.mark.parametrize("reference", ["", "   "])
def test_case_reference_problem_asks_for_a_reference_when_blank(reference):
    assert case_reference_problem(reference, _settings()) == "Enter a case reference"


def test_case_reference_problem_uses_a_custom_pattern():
    settings = _settings(r"CS-[0-9]{4}", "CS- and four digits")
    assert case_reference_problem("CS-1234", settings) is None
    assert "CS- and four digits" in case_reference_problem("CS-12345", settings)


def test_case_reference_problem_reads_the_stored_settings_when_none_given():
    organisation.update_settings(
        council_name="C",
        service_name="S",
        case_reference_pattern="[A-Z]{2}[0-9]{3}",
        case_reference_hint="two letters, three digits",
        small_number_threshold=5,
        actor=None,
    )
    assert case_reference_problem("AB123") is None
    assert "two letters, three digits" in case_reference_problem("123456")


def test_update_settings_refuses_a_bad_pattern_without_storing_anything():
    with pytest.raises(OrganisationError) as error:
        organisation.update_settings(
            council_name="C",
            service_name="S",
            case_reference_pattern="(unclosed",
            case_reference_hint="h",
            small_number_threshold=5,
            actor=None,
        )
    assert error.value.field == "case_reference_pattern"
    db.session.rollback()
    assert _stored() is None or _stored().case_reference_pattern == DEFAULT_CASE_REFERENCE_PATTERN


# --- teams and localities ---------------------------------------------------------------


def _post(admin, url: str, **data):
    return admin.post(url, data=dict(data, csrf_token=csrf_token(admin, url)))


def _locality(name: str) -> Locality | None:
    db.session.expire_all()
    return db.session.scalar(select(Locality).where(Locality.name == name))


def _team(name: str) -> Team | None:
    db.session.expire_all()
    return db.session.scalar(select(Team).where(Team.name == name))


def _teams_row(html: str, name: str) -> str:
    row = re.search(rf"<tr[^>]*>(?:(?!</tr>).)*>{re.escape(name)}<(?:(?!</tr>).)*</tr>", html, re.S)
    assert row, f"no row for {name}"
    return row.group(0)


def test_admin_adds_a_locality_and_it_is_listed_with_a_change_log_row(client_as):
    admin = client_as(Role.ADMIN)

    response = _post(admin, "/admin/localities/new", name="  North  ")

    assert response.status_code == 302
    page = admin.get("/admin/teams").get_data(as_text=True)
    assert "Locality North saved" in page
    assert re.search(r">North</a>\s*\(0 teams\)", page)
    north = _locality("North")
    [entry] = _log("locality")
    assert (entry.action, entry.entity_id, entry.user_id) == (
        "created",
        str(north.id),
        admin.user.id,
    )


def test_admin_renames_a_locality_and_the_change_is_logged(client_as):
    admin = client_as(Role.ADMIN)
    north = organisation.save_locality("North", actor=None)

    _post(admin, f"/admin/localities/{north.id}", name="North and West")

    assert _locality("North") is None
    assert _locality("North and West").id == north.id
    [entry] = _log("locality", "updated")
    assert entry.changes == {"name": ["North", "North and West"]}
    assert entry.user_id == admin.user.id


def test_duplicate_locality_name_is_refused_whatever_the_case(client_as):
    admin = client_as(Role.ADMIN)
    organisation.save_locality("North", actor=None)
    before = len(_log("locality"))

    html = _post(admin, "/admin/localities/new", name="NORTH").get_data(as_text=True)

    assert "There is a problem" in html
    assert "There is already a locality called &#39;NORTH&#39;" in html
    assert db.session.scalar(select(func.count(Locality.id))) == 1
    assert len(_log("locality")) == before


def test_admin_adds_a_team_in_a_locality_and_it_shows_on_the_teams_page(client_as):
    admin = client_as(Role.ADMIN)
    south = organisation.save_locality("South", actor=None)

    response = _post(
        admin, "/admin/teams/new", name="Safeguarding South", locality_id=str(south.id), active="y"
    )

    assert response.status_code == 302
    html = admin.get("/admin/teams").get_data(as_text=True)
    row = _teams_row(html, "Safeguarding South")
    assert "South" in row.replace("Safeguarding South", "")
    assert "Active" in row
    assert re.search(r">South</a>\s*\(1 team\)", html)
    team = _team("Safeguarding South")
    assert team.locality_id == south.id
    [entry] = _log("team", "created")
    assert entry.user_id == admin.user.id
    assert entry.changes == {"name": "Safeguarding South", "locality": "South", "active": True}


def test_admin_renames_a_team_moves_it_and_the_change_is_logged(client_as):
    admin = client_as(Role.ADMIN)
    north = organisation.save_locality("North", actor=None)
    south = organisation.save_locality("South", actor=None)
    team = organisation.save_team("Safeguarding North", north, True, actor=None)

    edit_page = admin.get(f"/admin/teams/{team.id}").get_data(as_text=True)
    assert re.search(rf'value="{north.id}"\s+selected', edit_page)
    _post(
        admin,
        f"/admin/teams/{team.id}",
        name="Safeguarding South",
        locality_id=str(south.id),
        active="y",
    )

    renamed = _team("Safeguarding South")
    assert renamed.id == team.id and renamed.locality_id == south.id
    [entry] = _log("team", "updated")
    assert entry.user_id == admin.user.id
    assert entry.changes == {
        "name": ["Safeguarding North", "Safeguarding South"],
        "locality": ["North", "South"],
    }


def test_team_can_be_made_inactive_and_shows_as_inactive(client_as):
    admin = client_as(Role.ADMIN)
    team = organisation.save_team("MASH", None, True, actor=None)

    _post(admin, f"/admin/teams/{team.id}", name="MASH", locality_id="0")

    assert _team("MASH").active is False
    row = _teams_row(admin.get("/admin/teams").get_data(as_text=True), "MASH")
    assert "Inactive" in row
    [entry] = _log("team", "updated")
    assert entry.changes == {"active": [True, False]}


def test_duplicate_team_name_is_refused_whatever_the_case(client_as):
    admin = client_as(Role.ADMIN)
    organisation.save_team("MASH", None, True, actor=None)
    other = organisation.save_team("Children in Care", None, True, actor=None)
    before = len(_log("team"))

    new = _post(admin, "/admin/teams/new", name="mash", locality_id="0", active="y")
    renamed = _post(admin, f"/admin/teams/{other.id}", name="Mash", locality_id="0", active="y")

    for response in (new, renamed):
        html = response.get_data(as_text=True)
        assert "There is a problem" in html
        assert "There is already a team called" in html
    assert db.session.scalar(select(func.count(Team.id))) == 2
    assert _team("Children in Care") is not None
    assert len(_log("team")) == before


def test_saving_a_team_unchanged_writes_no_change_log_row(client_as):
    admin = client_as(Role.ADMIN)
    team = organisation.save_team("MASH", None, True, actor=None)
    before = len(_log("team"))
    _post(admin, f"/admin/teams/{team.id}", name="MASH", locality_id="0", active="y")
    assert len(_log("team")) == before


def test_unknown_team_or_locality_is_not_found(client_as):
    admin = client_as(Role.ADMIN)
    assert admin.get("/admin/teams/99999").status_code == 404
    assert admin.get("/admin/localities/99999").status_code == 404


def test_blank_team_name_is_refused(client_as):
    admin = client_as(Role.ADMIN)
    html = _post(admin, "/admin/teams/new", name="   ", locality_id="0", active="y").get_data(
        as_text=True
    )
    assert "There is a problem" in html
    assert db.session.scalar(select(func.count(Team.id))) == 0


@pytest.mark.parametrize("field", ["council_name", "service_name", "case_reference_hint"])
def test_settings_name_of_only_spaces_is_refused_and_nothing_stored(client_as, field):
    admin = client_as(Role.ADMIN)
    _save_settings(admin)

    html = _save_settings(admin, **{field: "   "}).get_data(as_text=True)

    assert "There is a problem" in html
    assert f'href="#{field}"' in html
    assert getattr(_stored(), field) == SETTINGS[field]


@pytest.mark.parametrize("reference", ["123456", "CS-004521", "LCS/2024/0012", "AB12345678"])
def test_the_default_case_reference_pattern_accepts_the_references_councils_use(reference):
    assert case_reference_problem(reference, _settings(DEFAULT_CASE_REFERENCE_PATTERN)) is None


@pytest.mark.parametrize(
    "reference",
    ["Jane Smith", "JaneSmith", "12", "-12345", "x" * 31, "Jane.Smith", "ABC-DEF", "REF04", "116"],
)
def test_the_default_case_reference_pattern_refuses_names_and_odd_shapes(reference):
    assert case_reference_problem(reference, _settings(DEFAULT_CASE_REFERENCE_PATTERN))


def test_the_settings_page_offers_the_common_case_reference_patterns(client_as):
    page = client_as(Role.ADMIN).get("/admin/settings").get_data(as_text=True)
    assert "Common case reference patterns" in page
    assert (
        "(?![/-])[A-Za-z]{0,4}(?=[0-9/-]*[0-9]{4})[0-9/-]{6,26}" in page
        and "[A-Z]{2,4}-[0-9]{4,10}" in page
    )


@given(
    letters=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", max_size=4),
    digits=st.text("0123456789", min_size=4, max_size=10),
    tail=st.text("0123456789/-", max_size=12),
)
def test_the_default_pattern_takes_up_to_4_letters_and_4_digits_together(letters, digits, tail):
    matched = re.fullmatch(DEFAULT_CASE_REFERENCE_PATTERN, letters + digits + tail)
    assert bool(matched) == (6 <= len(digits + tail) <= 26)


@given(
    word=st.from_regex(r"[A-Z][a-z]{4,12}", fullmatch=True),
    sep=st.sampled_from(["", "-", "/", " "]),
    digits=st.text("0123456789", min_size=4, max_size=10),
)
def test_the_default_pattern_refuses_a_word_of_5_letters_with_digits(word, sep, digits):
    assert not re.fullmatch(DEFAULT_CASE_REFERENCE_PATTERN, word + sep + digits)


@pytest.mark.parametrize(
    "reference", ["123456", "CS-004521", "LCS/2024/0012", "C12/34567", "LA1/123456", "AB1-2345"]
)
def test_the_default_pattern_takes_the_common_shapes(reference):
    assert re.fullmatch(DEFAULT_CASE_REFERENCE_PATTERN, reference)
