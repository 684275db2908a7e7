"""The action page and the plan page show each targeted theme's impact: the share of completed
audits marking it a strength before work started and since, with n, and plainly "too few
audits to tell" where either side has fewer than ten. Worked out by hand:

voice of the child: before (days 90-99 before today, work started 60 days ago) 10 audits,
4 strengths = 40%; since (days 5-14) 10 audits, 7 strengths = 70%: up 30 points.
timeliness: marked by 3 audits since and none before: too few to tell."""

from datetime import timedelta

from qa_app.data import improvement_queries
from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from tests.dashboards import completed_audit, make_teams
from tests.improvement.support import make_action, make_plan, page, page_text


def test_the_impact_of_an_action_is_shown_with_its_figures(client_as, make_user, loaded_templates):
    teams = make_teams()
    auditor = make_user(Role.AUDITOR)
    for i in range(10):
        mark = "strength" if i < 4 else "development"
        completed_audit(
            "single_assessment",
            f"8{i:07d}",
            teams["A"],
            auditor,
            ago=timedelta(days=90 + i),
            themes={"voice_of_child": mark},
        )
    for i in range(10):
        themes = {"voice_of_child": "strength" if i < 7 else "not_seen"}
        if i < 3:
            themes["timeliness"] = "strength"
        completed_audit(
            "single_assessment",
            f"9{i:07d}",
            teams["B"],
            auditor,
            ago=timedelta(days=5 + i),
            themes=themes,
        )
    lead = client_as(Role.QA_LEAD)
    plan = make_plan(lead.user)
    started = uk_today() - timedelta(days=60)
    action = make_action(
        plan,
        lead.user,
        "Voice of the child in every assessment",
        status="on_track",
        started_on=started,
        themes=["voice_of_child", "timeliness"],
    )
    names = improvement_queries.theme_names()
    voice, timeliness = names["voice_of_child"], names["timeliness"]

    text = page_text(lead.get(f"/improvement/actions/{action.id}"))
    assert "Before 40% (n=10)" in text
    assert "Since 70% (n=10)" in text
    assert (
        f"{voice} evidenced as a strength: 40% of audits in the 6 months before (n=10), "
        "70% since (n=10): up 30 points." in text
    )
    assert "Too few audits to tell." in text
    assert f"{timeliness}: too few audits to tell. 0 in the 6 months before and 3 since" in text

    plan_page = page(lead.get(f"/improvement/plans/{plan.id}"))
    assert f"{voice}: 40% before, 70% since (up 30 points)" in plan_page
    assert f"{timeliness}: too few audits to tell" in plan_page


def test_an_action_not_started_says_so_instead_of_figures(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    action = make_action(make_plan(lead.user), lead.user, themes=["voice_of_child"])
    text = page_text(lead.get(f"/improvement/actions/{action.id}"))
    assert "Not started yet: impact is measured from the day work starts." in text
