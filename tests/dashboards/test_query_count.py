"""The overview computes its figures once, with grouped queries: the number of SQL statements
for a page does not grow with the number of audits."""

from datetime import timedelta

import pytest

from qa_app.models import Role
from tests.cycles.cycle_factory import count_queries
from tests.dashboards import RECENT, completed_audit, make_teams

MAX_QUERIES = 60
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
MARKS = ["strength", "development", "not_seen"]


def add_audits(teams, auditor, start: int, n: int) -> None:
    for i in range(start, start + n):
        completed_audit(
            "single_assessment" if i % 3 else "icpc_reports",
            f"6{i:07d}",
            teams["A" if i % 2 else "B"],
            auditor,
            ago=RECENT + timedelta(days=20 * (i % 10)),
            overall=GRADES[i % 4] if i % 3 else "good",
            section=("timeliness", GRADES[(i + 1) % 4]) if i % 3 else None,
            themes={"voice_of_child": MARKS[i % 3], "timeliness": MARKS[(i + 1) % 3]},
            answers=[{"question_key": "child_seen_alone", "value_text": "yes"}]
            if i % 3
            else [
                {
                    "group_key": "agency_report",
                    "block_index": 0,
                    "block_label": "police",
                    "question_key": "report_provided",
                    "value_text": "yes",
                }
            ],
        )


@pytest.mark.parametrize("role", [Role.QA_LEAD, Role.BOARD_VIEWER])
@pytest.mark.parametrize(
    "path",
    ["/findings/", "/findings/themes", "/findings/teams", "/findings/templates/icpc_reports"],
)
def test_queries_do_not_grow_with_the_audits(client_as, make_user, loaded_templates, role, path):
    teams = make_teams()
    auditor = make_user(Role.AUDITOR)
    client = client_as(role)
    add_audits(teams, auditor, 0, 3)
    client.get(path)  # warm up (the first request loads what is cached per process)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    add_audits(teams, auditor, 3, 15)
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few), (len(few), len(many))
    assert len(many) <= MAX_QUERIES, len(many)
