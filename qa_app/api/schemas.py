"""components/schemas of the OpenAPI document (JSON Schema 2020-12, as OpenAPI 3.1 uses).
Response objects are closed (additionalProperties: false), so a field added to a response
without being described here fails the tests that check real responses against them.
The improvement plan's are in qa_app.api.schemas_improvement; qa_app.api.openapi joins the two."""

from qa_app.api.blueprint import DB_INT_MAX
from qa_app.models import CycleKind

DATE = {"type": "string", "format": "date", "examples": ["2026-03-27"]}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
DATETIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
STRING_OR_NULL = {"type": ["string", "null"]}
STATUS = {"type": "string", "enum": ["not_started", "in_progress", "submitted", "moderated"]}
MARK = {"type": "string", "enum": ["strength", "development", "not_seen", "not_assessed"]}
KINDS = [k.value for k in CycleKind]
# An id or a lock_version sent: what the database holds (otherwise 422, or 404 in the address)
ID = {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}
ID_OR_NULL = {"type": ["integer", "null"], "minimum": 1, "maximum": DB_INT_MAX}
CASE_REFERENCE = {
    "type": "string",
    "maxLength": 60,
    "description": "The authority's case number (never a child's name); must match the "
    "organisation's case-reference pattern; at most 60 characters",
}
WORKER = {
    **STRING_OR_NULL,
    "maxLength": 120,
    "description": "The case's worker: updates a known case's worker; null or an empty string "
    "clears it",
}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, required: list[str] | None = None, *, closed=True, **extra) -> dict:
    """An object schema; every property is required unless `required` says otherwise."""
    out = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if closed:
        out["additionalProperties"] = False
    out.update(extra)
    return out


def items_of(name: str, **more) -> dict:
    return obj({"items": {"type": "array", "items": ref(name)}, **more})


PROBLEM = obj(
    {
        "field": {**STRING_OR_NULL, "description": "The field of the request, or null"},
        "message": {"type": "string"},
        "section": {
            "type": "string",
            "description": "On submit: the section key, or 'themes' / 'overall'",
        },
    },
    ["field", "message"],
)
CHANGE = obj(
    {
        "at": DATETIME,
        "user_id": {"type": ["integer", "null"]},
        "action": {"type": "string", "examples": ["section_saved"]},
        "version": {"type": ["integer", "null"]},
        "fields": {"type": "array", "items": {"type": "string"}},
    }
)
ERROR = obj(
    {
        "error": obj(
            {
                "message": {"type": "string"},
                "field": STRING_OR_NULL,
                "problems": {"type": "array", "items": ref("Problem")},
                "lock_version": {
                    "type": "integer",
                    "description": "409 only: the current version of the audit (or action)",
                },
                "changes_since": {
                    "type": "array",
                    "items": ref("Change"),
                    "description": "409 only: what changed since the version you sent",
                },
            },
            ["message", "field", "problems"],
        )
    }
)

TEMPLATE_SUMMARY = obj(
    {
        "key": {"type": "string", "examples": ["single_assessment"]},
        "name": {"type": "string"},
        "kind": {"type": "string"},
        "active": {"type": "boolean", "description": "false: retired, kept for old audits"},
        "latest_version": {"type": "integer"},
        "version_count": {"type": "integer"},
    }
)
VERSION_PROPS = {
    "number": {"type": "integer", "minimum": 1},
    "created_at": DATETIME,
    "content_hash": {"type": "string", "description": "SHA-256 of the stored content"},
    "source_file": {"type": "string"},
}
TEMPLATE = obj(
    {
        "key": {"type": "string"},
        "name": {"type": "string"},
        "kind": {"type": "string"},
        "active": {"type": "boolean"},
        "latest_version": {"type": ["integer", "null"]},
        "versions": {"type": "array", "items": ref("TemplateVersionSummary")},
    }
)
TEMPLATE_VERSION = obj(
    {
        "key": {"type": "string"},
        **VERSION_PROPS,
        "content": obj(
            {
                "template": {"type": "object", "description": "The normalised template"},
                "scales": {"type": "object", "description": "Snapshots of the scales it uses"},
                "themes": {"type": "object", "description": "Snapshots of the themes it uses"},
            },
            closed=False,
            description="Immutable: the template as loaded, with its vocabulary. Field names "
            "for answers come from its question keys (see PATCH /audits/{audit_id}).",
        ),
    }
)

PROGRESS = obj(
    {
        name: {"type": "integer", "minimum": 0}
        for name in ("total", "not_started", "in_progress", "submitted", "moderated", "overdue")
    }
)
CYCLE = obj(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": KINDS},
        "description": {"type": "string"},
        "period_start": DATE,
        "period_end": DATE,
        "due_date": DATE_OR_NULL,
        "templates": {"type": "array", "items": {"type": "string"}},
        "theme_focus": STRING_OR_NULL,
        "moderation_share": {"type": "integer", "minimum": 0, "maximum": 100},
        "status": {"type": "string"},
        "progress": ref("Progress"),
        "case_list_size": {"type": "integer", "minimum": 0},
    }
)
CYCLE_CREATE = obj(
    {
        "name": {"type": "string", "maxLength": 200},
        "kind": {"type": "string", "enum": KINDS},
        "description": {"type": "string"},
        "period_start": DATE,
        "period_end": DATE,
        "due_date": DATE_OR_NULL,
        "templates": {
            "type": "array",
            "items": {"type": "string"},
            "minItems": 1,
            "uniqueItems": True,
            "description": "Keys of active templates, each once",
        },
        "theme_focus": {**STRING_OR_NULL, "description": "An active theme key"},
        "moderation_share": {"type": "integer", "minimum": 0, "maximum": 100, "default": 10},
    },
    ["name", "kind", "period_start", "period_end", "templates"],
)
CASE_CREATE = obj(
    {
        "case_reference": CASE_REFERENCE,
        "team": {"type": "string", "description": "Name of an active team"},
        "worker": {
            **WORKER,
            "description": WORKER["description"] + ". Left out: a known case keeps its worker",
        },
        "template": {"type": "string", "description": "Key of one of the cycle's templates"},
    },
    ["case_reference", "team", "template"],
)

SUMMARY_PROPS = {
    "id": {"type": "integer"},
    "case_reference": {"type": "string"},
    "team": STRING_OR_NULL,
    "worker": STRING_OR_NULL,
    "cycle_id": {"type": ["integer", "null"]},
    "template": obj(
        {"key": {"type": "string"}, "name": {"type": "string"}, "version": {"type": "integer"}}
    ),
    "auditor": {**STRING_OR_NULL, "description": "The assigned auditor's username"},
    "status": STATUS,
    "due_date": DATE_OR_NULL,
    "started_at": DATETIME_OR_NULL,
    "submitted_at": DATETIME_OR_NULL,
    "own_team_override": {"type": "boolean"},
    "lock_version": {
        "type": "integer",
        "description": "The audit's version: send it back with every change",
    },
}
ANSWER = {
    "description": "A list for multiple choice; a number where a number parsed; an ISO date "
    "where a date parsed; otherwise the text as typed",
    "anyOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "array", "items": {"type": "string"}},
    ],
}
ANSWERS = {"type": "object", "additionalProperties": ref("AnswerValue")}
BLOCK = obj(
    {
        "index": {"type": "integer", "minimum": 0},
        "label": {"type": "string", "description": "The block's option key, e.g. police"},
        "answers": ANSWERS,
    }
)
OVERALL_PROPS = {
    "overall_grade": {**STRING_OR_NULL, "description": "A level key of the template's scale"},
    "overall_rationale": {"type": "string", "maxLength": 4000},
    "evidence": {"type": "string", "maxLength": 20000},
    "practitioner_comments": {"type": "string", "maxLength": 20000},
    "moderation_requested": {"type": "boolean"},
}
AUDIT = obj(
    {
        **SUMMARY_PROPS,
        "answers": {**ANSWERS, "description": "Answers outside repeat groups, by question key"},
        "blocks": {
            "type": "object",
            "description": "Repeat groups by group key: their blocks, in order",
            "additionalProperties": {"type": "array", "items": ref("Block")},
        },
        "section_grades": {
            "type": "object",
            "additionalProperties": obj({"grade": STRING_OR_NULL, "rationale": {"type": "string"}}),
        },
        "theme_marks": {
            "type": "object",
            "additionalProperties": obj({"mark": MARK, "suggested": {"type": "boolean"}}),
        },
        "suggested_theme_marks": {"type": "object", "additionalProperties": MARK},
        "overall": obj(OVERALL_PROPS),
        "can_edit": {"type": "boolean", "description": "Whether the caller may change it now"},
    }
)
AUDIT_CREATE = obj(
    {
        "case_reference": CASE_REFERENCE,
        "template": {"type": "string", "description": "Template key (its latest version)"},
        "cycle_id": ID_OR_NULL,
        "auditor": {**STRING_OR_NULL, "description": "Username of someone who does audits"},
        "due_date": DATE_OR_NULL,
        "team": {
            **STRING_OR_NULL,
            "description": "Team name: required when the case is new; updates an existing case",
        },
        "worker": {
            **STRING_OR_NULL,
            "maxLength": 120,
            "description": "Updates a known case's worker; null or left out keeps it",
        },
        "own_team_override": {
            "type": "boolean",
            "default": False,
            "description": "Assign an auditor from the case's own team, knowingly",
        },
    },
    ["case_reference", "template"],
)
RAW_ANSWER = {
    "description": "What was typed: a string; a number; a list of option keys for multiple "
    "choice; a date as YYYY-MM-DD or [day, month, year]; null to clear",
    "anyOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "null"},
        {"type": "array", "items": {"type": ["string", "integer"]}},
    ],
}
AUDIT_PATCH = obj(
    {
        "lock_version": ID,
        "answers": {
            "type": "object",
            "description": "By web-form field name: q__<question> or "
            "r__<group>__<block index>__<question>",
            "propertyNames": {
                "pattern": "^(q__[a-z][a-z0-9_]*|r__[a-z][a-z0-9_]*__[0-9]+__[a-z][a-z0-9_]*)$"
            },
            "additionalProperties": ref("RawAnswer"),
        },
        "section_grades": {
            "type": "object",
            "additionalProperties": obj(
                {"grade": STRING_OR_NULL, "rationale": {"type": "string", "maxLength": 4000}},
                [],
            ),
        },
        "theme_marks": {
            "type": "object",
            "description": "Marks to set; the others keep their stored (or suggested) mark. "
            "Send {} to confirm the suggested marks.",
            "additionalProperties": MARK,
        },
        "overall": obj(OVERALL_PROPS, []),
        "add_blocks": {
            "type": "array",
            "items": obj({"group": {"type": "string"}, "label": {"type": "string"}}),
        },
        "remove_blocks": {
            "type": "array",
            "items": obj({"group": {"type": "string"}, "index": {"type": "integer"}}),
        },
    },
    ["lock_version"],
)
SUBMIT = obj({"lock_version": ID})
MODERATION_REQUEST = obj(
    {
        "grades": {
            "type": "object",
            "description": "The moderator's grade per judgement: graded section keys, and "
            "__overall__ for the overall grade",
            "additionalProperties": STRING_OR_NULL,
        },
        "reasons": {"type": "object", "additionalProperties": STRING_OR_NULL},
        "complete": {"type": "boolean", "default": False},
        "blind": {
            "type": "boolean",
            "default": False,
            "description": "When starting: grade without seeing the auditor's grades first",
        },
    },
    [],
)
MODERATION = obj(
    {
        "audit_id": {"type": "integer"},
        "status": {"type": "string", "enum": ["pending", "in_progress", "completed"]},
        "reason": {"type": "string", "enum": ["sample", "requested"]},
        "blind": {"type": "boolean"},
        "moderator_id": {"type": ["integer", "null"]},
        "completed_at": DATETIME_OR_NULL,
        "audit_status": STATUS,
        "judgements": {
            "type": "array",
            "items": obj(
                {
                    "key": {"type": "string"},
                    "title": {"type": "string"},
                    "auditor_grade": STRING_OR_NULL,
                    "moderator_grade": STRING_OR_NULL,
                    "reason": {"type": "string"},
                }
            ),
        },
    }
)

# ---- findings -------------------------------------------------------------------------------
# The figures of qa_app.findings.compute_findings. Counts are never percentages (those are
# worked out where they are shown). In the board tier a count below the small-number threshold
# is null, and so is a summary (median, range, kappa) over such a count.
COUNT = {
    "type": ["integer", "null"],
    "minimum": 0,
    "description": "A count; null in the board tier when it is below the small-number "
    "threshold (or hidden with it, so it cannot be worked out by subtraction)",
}
COUNTS = {
    "type": "object",
    "additionalProperties": COUNT,
    "description": "Count per key (grade level, answer value...), in the order shown",
}
NUMBER_OR_NULL = {"type": ["number", "null"]}
LABELS = {"type": "object", "additionalProperties": {"type": "string"}}
ID_OR_NONE = {
    "type": ["integer", "null"],
    "description": "null: the audits with no team (or locality) recorded",
}
DISTRIBUTION_PROPS = {
    "counts": {**COUNTS, "description": "Audits per grade level of the scale, best first"},
    "n": {**COUNT, "description": "Judgements with a grade on the scale"},
    "good_or_better": COUNT,
}
QUESTION_BASE = {
    "key": {"type": "string"},
    "text": {"type": "string"},
    "section": {"type": "string", "description": "The section's title"},
}
FINDING_PHRASING = {
    "type": "object",
    "description": "How an answer reads as a finding, where the template phrases it "
    "(docs/templates.md); absent otherwise",
}


def _question(properties: dict) -> dict:
    """A counted question's schema: every property required but the optional phrasing."""
    return obj({**properties, "finding": FINDING_PHRASING}, required=[k for k in properties])


FINDINGS_QUESTION = {
    "description": "A counted question: answers per value, or a number's median and range "
    "(text and date answers are read, not counted)",
    "anyOf": [
        _question(
            {
                **QUESTION_BASE,
                "type": {
                    "type": "string",
                    "enum": ["yes_partly_no", "single_choice", "multiple_choice", "grade"],
                },
                "labels": {**LABELS, "description": "Value key: label, in order"},
                "counts": {
                    **COUNTS,
                    "description": "Audits per value (multiple choice: per option ticked)",
                },
                "n": {**COUNT, "description": "Audits that answered"},
            }
        ),
        _question(
            {
                **QUESTION_BASE,
                "type": {"const": "number"},
                "unit": {"type": "string"},
                "n": COUNT,
                "median": NUMBER_OR_NULL,
                "min": NUMBER_OR_NULL,
                "max": NUMBER_OR_NULL,
            }
        ),
    ],
}
FINDINGS_TEMPLATE = obj(
    {
        "key": {"type": "string"},
        "name": {"type": "string"},
        "noun": {
            "type": ["object", "null"],
            "description": "What the template's audits are called in a sentence, "
            '{"one": "assessment", "many": "assessments"}, or null',
        },
        "by_status": obj(
            {s: COUNT for s in ("not_started", "in_progress", "submitted", "moderated")}
        ),
        "completed": COUNT,
        "scale": obj(
            {
                "key": {"type": "string"},
                "name": {"type": "string"},
                "levels": {
                    "type": "array",
                    "items": obj({"key": {"type": "string"}, "label": {"type": "string"}}),
                    "description": "Best first",
                },
                "good_or_better": {"type": "array", "items": {"type": "string"}},
            }
        ),
        "overall": {**obj(DISTRIBUTION_PROPS), "description": "Overall grades"},
        "sections": {
            "type": "array",
            "items": obj(
                {"key": {"type": "string"}, "title": {"type": "string"}, **DISTRIBUTION_PROPS}
            ),
            "description": "Graded sections, in the template's order",
        },
        "questions": {"type": "array", "items": ref("FindingsQuestion")},
        "repeats": {
            "type": "array",
            "description": "Repeat groups (e.g. one block per agency), per block label",
            "items": obj(
                {
                    "key": {"type": "string"},
                    "text": {"type": "string"},
                    "repeat_label": {"type": "string"},
                    "blocks": {
                        "type": "array",
                        "items": obj(
                            {
                                "key": {"type": "string"},
                                "label": {"type": "string"},
                                "n": COUNT,
                                "questions": {
                                    "type": "array",
                                    "items": ref("FindingsQuestion"),
                                },
                            }
                        ),
                    },
                }
            ),
        },
    }
)
THEME_ROW = obj(
    {
        "key": {"type": "string"},
        "name": {"type": "string"},
        "strength": COUNT,
        "development": COUNT,
        "not_seen": COUNT,
        "n": {
            **COUNT,
            "description": "Audits that assessed the theme: strength + development + not seen",
        },
        "not_assessed": {
            **COUNT,
            "description": "Audits that did not assess the theme: never counted in n or a share",
        },
    },
    # figures frozen before "not assessed" existed lack it
    ["key", "name", "strength", "development", "not_seen", "n"],
)
SCALE_CELL = obj(
    {
        "scale": {"type": "string"},
        "completed": COUNT,
        "good_or_better": COUNT,
        "worst": COUNT,
    },
    ["scale", "completed", "good_or_better"],
)
SCALE_NOTE = (
    "good_or_better and worst are given for the row itself only when one grading scale is in "
    "play; by_scale always gives them per scale (never added across scales)"
)
BREAKDOWN = {
    "completed": COUNT,
    "good_or_better": COUNT,
    "worst": COUNT,
    "by_scale": {"type": "array", "items": SCALE_CELL, "description": SCALE_NOTE},
}
BREAKDOWN_REQUIRED = ["completed", "by_scale"]
BY_SCALE = obj(
    {
        "scale": {"type": "string"},
        "name": {"type": "string"},
        "levels": {
            "type": "array",
            "items": obj({"key": {"type": "string"}, "label": {"type": "string"}}),
            "description": "Best first",
        },
        "good_or_better_levels": {"type": "array", "items": {"type": "string"}},
        "templates": {"type": "array", "items": {"type": "string"}},
        "completed": COUNT,
        **DISTRIBUTION_PROPS,
    },
    description="Overall grades of the completed audits graded on one scale",
)
AGREEMENT_PROPS = {
    "completed_audits": COUNT,
    "moderated": COUNT,
    "pending": {**COUNT, "description": "Selected for moderation, not yet completed"},
    "pairs": {**COUNT, "description": "Auditor and moderator grades compared"},
    "agreed": COUNT,
    "changed_up": COUNT,
    "changed_down": COUNT,
    "unchanged": COUNT,
    "kappa": {
        "type": "array",
        "description": "Weighted kappa per grading scale",
        "items": obj(
            {
                "scale": {"type": "string"},
                "name": {"type": "string"},
                "n": COUNT,
                "kappa": NUMBER_OR_NULL,
                "words": {"type": "string", "examples": ["substantial"]},
            }
        ),
    },
}
FINDINGS_MODERATION = obj(
    {
        **AGREEMENT_PROPS,
        "by_auditor": {
            "type": "array",
            "description": "Case tier only: left out of the board tier",
            "items": obj(
                {
                    "auditor_id": {"type": "integer"},
                    "auditor": {"type": "string"},
                    **AGREEMENT_PROPS,
                }
            ),
        },
    },
    list(AGREEMENT_PROPS),
)
FINDINGS = obj(
    {
        "schema": {"type": "integer", "description": "The layout version of the figures"},
        "tier": {
            "type": "string",
            "enum": ["internal", "partnership"],
            "description": "The audience: internal (case level) or partnership (the board: "
            "whole months, no per-auditor figures, counts null only where the council sets a "
            "partnership threshold)",
        },
        "filters": obj(
            {
                name: {"type": "string"}
                for name in ("from", "to", "cycle", "template", "team", "locality", "auditor")
            },
            [],
            description="The filters applied, as query parameters",
        ),
        "period": obj({"from": DATE_OR_NULL, "to": DATE_OR_NULL}),
        "generated_at": DATETIME,
        "totals": obj(
            {
                name: COUNT
                for name in (
                    "not_started",
                    "in_progress",
                    "submitted",
                    "moderated",
                    "completed",
                    "audits",
                )
            },
            description="Audits in scope by status (not yet submitted ones dated by when they "
            "were created); completed = submitted + moderated",
        ),
        "templates": {"type": "array", "items": ref("FindingsTemplate")},
        "by_team": {
            "type": "array",
            "items": obj(
                {
                    "team_id": ID_OR_NONE,
                    "team": {"type": "string"},
                    "locality": {"type": "string"},
                    **BREAKDOWN,
                },
                ["team_id", "team", "locality", *BREAKDOWN_REQUIRED],
            ),
        },
        "by_locality": {
            "type": "array",
            "items": obj(
                {"locality_id": ID_OR_NONE, "locality": {"type": "string"}, **BREAKDOWN},
                ["locality_id", "locality", *BREAKDOWN_REQUIRED],
            ),
        },
        "by_month": {
            "type": "array",
            "items": obj(
                {
                    "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                    "completed": COUNT,
                    "good_or_better": COUNT,
                    "by_scale": {"type": "array", "items": SCALE_CELL, "description": SCALE_NOTE},
                },
                ["month", "completed", "by_scale"],
            ),
        },
        "by_scale": {
            "type": "array",
            "items": BY_SCALE,
            "description": "Overall grades per grading scale; good or better is each scale's own",
        },
        "themes": {"type": "array", "items": ref("FindingsTheme")},
        "top_strengths": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Theme keys marked a strength more often than for development, most "
            "often first (share of the audits that assessed the theme), at most 5",
        },
        "top_development": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Theme keys marked for development more often than a strength, most "
            "often first, at most 5",
        },
        "top_mixed": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Theme keys marked a strength exactly as often as for development, "
            "at most 5 (a theme is in one of the three lists at most)",
        },
        "themes_by_template": {
            "type": "array",
            "items": obj(
                {
                    "template": {"type": "string"},
                    "name": {"type": "string"},
                    "themes": {"type": "array", "items": ref("FindingsTheme")},
                }
            ),
        },
        "themes_by_team": {
            "type": "array",
            "items": obj(
                {
                    "team_id": ID_OR_NONE,
                    "team": {"type": "string"},
                    "themes": {"type": "array", "items": ref("FindingsTheme")},
                }
            ),
        },
        "themes_by_locality": {
            "type": "array",
            "items": obj(
                {
                    "locality_id": ID_OR_NONE,
                    "locality": {"type": "string"},
                    "themes": {"type": "array", "items": ref("FindingsTheme")},
                }
            ),
        },
        "moderation": ref("FindingsModeration"),
        "actions": obj(
            {s: COUNT for s in ("open", "overdue", "completed")},
            description="Actions for the case raised in the audits in scope",
        ),
        "concerns": obj(
            {s: COUNT for s in ("open", "overdue", "responded", "signed_off")},
            description="Urgent concerns raised in the audits in scope",
        ),
        "previous": {
            "description": "The period of the same length just before (only when both from "
            "and to are given), to compare with",
            "anyOf": [
                {"type": "null"},
                obj(
                    {
                        "period": obj({"from": DATE, "to": DATE}),
                        "completed": COUNT,
                        "good_or_better": COUNT,
                        "by_scale": {
                            "type": "array",
                            "items": SCALE_CELL,
                            "description": SCALE_NOTE,
                        },
                        "themes": {"type": "array", "items": ref("FindingsTheme")},
                    },
                    ["period", "completed", "by_scale", "themes"],
                ),
            ],
        },
        "suppression": obj(
            {"threshold": {"type": "integer", "minimum": 0}},
            description="Board tier only: counts from 1 to threshold - 1 are null",
        ),
    },
    [
        "schema",
        "tier",
        "filters",
        "period",
        "generated_at",
        "totals",
        "templates",
        "by_team",
        "by_locality",
        "by_month",
        "themes",
        "top_strengths",
        "top_development",
        "top_mixed",
        "by_scale",
        "themes_by_template",
        "themes_by_team",
        "themes_by_locality",
        "moderation",
        "actions",
        "concerns",
        "previous",
    ],
    **{
        "if": {"properties": {"tier": {"const": "partnership"}}},
        "then": {
            "required": ["suppression"],
            "properties": {"moderation": {"not": {"required": ["by_auditor"]}}},
        },
        "else": {
            "not": {"required": ["suppression"]},
            "properties": {"moderation": {"required": ["by_auditor"]}},
        },
    },
)

SCHEMAS = {
    "Error": ERROR,
    "Problem": PROBLEM,
    "Change": CHANGE,
    "TemplateSummary": TEMPLATE_SUMMARY,
    "TemplateList": items_of("TemplateSummary"),
    "TemplateVersionSummary": obj(VERSION_PROPS),
    "Template": TEMPLATE,
    "TemplateVersion": TEMPLATE_VERSION,
    "Progress": PROGRESS,
    "Cycle": CYCLE,
    "CycleList": items_of("Cycle"),
    "CycleCreate": CYCLE_CREATE,
    "CaseCreate": CASE_CREATE,
    "AuditSummary": obj(SUMMARY_PROPS),
    "AuditList": items_of(
        "AuditSummary",
        total={"type": "integer", "minimum": 0},
        limit={"type": "integer", "minimum": 1, "maximum": 200},
        offset={"type": "integer", "minimum": 0},
    ),
    "AnswerValue": ANSWER,
    "Block": BLOCK,
    "Audit": AUDIT,
    "AuditCreate": AUDIT_CREATE,
    "RawAnswer": RAW_ANSWER,
    "AuditPatch": AUDIT_PATCH,
    "Submit": SUBMIT,
    "ModerationRequest": MODERATION_REQUEST,
    "Moderation": MODERATION,
    "Findings": FINDINGS,
    "FindingsTemplate": FINDINGS_TEMPLATE,
    "FindingsQuestion": FINDINGS_QUESTION,
    "FindingsTheme": THEME_ROW,
    "FindingsModeration": FINDINGS_MODERATION,
}
