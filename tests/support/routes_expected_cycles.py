"""Who may open the audit cycle pages, and sample objects for their URL arguments."""

from datetime import date

from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from tests.support.route_walk import MODERATORS, QA_LEAD

EXPECTED = {
    "cycles.index": QA_LEAD,
    "cycles.edit_cycle": QA_LEAD,
    "cycles.cycle": QA_LEAD,
    "cycles.add_case": QA_LEAD,
    "cycles.upload": QA_LEAD,
    "cycles.next_step": QA_LEAD,
    "cycles.draw_sample": QA_LEAD,
    "cycles.sample": QA_LEAD,
    "cycles.assign": QA_LEAD,
    "cycles.spread": QA_LEAD,
    "cycles.assign_audit": QA_LEAD,
    "cycles.export_xlsx": MODERATORS,
    "cycles.export_csv": MODERATORS,
}


def sample_values(values) -> dict:
    """A cycle (made by another QA lead) with a case list, a drawn sample and an audit
    assigned to someone else."""
    from qa_app.data import cycles, sampling
    from qa_app.data.cycle_assignment import assign
    from qa_app.data.templates import get_template
    from qa_app.data.users import create_user
    from qa_app.extensions import db
    from qa_app.models import Case, CycleCase

    lead = create_user("another.lead", "Another Lead", "correct-horse-battery", [Role.QA_LEAD])
    template = get_template("single_assessment")
    cycle = cycles.save_cycle(
        name="Route walk cycle",
        kind="monthly",
        description="",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        due_date=date(2026, 2, 28),
        templates=[template],
        theme_focus=None,
        moderation_share=10,
        actor=lead,
    )
    audit = cycles.add_case(
        cycle,
        case_reference="1000001",
        team=values["_team"],
        worker=None,
        template=template,
        actor=lead,
    )
    case = Case(case_reference="1000002", team=values["_team"], facts={})
    db.session.add(case)
    db.session.flush()
    db.session.add(CycleCase(cycle_id=cycle.id, case_id=case.id))
    db.session.commit()
    sample = sampling.draw_sample(
        cycle,
        rule={"count": 1},
        exclude_months=0,
        seed=1,
        template=template,
        actor=lead,
        today=uk_today(),
    )
    assign(audit, values["_other_user"], override=True, actor=lead)
    return {"cycle_id": cycle.id, "sample_id": sample.id}
