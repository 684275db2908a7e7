"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json. Tests check that it is
valid, that it lists exactly the API's routes, and that real responses match its schemas."""

from copy import deepcopy

from qa_app.api.blueprint import DB_INT_MAX
from qa_app.api.schemas import ID, SCHEMAS, ref
from qa_app.api.schemas_improvement import IMPROVEMENT_SCHEMAS
from qa_app.findings.filters import MAX_ID

READ_TEMPLATES = "QA leads, moderators, auditors and senior managers (view_templates or do_audits)"
CASE_LEVEL = "Auditors, QA leads, moderators and senior managers (do_audits)"
QA_LEAD = "QA leads (manage_cycles)"
FINDINGS_READERS = (
    "QA leads, moderators and senior managers (case tier); board viewers (board tier, small "
    "numbers hidden) (view_findings)"
)
PLAN_READERS = (
    "QA leads, moderators, auditors and senior managers (view_improvement_plan); never board "
    "viewers or administrators"
)
PLAN_MANAGERS = "QA leads and senior managers (manage_improvement_plan)"
FINDINGS_PARAMS = [
    "PeriodFrom",
    "PeriodTo",
    "FindingsCycle",
    "FindingsTemplateKey",
    "FindingsTeam",
    "FindingsLocality",
    "FindingsAuditor",
]


def _json(schema_name: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref(schema_name)}},
    }


def _errors(*codes: int) -> dict:
    names = {
        400: "BadRequest",
        401: "Unauthorised",
        403: "Forbidden",
        404: "NotFound",
        409: "Conflict",
        415: "UnsupportedMediaType",
        422: "Unprocessable",
        503: "TooLong",
    }
    return {str(c): {"$ref": f"#/components/responses/{names[c]}"} for c in codes}


def _op(op_id, summary, who, ok: dict, *errors, body=None, params=None, tag, describe=""):
    operation = {
        "operationId": op_id,
        "tags": [tag],
        "summary": summary,
        "description": (describe + "\n\n" if describe else "") + f"Who: {who}.",
        "responses": {**ok, **_errors(401, 403, *errors, 503)},
    }
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(body)}},
        }
        operation["responses"].update(_errors(400, 415, 422))
    if params:
        operation["parameters"] = [{"$ref": f"#/components/parameters/{p}"} for p in params]
    return operation


def _paths() -> dict:
    audit = ["AuditId"]
    return {
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "tags": ["meta"],
                "summary": "This document",
                "security": [],
                "responses": {
                    "200": {
                        "description": "The OpenAPI 3.1 document",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/templates": {
            "get": _op(
                "list_templates",
                "Audit templates",
                READ_TEMPLATES,
                {"200": _json("TemplateList", "Every template, active first")},
                tag="templates",
            )
        },
        "/templates/{key}": {
            "get": _op(
                "get_template",
                "A template and its versions",
                READ_TEMPLATES,
                {"200": _json("Template", "The template")},
                404,
                params=["TemplateKey"],
                tag="templates",
            )
        },
        "/templates/{key}/versions/{number}": {
            "get": _op(
                "get_template_version",
                "One stored template version",
                READ_TEMPLATES,
                {"200": _json("TemplateVersion", "The version with its content")},
                404,
                params=["TemplateKey", "VersionNumber"],
                tag="templates",
                describe="The content is immutable; audits keep the version they were "
                "started with.",
            )
        },
        "/cycles": {
            "get": _op(
                "list_cycles",
                "Audit cycles with progress",
                CASE_LEVEL,
                {"200": _json("CycleList", "Newest period first")},
                tag="cycles",
                describe="Auditors see the cycles they audit in; the others see all.",
            ),
            "post": _op(
                "create_cycle",
                "Create a cycle",
                QA_LEAD,
                {"201": _json("Cycle", "Created; Location names it")},
                body="CycleCreate",
                tag="cycles",
            ),
        },
        "/cycles/{cycle_id}": {
            "get": _op(
                "get_cycle",
                "One cycle with progress",
                CASE_LEVEL,
                {"200": _json("Cycle", "The cycle")},
                404,
                params=["CycleId"],
                tag="cycles",
            ),
        },
        "/cycles/{cycle_id}/cases": {
            "post": _op(
                "add_case",
                "Add a case to a cycle, with a not yet assigned audit",
                QA_LEAD,
                {"201": _json("AuditSummary", "The new audit")},
                404,
                body="CaseCreate",
                params=["CycleId"],
                tag="cycles",
                describe="A case already known is reused and its team and worker "
                "brought up to date (a worker left out of the body is kept). A case may "
                "have one audit per template per cycle.",
            ),
        },
        "/audits": {
            "get": _op(
                "list_audits",
                "Audits the caller may see",
                CASE_LEVEL,
                {"200": _json("AuditList", "One page, oldest first")},
                422,
                params=["CycleFilter", "StatusFilter", "MineFilter", "Limit", "Offset"],
                tag="audits",
                describe="Auditors see their own audits and those of the cycles they "
                "audit in; QA leads, moderators and senior managers see all.",
            ),
            "post": _op(
                "create_audit",
                "Start an audit of a case",
                QA_LEAD,
                {"201": _json("Audit", "The new audit; Location names it")},
                body="AuditCreate",
                tag="audits",
                describe="Optionally in a cycle, assigned to an auditor (never one "
                "from the case's own team unless own_team_override), due on a date. "
                "A new case needs its team.",
            ),
        },
        "/audits/{audit_id}": {
            "get": _op(
                "get_audit",
                "One audit: answers, blocks, grades, themes, overall",
                CASE_LEVEL + ", for audits they may see",
                {"200": _json("Audit", "The audit")},
                404,
                params=audit,
                tag="audits",
            ),
            "patch": _op(
                "patch_audit",
                "Save answers, grades, blocks, themes, overall",
                "The assigned auditor, until the audit is submitted",
                {"200": _json("Audit", "The audit as saved, with its new lock_version")},
                404,
                409,
                body="AuditPatch",
                params=audit,
                tag="audits",
                describe="Send the lock_version you read. The whole body is checked "
                "first (422 lists every problem; nothing saved). It is then saved in "
                "this order, each step a new version with a change-log entry: "
                "add_blocks, answers and section grades (per section), "
                "remove_blocks, theme_marks, overall. 409 if the audit changed since "
                "your lock_version: nothing is overwritten.",
            ),
        },
        "/audits/{audit_id}/submit": {
            "post": _op(
                "submit_audit",
                "Submit the audit",
                "The assigned auditor",
                {"200": _json("Audit", "Submitted")},
                404,
                409,
                body="Submit",
                params=audit,
                tag="audits",
                describe="422 lists what stops it, as the web form's error summary "
                "does; nothing is saved.",
            ),
        },
        "/findings": {
            "get": _op(
                "get_findings",
                "The findings: grades, themes, trends, agreement, as figures",
                FINDINGS_READERS,
                {"200": _json("Findings", "The figures, with the tier they were made for")},
                422,
                params=FINDINGS_PARAMS,
                tag="findings",
                describe="The figures every dashboard and report reads, for the audits the "
                "filters cover (completed audits are dated by when they were submitted). "
                "Counts only, never percentages. Callers who may see case records "
                "(view_all_audits) get tier 'case'. Others get tier 'board': every count "
                "from 1 to the organisation's small-number threshold minus 1 is null (with "
                "a second cell hidden where one hidden cell could be worked out), summaries "
                "over a hidden count are null, moderation.by_auditor is left out, and "
                "suppression.threshold says the threshold. A board-tier caller sending "
                "auditor gets 403 (logged). A bad or unknown parameter, or a filter naming "
                "nothing, is 422 naming the parameter.",
            ),
        },
        **_improvement_paths(),
        "/audits/{audit_id}/moderation": {
            "post": _op(
                "moderate_audit",
                "Record a moderation",
                "Moderators and QA leads (moderate), not on their own audits",
                {"200": _json("Moderation", "The moderation as saved")},
                404,
                409,
                body="ModerationRequest",
                params=audit,
                tag="moderation",
                describe="For an audit in the moderation queue. The first call "
                "starts the moderation (blind or not). A changed grade needs a "
                "reason; complete=true finishes it and marks the audit moderated. "
                "In a blind moderation the first save only records your grades.",
            ),
        },
    }


def _improvement_paths() -> dict:
    action = ["ActionId"]
    return {
        "/improvement/plans": {
            "get": _op(
                "list_improvement_plans",
                "Improvement plans with their actions counted by status",
                PLAN_READERS,
                {"200": _json("ImprovementPlanList", "Active plans first, then by title")},
                tag="improvement",
                describe="Each plan with its priorities (the ids an action's priority "
                "names), its actions counted by status, and how many are overdue.",
            )
        },
        "/improvement/actions": {
            "get": _op(
                "list_improvement_actions",
                "Improvement actions",
                PLAN_READERS,
                {"200": _json("ImprovementActionList", "One page, by plan then number")},
                422,
                params=[
                    "PlanFilter",
                    "ActionView",
                    "OwnerFilter",
                    "ActionStatusFilter",
                    "ThemeFilter",
                    "Limit",
                    "Offset",
                ],
                tag="improvement",
                describe="Filters combine. A filter naming nothing (an unknown plan, "
                "account or theme) is 422 naming the parameter.",
            ),
            "post": _op(
                "create_improvement_action",
                "Add an action to a plan",
                PLAN_MANAGERS,
                {"201": _json("ImprovementAction", "The new action; Location names it")},
                body="ImprovementActionCreate",
                tag="improvement",
                describe="Numbered next in the plan. A plan that is closed takes no new "
                "actions (422 on plan). Leaving not_started sets started_on to today unless "
                "it is given; complete sets completed_on. Recorded in the change log.",
            ),
        },
        "/improvement/actions/{action_id}": {
            "get": _op(
                "get_improvement_action",
                "One action, its progress updates and its impact",
                PLAN_READERS,
                {"200": _json("ImprovementAction", "The action")},
                404,
                params=action,
                tag="improvement",
                describe="impact compares, for each targeted theme, the share of completed "
                "audits marking it a strength in the 6 months before work started and "
                "since; with fewer than 10 audits on either side it says so plainly.",
            ),
            "patch": _op(
                "patch_improvement_action",
                "Change an action",
                PLAN_MANAGERS,
                {
                    "200": _json(
                        "ImprovementAction", "The action as saved, with its new lock_version"
                    )
                },
                404,
                409,
                body="ImprovementActionPatch",
                params=action,
                tag="improvement",
                describe="Send the lock_version you read and only the fields to change "
                "(null clears an id, an owner or a date). 409 if the action changed since "
                "your lock_version: nothing is overwritten. A status change is also "
                "recorded as a progress update (with note, if sent).",
            ),
        },
        "/improvement/actions/{action_id}/updates": {
            "post": _op(
                "add_improvement_update",
                "Post a progress update on an action",
                "The action's owner, and QA leads and senior managers "
                "(manage_improvement_plan); anyone else gets 403 (logged)",
                {"201": _json("ImprovementAction", "The action with the new update")},
                404,
                409,
                body="ProgressUpdateCreate",
                params=action,
                tag="improvement",
                describe="A dated note by the caller, optionally moving the status. With "
                "lock_version, 409 if the action changed since.",
            )
        },
    }


def _parameters() -> dict:
    def path(name, schema, description):
        return {
            "name": name,
            "in": "path",
            "required": True,
            "schema": schema,
            "description": description,
        }

    def query(name, schema, description):
        return {
            "name": name,
            "in": "query",
            "required": False,
            "schema": schema,
            "description": description,
        }

    return {
        "AuditId": path("audit_id", ID, "The audit's id (404 beyond 2**63 - 1)"),
        "CycleId": path("cycle_id", ID, "The cycle's id (404 beyond 2**63 - 1)"),
        "TemplateKey": path("key", {"type": "string"}, "The template's key"),
        "VersionNumber": path("number", ID, "Version number (404 beyond 2**63 - 1)"),
        "ActionId": path("action_id", ID, "The action's id (404 beyond 2**63 - 1)"),
        "CycleFilter": query("cycle_id", ID, "Only this cycle's audits"),
        "PlanFilter": query("plan", ID, "Only this plan's actions (a plan's id)"),
        "ActionView": query(
            "view",
            {
                "type": "string",
                "enum": ["all", "open", "overdue", "at_risk", "mine"],
                "default": "all",
            },
            "open: not complete; overdue: past due and not complete; at_risk: at risk or off "
            "track; mine: owned by the caller",
        ),
        "OwnerFilter": query("owner", ID, "Only actions owned by this account (its id)"),
        "ActionStatusFilter": query(
            "status",
            {
                "type": "string",
                "enum": ["not_started", "on_track", "at_risk", "off_track", "complete"],
            },
            "Only actions with this status",
        ),
        "ThemeFilter": query(
            "theme", {"type": "string"}, "Only actions targeting this theme (an active theme key)"
        ),
        "StatusFilter": query(
            "status",
            {"type": "string", "enum": ["not_started", "in_progress", "submitted", "moderated"]},
            "Only audits with this status",
        ),
        "MineFilter": query(
            "mine", {"type": "boolean", "default": False}, "Only audits assigned to the caller"
        ),
        "Limit": query(
            "limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "Page size"
        ),
        "PeriodFrom": query(
            "from",
            {"type": "string", "format": "date"},
            "Audits completed on or after this day (YYYY-MM-DD)",
        ),
        "PeriodTo": query(
            "to",
            {"type": "string", "format": "date"},
            "... and on or before this day (YYYY-MM-DD; not before from). With from, the "
            "figures include the same length of period just before, as previous",
        ),
        "FindingsCycle": query(
            "cycle", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "A cycle's id"
        ),
        "FindingsTemplateKey": query(
            "template",
            {"type": "string", "pattern": "^[A-Za-z0-9_]{1,60}$"},
            "A template's key",
        ),
        "FindingsTeam": query(
            "team", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The case's team's id"
        ),
        "FindingsLocality": query(
            "locality",
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            "The id of the locality of the case's team",
        ),
        "FindingsAuditor": query(
            "auditor",
            {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            "The auditor's account id. Case tier only: a board-tier caller gets 403",
        ),
        "Offset": query(
            "offset",
            {"type": "integer", "minimum": 0, "maximum": DB_INT_MAX, "default": 0},
            "Items to skip",
        ),
    }


def _responses() -> dict:
    def error(description):
        return {
            "description": description,
            "content": {"application/json": {"schema": ref("Error")}},
        }

    return {
        "BadRequest": error("The body is not a JSON object"),
        "Unauthorised": error(
            "No token, or a token that is unknown, revoked or belongs to a "
            "disabled account (a session cookie is not accepted)"
        ),
        "Forbidden": error(
            "The account's roles, or its access to this audit or action, do not allow it (logged)"
        ),
        "NotFound": error(
            "No such object (an id in the address beyond 2**63 - 1, or a key with a control "
            "character, names none)"
        ),
        "Conflict": error(
            "The audit (or improvement action) changed since the lock_version sent "
            "(error.lock_version says its version now; for an audit, error.changes_since "
            "says how), or the audit has been submitted"
        ),
        "UnsupportedMediaType": error("Send Content-Type: application/json"),
        "TooLong": error(
            "The request's database work ran past its time budget (QA_REQUEST_SECONDS, 20 s "
            "by default) and was stopped; what it had not committed was rolled back. Ask for "
            "less at once (a shorter period, fewer filters), or try again later"
        ),
        "Unprocessable": error(
            "The request has problems: error.problems lists each with its field; nothing was "
            "saved. Text anywhere in a body must not contain NUL or other control characters "
            "(tab, line feed and carriage return are allowed), and whole numbers must be ones "
            "the database holds (ids and lock_version: 1 to 2**63 - 1)"
        ),
    }


def document() -> dict:
    return deepcopy(
        {
            "openapi": "3.1.0",
            "info": {
                "title": "Practice QA API",
                "version": "1.0.0",
                "description": "Case audits, cycles, templates, findings and the improvement "
                "plan of Practice QA. Same "
                "permissions, validation, versions and change log as the web pages. "
                "Authenticate with `Authorization: Bearer <token>` (made with "
                "`flask --app qa_app qa create-token USERNAME`). See docs/api.md.",
            },
            "servers": [{"url": "/api/v1"}],
            "security": [{"bearer": []}],
            "tags": [
                {"name": n}
                for n in (
                    "templates",
                    "cycles",
                    "audits",
                    "moderation",
                    "findings",
                    "improvement",
                    "meta",
                )
            ],
            "paths": _paths(),
            "components": {
                "securitySchemes": {
                    "bearer": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "An API token from `qa create-token`; acts with its "
                        "account's roles",
                    }
                },
                "schemas": {**SCHEMAS, **IMPROVEMENT_SCHEMAS},
                "parameters": _parameters(),
                "responses": _responses(),
            },
        }
    )
