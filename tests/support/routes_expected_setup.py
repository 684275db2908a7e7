"""Who may set the council up from files: teams and localities (organisation) and accounts
are the administrator's; indicator definitions, the starter set and cycles are the QA lead's;
the blank case list is the QA lead's, who uploads case lists."""

from tests.support.route_walk import ADMIN, QA_LEAD

EXPECTED = {
    "admin.upload_teams": ADMIN,
    "admin.upload_accounts": ADMIN,
    "indicators.upload_definitions": QA_LEAD,
    "indicators.starter_set": QA_LEAD,
    "cycles.upload_cycles": QA_LEAD,
    "cycles.case_list_template": QA_LEAD,
}
