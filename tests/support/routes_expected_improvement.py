"""Who may open the improvement plan pages. Everyone who works with audits reads the plan;
QA leads and senior managers write it. The sample action is owned by another account (an
auditor), so progress on it is the plan managers' alone here.

OWNER: the action's owner posts progress on their own action (PRODUCT.md: actions have an
owner and progress notes), whichever role of the plan's readers they hold; changing the action
itself (due date, owner, description) stays the plan managers'. A board viewer or
administrator who owns an action (a person whose job changed) does not read the plan at all."""

from qa_app.models import Role

READERS = frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.AUDITOR})
MANAGERS = frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER})

EXPECTED = {
    "improvement.index": READERS,
    "improvement.actions": READERS,
    "improvement.plan": READERS,
    "improvement.action": READERS,
    "improvement.edit_plan": MANAGERS,
    "improvement.edit_priority": MANAGERS,
    "improvement.new_action": MANAGERS,
    "improvement.edit_action": MANAGERS,
    "improvement.progress": MANAGERS,
}

OWNER = {"improvement.progress": READERS}


def sample_values(values) -> dict:
    from datetime import date

    from qa_app.data import improvement
    from qa_app.data.users import create_user

    lead = create_user("plan.lead", "Plan Lead", "correct-horse-battery", [Role.QA_LEAD])
    plan = improvement.save_plan(None, title="Improvement plan 2026 to 2027", actor=lead)
    priority = improvement.save_priority(plan, None, title="Quality of assessments", actor=lead)
    action = improvement.create_action(
        plan,
        actor=lead,
        today=date(2026, 6, 1),
        description="Audit chronologies monthly",
        priority=priority,
        owner=values["_other_user"],
        due_date=date(2027, 3, 31),
    )
    return {"plan_id": plan.id, "priority_id": priority.id, "action_id": action.id}
