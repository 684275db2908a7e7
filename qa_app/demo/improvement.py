"""A demo improvement plan for a fresh install: priorities, numbered actions owned by the demo
accounts, some under way for months (so their impact can be read against the synthetic audit
history), one overdue, one at risk, one complete, with progress notes. Made-up content; owners
are the demo accounts, named by role."""

from datetime import date, timedelta

from qa_app.data import improvement, improvement_queries
from qa_app.data.users import find_by_username
from qa_app.rules.uk_time import uk_today

TITLE = "Children's services improvement plan"

PRIORITIES = [
    ("Quality of assessments and plans", "Assessments that analyse; plans that say who does what."),
    ("The child's voice and the family network", "Children's words and fathers in every record."),
    ("Management oversight", "Supervision that shapes the work and is recorded."),
]
# priority number, description, owner, themes, status, started months ago, due in days, notes
ACTIONS = [
    (
        1,
        "Short workshops for the initial response teams on analysis in assessments",
        "qa.lead",
        ["quality_of_analysis"],
        "on_track",
        7,
        40,
        ["Four of six workshops held; attendance 80%."],
    ),
    (
        1,
        "Children in need plans reviewed against an outcome-focused template",
        "senior.manager",
        ["smart_plans"],
        "at_risk",
        5,
        20,
        ["Template agreed; team managers' time is the constraint."],
    ),
    (
        2,
        "Ten tips for hearing the child, shared with every team and used in supervision",
        "senior.manager",
        ["voice_of_child", "child_seen_alone"],
        "on_track",
        6,
        60,
        ["Tips published; two teams have used them in group supervision."],
    ),
    (
        2,
        "Fathers and wider family asked about in every single assessment",
        "auditor",
        ["fathers_wider_family", "family_network"],
        "off_track",
        4,
        -14,
        ["Guidance drafted, not yet issued: overdue."],
    ),
    (
        3,
        "Supervision recording standard agreed and checked in the monthly audits",
        "qa.lead",
        ["management_oversight"],
        "complete",
        8,
        -30,
        ["Standard issued to all managers.", "Checked in two monthly cycles: complete."],
    ),
    (
        3,
        "Business support for managers chairing strategy meetings",
        "senior.manager",
        [],
        "not_started",
        None,
        90,
        [],
    ),
]


def seed_plan(today: date | None = None) -> None:
    """Create the demo plan unless one with its title exists."""
    today = today or uk_today()
    if improvement_queries.get_plan_by_title(TITLE) is not None:
        return
    lead = find_by_username("qa.lead")
    known = improvement_queries.theme_names()  # none until the templates' themes are loaded
    plan = improvement.save_plan(
        None,
        title=TITLE,
        description="The actions that answer this year's audits and practice weeks.",
        starts_on=date(today.year - (today.month < 4), 4, 1),
        ends_on=date(today.year + (today.month >= 4), 3, 31),
        actor=lead,
    )
    priorities = [
        improvement.save_priority(plan, None, title=t, description=d, actor=lead)
        for t, d in PRIORITIES
    ]
    for number, text, owner, themes, status, months_ago, due_in, notes in ACTIONS:
        started = today - timedelta(days=30 * months_ago) if months_ago else None
        action = improvement.create_action(
            plan,
            actor=lead,
            today=started or today,
            description=text,
            priority=priorities[number - 1],
            owner=find_by_username(owner),
            due_date=today + timedelta(days=due_in),
            themes=[k for k in themes if k in known],
            source_kind="audit_cycle" if themes else "practice_week",
            started_on=started,
            expected_outcome="Audits show the theme as a strength more often than before.",
        )
        for i, note in enumerate(notes):
            last = i == len(notes) - 1
            improvement.add_update(
                action,
                note=note,
                actor=action.owner or lead,
                today=today,
                status=status if last else "on_track",
            )
