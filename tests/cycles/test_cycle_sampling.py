"""Drawing a sample through the real page: reproducible from its seed, stratified by team,
leaving out recently audited cases, and recorded."""

import html as html_lib
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, Case, ChangeLogEntry, CycleCase, Role, Sample
from tests.audits.factory import make_audit
from tests.cycles.cycle_factory import make_cycle, make_team, put_on_list
from tests.helpers import csrf_token


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html_lib.unescape(body))


def draw(client, cycle, **fields):
    url = f"/cycles/{cycle.id}/sample"
    data = {
        "csrf_token": csrf_token(client, url),
        "template_id": str(get_template("single_assessment").id),
        "mode": "count",
        "amount": "3",
        "exclude_months": "12",
        "seed": "",
    }
    data.update({k: str(v) for k, v in fields.items()})
    return client.post(url, data=data)


def drawn(cycle) -> list[str]:
    return sorted(
        db.session.scalars(
            select(Case.case_reference)
            .join(CycleCase, CycleCase.case_id == Case.id)
            .where(CycleCase.cycle_id == cycle.id, CycleCase.sample_id.is_not(None))
        )
    )


@pytest.fixture
def teams(loaded_templates):
    return make_team("MASH"), make_team("Safeguarding North"), make_team("Children in Care")


@pytest.fixture
def lead(client_as, teams):
    return client_as(Role.QA_LEAD)


def case_list(teams, sizes=(20, 12, 5)) -> dict:
    out, n = {}, 2000000
    for team, size in zip(teams, sizes, strict=True):
        out[team] = [str(n + i) for i in range(size)]
        n += 1000
    return out


def test_a_sample_is_reproducible_from_its_seed(lead, teams):
    lists = case_list(teams)
    first, second, third = (make_cycle(f"Cycle {n}") for n in (1, 2, 3))
    for cycle in (first, second, third):
        put_on_list(cycle, lists)
    assert draw(lead, first, seed=31337, exclude_months=0).status_code == 302
    assert draw(lead, second, seed=31337, exclude_months=0).status_code == 302
    assert draw(lead, third, seed=27182, exclude_months=0).status_code == 302
    assert drawn(first) == drawn(second)
    assert len(drawn(first)) == 9  # 3 from each team
    assert drawn(third) != drawn(first)


def test_the_sample_is_recorded_with_its_seed_and_rules(lead, teams):
    cycle = make_cycle()
    put_on_list(cycle, case_list(teams))
    response = draw(lead, cycle, mode="percent", amount=25, seed="")
    assert response.status_code == 302
    sample = db.session.scalars(select(Sample)).one()
    assert 100_000 <= sample.seed < 1_000_000  # a random seed, short enough to type again
    assert sample.rules["per_team"] == {"percent": 25}
    assert sample.rules["exclude_months"] == 12
    assert sample.rules["template_key"] == "single_assessment"
    # 25% of 20 = 5; of 12 = 3; of 5 = 1.25 -> 1
    assert sample.rules["outcome"]["drawn"] == {
        "Children in Care": 1,
        "MASH": 5,
        "Safeguarding North": 3,
    }
    assert sample.drawn_count == 9 and sample.drawn_by_id == lead.user.id
    audits = db.session.scalars(select(Audit)).all()
    assert len(audits) == 9 and all(a.cycle_id == cycle.id for a in audits)
    assert sorted(a.case.case_reference for a in audits) == drawn(cycle)
    entry = db.session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "sample"))
    entry = entry.one()
    assert entry.changes["seed"] == sample.seed and sorted(entry.changes["cases"]) == drawn(cycle)
    page = text(lead.get(response.headers["Location"]))
    assert f"9 cases drawn with seed {sample.seed}" in page
    assert "25% of each team's cases, seed" in page
    assert re.search(r"MASH 20 0 5 ", page) and re.search(r"Children in Care 5 0 1 ", page)
    assert "Total 37 0 9" in page


def test_recently_audited_cases_are_left_out(lead, teams):
    mash = teams[0]
    cycle = make_cycle()
    earlier = make_cycle("Last year's programme")
    put_on_list(cycle, {mash: ["3000001", "3000002", "3000003", "3000004"]})
    recent = make_audit("single_assessment", reference="3000001", cycle=earlier)
    old = make_audit("single_assessment", reference="3000002", cycle=earlier)
    outside = make_audit("single_assessment", reference="3000003")  # no cycle at all
    now = datetime.now(UTC)
    for audit, age in ((recent, 100), (old, 400), (outside, 300)):
        db.session.execute(
            update(Audit).where(Audit.id == audit.id).values(created_at=now - timedelta(days=age))
        )
    db.session.commit()
    response = draw(lead, cycle, amount=4, seed=1)
    assert drawn(cycle) == ["3000002", "3000004"]
    page = text(lead.get(response.headers["Location"]))
    assert "Left out: audited in the last 12 months" in page
    assert "MASH 4 2 2" in page
    assert "2 cases drawn" in page


def test_drawing_again_draws_only_from_cases_not_yet_drawn(lead, teams):
    cycle = make_cycle()
    put_on_list(cycle, case_list(teams, (4, 4, 4)))
    draw(lead, cycle, amount=3, seed=5)
    draw(lead, cycle, amount=3, seed=5)
    assert len(drawn(cycle)) == 12
    audits = db.session.scalars(select(Audit)).all()
    assert len(audits) == 12 and len({a.case_id for a in audits}) == 12
    response = draw(lead, cycle, amount=3, seed=5)
    assert "There are no cases on the list left to draw from" in text(response)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"mode": ""}, "Choose a number or a percentage"),
        ({"amount": ""}, "Enter how many cases"),
        ({"mode": "percent", "amount": 150}, "Enter a percentage from 1 to 100"),
        ({"exclude_months": -1}, "Enter a whole number of months from 0 to 120"),
        ({"seed": "abc"}, "Enter the seed as a whole number"),
        ({"template_id": ""}, "Choose a template"),
    ],
)
def test_sample_form_errors(lead, teams, fields, message):
    cycle = make_cycle()
    put_on_list(cycle, case_list(teams, (2, 2, 2)))
    response = draw(lead, cycle, **fields)
    assert response.status_code == 200
    assert "There is a problem" in text(response) and message in text(response)
    assert db.session.scalar(select(Sample.id)) is None


def test_an_audit_counts_from_when_it_was_done_not_when_it_was_stored(lead, teams):
    mash = teams[0]
    cycle = make_cycle()
    earlier = make_cycle("Earlier programme")
    put_on_list(cycle, {mash: ["3000001", "3000002", "3000003", "3000004"]})
    now = datetime.now(UTC)
    ages = {  # (created, started, submitted) days ago
        "3000001": (5, 700, 600),  # imported history: stored this week, done two years ago
        "3000002": (500, 450, 30),  # created long ago, submitted last month
        "3000003": (400, 100, None),  # started recently, never submitted
    }
    for reference, (created, started, submitted) in ages.items():
        audit = make_audit("single_assessment", reference=reference, cycle=earlier)
        db.session.execute(
            update(Audit)
            .where(Audit.id == audit.id)
            .values(
                created_at=now - timedelta(days=created),
                started_at=now - timedelta(days=started),
                submitted_at=now - timedelta(days=submitted) if submitted else None,
            )
        )
    db.session.commit()
    draw(lead, cycle, amount=4, seed=1)
    assert drawn(cycle) == ["3000001", "3000004"]


def test_imported_historic_audits_do_not_count_as_audited_today(lead, teams):
    from qa_app.imports.audits import check_audit_file, store_audits

    cycle = make_cycle(templates=("cin_plan",))
    data = b"case_reference,team,audit_date\n3000001,MASH,2019-03-01\n"
    checked = check_audit_file("old.csv", data, "cin_plan", allow_incomplete=True)
    assert checked.problems == []
    store_audits(checked)
    put_on_list(cycle, {teams[0]: ["3000001"]})
    url = f"/cycles/{cycle.id}/sample"
    response = lead.post(
        url,
        data={
            "csrf_token": csrf_token(lead, url),
            "template_id": str(get_template("cin_plan").id),
            "mode": "count",
            "amount": "1",
            "exclude_months": "12",
        },
    )
    assert response.status_code == 302
    assert drawn(cycle) == ["3000001"]


def shown_undrawn(client, url) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="undrawn"[^>]*value="(\d+)"', html).group(1)


def test_posting_the_draw_twice_draws_once(lead, teams):
    cycle = make_cycle()
    put_on_list(cycle, case_list(teams, (4, 4, 4)))
    undrawn = shown_undrawn(lead, f"/cycles/{cycle.id}/sample")
    assert undrawn == "12"
    assert draw(lead, cycle, amount=1, seed=5, undrawn=undrawn).status_code == 302
    response = draw(lead, cycle, amount=1, seed=5, undrawn=undrawn)
    assert response.status_code == 200
    assert (
        "The case list has changed since the page was shown: 9 cases are not yet drawn, "
        "not 12. Check the numbers and try again." in text(response)
    )
    assert len(drawn(cycle)) == 3
    assert len(db.session.scalars(select(Audit)).all()) == 3
    assert db.session.scalar(select(func.count(Sample.id))) == 1
    assert re.search(r'name="undrawn"[^>]*value="9"', response.get_data(as_text=True))


def test_auditing_every_case_refuses_a_changed_list(lead, teams):
    cycle = make_cycle()
    put_on_list(cycle, {teams[0]: ["3000001", "3000002"]})
    url = f"/cycles/{cycle.id}/case-list/next"
    undrawn = shown_undrawn(lead, url)
    put_on_list(cycle, {teams[0]: ["3000003"]})
    data = {
        "csrf_token": csrf_token(lead, url),
        "template_id": str(get_template("single_assessment").id),
        "undrawn": undrawn,
    }
    response = lead.post(url, data=data)
    assert response.status_code == 200
    assert "3 cases are not yet drawn, not 2" in text(response)
    assert db.session.scalar(select(Audit.id)) is None
    data["undrawn"] = "3"
    assert lead.post(url, data=data).status_code == 302
    assert lead.post(url, data=data).status_code == 200  # the same form again: nothing more
    assert len(db.session.scalars(select(Audit)).all()) == 3


def test_a_draw_skips_cases_that_gained_an_audit_of_the_template(teams, loaded_templates):
    from qa_app.data import sampling

    cycle = make_cycle()
    cases = put_on_list(cycle, {teams[0]: ["3000001", "3000002"]})
    template = get_template("single_assessment")
    make_audit("single_assessment", reference=cases[0].case_reference, cycle=cycle)
    with pytest.raises(sampling.SamplingError, match="1 case is not yet drawn, not 2"):
        sampling.draw_sample(
            cycle,
            rule={"count": 5},
            exclude_months=0,
            seed=1,
            template=template,
            actor=None,
            today=datetime.now(UTC).date(),
            expected_undrawn=2,
        )
    sample = sampling.audit_every_case(
        cycle, template=template, actor=None, today=datetime.now(UTC).date()
    )
    assert sample.drawn_count == 1
    assert len(db.session.scalars(select(Audit)).all()) == 2
