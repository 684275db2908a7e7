"""components/schemas of the OpenAPI document for the improvement plan: plans, actions, their
impact and progress updates, and the bodies that create and change them. Closed like the rest
(qa_app.api.schemas), whose building blocks they share."""

from qa_app.api.schemas import (
    DATE,
    DATE_OR_NULL,
    DATETIME,
    ID,
    ID_OR_NULL,
    STRING_OR_NULL,
    items_of,
    obj,
    ref,
)
from qa_app.models import ActionSource, ActionStatus

ACTION_STATUSES = [s.value for s in ActionStatus]
ACTION_SOURCES = [s.value for s in ActionSource]
ACTION_STATUS = {
    "type": "string",
    "enum": ACTION_STATUSES,
    "description": "not_started, on_track, at_risk, off_track or complete",
}
RAG = {
    "type": "string",
    "enum": ["grey", "green", "amber", "red", "blue"],
    "description": "The status's colour: grey not started, green on track, amber at risk, red "
    "off track, blue complete",
}
SHARE_PROPS = {
    "n": {"type": "integer", "minimum": 0, "description": "Audits that marked the theme"},
    "strength": {"type": "integer", "minimum": 0},
    "development": {"type": "integer", "minimum": 0},
    "not_seen": {"type": "integer", "minimum": 0},
    "percent": {
        "type": ["integer", "null"],
        "minimum": 0,
        "maximum": 100,
        "description": "The strength share (rounded half up); null when n is 0",
    },
    "from": DATE,
    "to": DATE,
}
IMPACT = obj(
    {
        "message": {
            "type": "string",
            "description": "Empty when the themes are measured; otherwise why not (not started "
            "yet, or no themes targeted)",
        },
        "themes": {
            "type": "array",
            "description": "One per targeted theme, in the action's order",
            "items": obj(
                {
                    "theme": {"type": "string"},
                    "name": {"type": "string"},
                    "before": obj(
                        SHARE_PROPS, description="Completed audits in the months before work began"
                    ),
                    "since": obj(SHARE_PROPS, description="Completed audits since work began"),
                    "enough": {
                        "type": "boolean",
                        "description": "Both sides have enough audits to say anything",
                    },
                    "change": {
                        "type": ["integer", "null"],
                        "description": "Percentage points, since minus before; null when there "
                        "are too few audits to tell",
                    },
                    "sentence": {"type": "string", "description": "The impact in plain words"},
                }
            ),
        },
    }
)
ACTION_PROPS = {
    "id": {"type": "integer"},
    "plan": obj({"id": {"type": "integer"}, "title": {"type": "string"}}),
    "number": {"type": "integer", "minimum": 1, "description": "Unique in the plan, never reused"},
    "priority": {
        "anyOf": [
            {"type": "null"},
            obj(
                {
                    "id": {"type": "integer"},
                    "number": {"type": "integer"},
                    "title": {"type": "string"},
                }
            ),
        ]
    },
    "description": {"type": "string"},
    "owner": {**STRING_OR_NULL, "description": "The owner's username"},
    "owner_name": {**STRING_OR_NULL, "description": "The owner's display name"},
    "due_date": DATE_OR_NULL,
    "status": ACTION_STATUS,
    "rag": RAG,
    "overdue": {"type": "boolean", "description": "Past its due date and not complete"},
    "started_on": {
        **DATE_OR_NULL,
        "description": "When work began: impact compares before and since this day",
    },
    "completed_on": DATE_OR_NULL,
    "source_kind": {"type": "string", "enum": ACTION_SOURCES},
    "source_cycle": {**ID_OR_NULL, "description": "The audit cycle it answers"},
    "source_week": {**ID_OR_NULL, "description": "The practice week it answers"},
    "source_note": {"type": "string"},
    "themes": {"type": "array", "items": {"type": "string"}, "description": "Theme keys"},
    "expected_outcome": {"type": "string"},
    "lock_version": {
        "type": "integer",
        "description": "The action's version: send it back with every change",
    },
    "created_at": DATETIME,
    "updated_at": DATETIME,
}
ACTION_UPDATE = obj(
    {
        "id": {"type": "integer"},
        "at": DATETIME,
        "author": {**STRING_OR_NULL, "description": "The author's username"},
        "author_name": STRING_OR_NULL,
        "note": {"type": "string"},
        "status_from": {**STRING_OR_NULL, "description": "Set when the status changed"},
        "status_to": STRING_OR_NULL,
    }
)
ACTION = obj(
    {
        **ACTION_PROPS,
        "updates": {
            "type": "array",
            "items": ref("ActionUpdate"),
            "description": "Progress updates, oldest first",
        },
        "impact": ref("ActionImpact"),
        "can_update": {
            "type": "boolean",
            "description": "Whether the caller may post progress on it",
        },
    }
)
NULLABLE_ID = {**ID_OR_NULL, "description": "An id; null clears it"}
ACTION_WRITE_PROPS = {
    "description": {"type": "string", "maxLength": 4000},
    "priority": {**NULLABLE_ID, "description": "One of the plan's priorities (id); null: none"},
    "owner": {
        **STRING_OR_NULL,
        "description": "The username of an active account; null: no owner",
    },
    "due_date": DATE_OR_NULL,
    "status": ACTION_STATUS,
    "started_on": {
        **DATE_OR_NULL,
        "description": "When work began; set to today when the status first leaves "
        "not_started, unless given",
    },
    "source_kind": {"type": "string", "enum": ACTION_SOURCES},
    "source_cycle": {**NULLABLE_ID, "description": "An audit cycle's id"},
    "source_week": {**NULLABLE_ID, "description": "A practice week's id"},
    "source_note": {
        "type": "string",
        "maxLength": 300,
        "description": "A source with no record here, e.g. an inspection's recommendation",
    },
    "themes": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Keys of active themes the action targets",
    },
    "expected_outcome": {"type": "string", "maxLength": 4000},
}
ACTION_CREATE = obj(
    {"plan": {**ID, "description": "The plan's id (an active plan)"}, **ACTION_WRITE_PROPS},
    ["plan", "description"],
)
ACTION_PATCH = obj(
    {
        "lock_version": ID,
        **ACTION_WRITE_PROPS,
        "note": {
            "type": "string",
            "maxLength": 4000,
            "description": "Recorded as a progress update with the change",
        },
    },
    ["lock_version"],
)
ACTION_UPDATE_CREATE = obj(
    {
        "note": {"type": "string", "minLength": 1, "maxLength": 4000},
        "status": {**ACTION_STATUS, "description": "A new status, if it changed"},
        "lock_version": {**ID, "description": "If sent, 409 when the action has changed"},
    },
    ["note"],
)
PLAN = obj(
    {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "starts_on": DATE_OR_NULL,
        "ends_on": DATE_OR_NULL,
        "status": {"type": "string", "enum": ["active", "closed"]},
        "priorities": {
            "type": "array",
            "items": obj(
                {
                    "id": {"type": "integer"},
                    "number": {"type": "integer"},
                    "title": {"type": "string"},
                }
            ),
        },
        "by_status": obj(
            {s: {"type": "integer", "minimum": 0} for s in ACTION_STATUSES},
            description="Actions by status",
        ),
        "total": {"type": "integer", "minimum": 0},
        "overdue": {"type": "integer", "minimum": 0, "description": "Past due, not complete"},
    }
)

IMPROVEMENT_SCHEMAS = {
    "ImprovementPlan": PLAN,
    "ImprovementPlanList": items_of("ImprovementPlan"),
    "ImprovementActionSummary": obj(ACTION_PROPS),
    "ImprovementActionList": items_of(
        "ImprovementActionSummary",
        total={"type": "integer", "minimum": 0},
        limit={"type": "integer", "minimum": 1, "maximum": 200},
        offset={"type": "integer", "minimum": 0},
    ),
    "ImprovementAction": ACTION,
    "ActionUpdate": ACTION_UPDATE,
    "ActionImpact": IMPACT,
    "ImprovementActionCreate": ACTION_CREATE,
    "ImprovementActionPatch": ACTION_PATCH,
    "ProgressUpdateCreate": ACTION_UPDATE_CREATE,
}
