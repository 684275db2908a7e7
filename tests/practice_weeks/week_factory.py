"""Making practice weeks, their managers and activities for the practice week tests.
Other test modules (e.g. the findings tests) may import these read-only."""

from datetime import date

from qa_app.data import practice_week_activities as week_activities
from qa_app.data import practice_weeks as weeks
from qa_app.data.organisation import save_team
from qa_app.models import Role

WEEK_START = date(2026, 10, 5)  # a Monday
WEEK_END = date(2026, 10, 9)
AREAS = ["The front door: MASH and initial response", "Children in need plans"]


def make_team(name: str = "Initial Response"):
    return save_team(name, None, True, actor=None)


def make_manager(make_user, n: int = 1, **kwargs):
    """A senior manager account, "Senior Manager <n>"."""
    return make_user(Role.SENIOR_MANAGER, username=f"senior.manager{n}", **kwargs)


def make_week(
    *,
    managers=(),
    name: str = "Practice week, October 2026",
    starts_on: date = WEEK_START,
    ends_on: date = WEEK_END,
    areas=AREAS,
    actor=None,
):
    """A planned week with its audit cycle (the case audit templates must be loaded)."""
    return weeks.save_week(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose="Senior managers look at practice at the front door.",
        managers=list(managers),
        new_areas=list(areas),
        actor=actor,
    )


def schedule(week, manager, kind: str = "observe_meeting", *, day: date | None = None, **kw):
    """An activity of the week for `manager`."""
    fields = {
        "meeting_type": "strategy_meeting" if kind == "observe_meeting" else None,
        "time": "09:30",
        "team": None,
        "focus_area_id": week.focus_areas[0].id if week.focus_areas else None,
        "details": "Riverside office",
    }
    fields.update(kw)
    return week_activities.save_activity(
        week,
        kind=kind,
        day=day or week.starts_on,
        manager=manager,
        actor=kw.pop("actor", None),
        **{k: v for k, v in fields.items() if k != "actor"},
    )


def observation_answers(content: dict, answer: str = "yes") -> dict:
    """Raw form values answering every question of an observation template: `answer` to each
    yes/partly/no question, the first option of a choice, and text to each text question."""
    raw = {}
    for section in content["template"]["sections"]:
        for q in section["questions"]:
            if q["type"] == "yes_partly_no":
                raw[f"q__{q['key']}"] = answer
            elif q["type"] == "single_choice":
                raw[f"q__{q['key']}"] = q["options"][0]["key"]
            elif q["type"] == "text":
                raw[f"q__{q['key']}"] = f"Notes for {q['key']}."
    return raw
