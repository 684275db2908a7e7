"""What a QA lead needs to write a case list: the team names it must use (listed on the
upload page, with their localities) and a blank case-list workbook whose second sheet lists
them."""

from qa_app.cycles.routes import bp
from qa_app.data.organisation import list_teams
from qa_app.documents.spreadsheet import tables_xlsx
from qa_app.imports.case_lists import OPTIONAL, REQUIRED
from qa_app.web.downloads import download
from qa_app.web.security import requires

TEMPLATE_NAME = "case-list-template.xlsx"


def active_team_rows() -> list[tuple[str, str]]:
    """(team, locality) for every active team, by name: the names a case list may use."""
    return [(t.name, t.locality.name if t.locality else "") for t in list_teams(active_only=True)]


@bp.context_processor
def _case_list_teams():
    # A function, so that only the pages that list the teams read them.
    return {"case_list_teams": active_team_rows}


@bp.route("/case-list-template.xlsx")
@requires("manage_cycles")
def case_list_template():
    """A blank case list: the columns on its first sheet (the one read), the teams on the
    second."""
    teams = [["team", "locality"], *[[name, locality] for name, locality in active_team_rows()]]
    return download(
        tables_xlsx({"Case list": [REQUIRED + OPTIONAL], "Teams": teams}), TEMPLATE_NAME
    )
