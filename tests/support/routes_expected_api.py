"""The JSON API in the route walk: every endpoint but the OpenAPI document answers a web
client (session cookie, no token) with 401. Who may do what with a token is checked in
tests/api/test_api_permissions.py. Sample URL arguments (audit_id, cycle_id, key, number) come
from the other areas' sample_values and route_walk.sample_args."""

from tests.support.route_walk import API, PUBLIC

EXPECTED = {
    "api.openapi": PUBLIC,
    "api.list_templates": API,
    "api.get_template": API,
    "api.get_template_version": API,
    "api.list_cycles": API,
    "api.create_cycle": API,
    "api.get_cycle": API,
    "api.add_case": API,
    "api.list_audits": API,
    "api.create_audit": API,
    "api.get_audit": API,
    "api.patch_audit": API,
    "api.submit_audit": API,
    "api.moderate_audit": API,
    "api.get_findings": API,
    "api.list_calibration_rounds": API,
    "api.get_calibration_results": API,
    "api.list_self_evaluations": API,
    "api.get_self_evaluation": API,
}
