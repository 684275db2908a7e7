"""Who may open the notification pages. Everyone signed in has a list and choices of their
own; the delivery state (no case detail) is the QA lead's and the administrator's. The sample
notification belongs to the owner of the sample objects: opening it is theirs alone (anyone
else is refused and logged, as for any object not their own).

OWNER: the owner opens their own notification, whatever their role."""

from qa_app.models import Role
from tests.support.route_walk import EVERYONE

DELIVERY = frozenset({Role.QA_LEAD, Role.ADMIN})

EXPECTED = {
    "notifications.index": EVERYONE,
    "notifications.open_notification": frozenset(),
    "notifications.mark_all_read": EVERYONE,
    "notifications.choices": EVERYONE,
    "notifications.delivery": DELIVERY,
    "notifications.retry": DELIVERY,
}

OWNER = {
    "notifications.open_notification": EVERYONE,
}


def sample_values(values: dict) -> dict:
    from qa_app.data.notifications import Draft, write
    from qa_app.extensions import db
    from qa_app.models import Notification

    owner = values["_other_user"]
    write(
        [
            Draft(
                owner.id,
                "audit_assigned",
                "sample:route-walk",
                "/",
                {"count": 2, "cycle": None, "due_date": None},
            )
        ]
    )
    db.session.commit()
    notification = db.session.scalars(
        db.select(Notification).where(Notification.dedupe_key == "sample:route-walk")
    ).one()
    return {"notification_id": notification.id}
