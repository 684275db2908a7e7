"""`flask --app qa_app qa report …`: render a report to a file from the command line.

`qa report cycle --cycle NAME --out FILE.pdf|.xlsx` renders the cycle's latest published report
for the audience when there is one (frozen, as readers saw it); otherwise it drafts one from the
data as it is now, without storing anything, marked as an unpublished draft.

`qa report lscb --from DATE --to DATE --out FILE.pdf|.docx` renders the single-agency report to
the safeguarding board (qa_app/cli/board_report.py).

`qa report scrutiny --month YYYY-MM --out FILE.pdf|.docx|.pptx` renders the performance pack
for the scrutiny committee (qa_app/cli/scrutiny_report.py).

`qa report practice-week --week NAME --out FILE.pdf|.docx [--audience internal|partnership|
public]` renders a practice week's report for that audience's tier: its published findings
with the figures frozen at publishing, or a draft from the data as it is."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from qa_app.cli.board_report import lscb
from qa_app.cli.options import out_option, out_suffix
from qa_app.cli.scrutiny_report import scrutiny
from qa_app.data import practice_weeks as weeks
from qa_app.data import reports
from qa_app.data.cycles import get_cycle_by_name
from qa_app.data.organisation import get_settings
from qa_app.documents.practice_week_docx import practice_week_docx
from qa_app.documents.practice_week_pdf import practice_week_pdf
from qa_app.findings import Filters
from qa_app.models import Report, ReportAudience, ReportStatus
from qa_app.services import practice_week_report as week_report
from qa_app.services import report_drafting
from qa_app.services.report_documents import docx_bytes, pdf_bytes, xlsx_bytes

FORMATS = (".pdf", ".docx", ".xlsx")


@click.group("report")
def report():
    """Render reports to files."""


@report.command("cycle")
@click.option("--cycle", "cycle_name", required=True, help="The audit cycle's name.")
@out_option("The file to write: .pdf, .docx or .xlsx.")
@click.option(
    "--audience",
    type=click.Choice([a.value for a in ReportAudience]),
    default=ReportAudience.INTERNAL.value,
    show_default=True,
    help="internal: every figure and case-level actions (OFFICIAL-SENSITIVE); "
    "partnership: aggregates with exact counts, no case references (OFFICIAL); "
    "public: aggregates with small numbers hidden (OFFICIAL).",
)
@with_appcontext
def report_cycle(cycle_name: str, out: Path, audience: str):
    """Write an audit cycle's report as PDF, Word or XLSX."""
    suffix = out_suffix(out, FORMATS)
    cycle = get_cycle_by_name(cycle_name)
    if cycle is None:
        raise click.BadParameter(
            f"there is no audit cycle called {cycle_name!r}", param_hint="--cycle"
        )
    stored = reports.latest_published(cycle, audience)
    if stored is not None:
        subject, status = stored, None
        click.echo(f"Rendering published version {stored.number} of {stored.title!r}.")
    else:
        filters = report_drafting.report_filters(cycle, Filters())
        content = report_drafting.build_content(filters, audience, cycle=cycle)
        subject = Report(  # never added to the session: nothing is stored
            title=report_drafting.default_title(cycle, filters),
            audience=audience,
            status=ReportStatus.DRAFT,
            number=0,
            **content,
        )
        status = "Unpublished draft from the command line: not for circulation"
        click.echo("No published report for this cycle: drafting one from the data as it is now.")
    if suffix == ".xlsx":
        data = xlsx_bytes(subject)
    else:
        data = (pdf_bytes if suffix == ".pdf" else docx_bytes)(subject, status=status)
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data):,} bytes).")


@report.command("practice-week")
@click.option("--week", "week_name", required=True, help="The practice week's name.")
@out_option("The file to write: .pdf or .docx (Word).")
@click.option(
    "--audience",
    type=click.Choice([a.value for a in ReportAudience]),
    default="internal",
    show_default=True,
    help="internal: every count and the owners' names; partnership: exact counts, owners by "
    "role; public: small numbers hidden, owners by role.",
)
@with_appcontext
def report_practice_week(week_name: str, out: Path, audience: str):
    """Write a practice week's report as PDF or Word for an audience: the published findings
    with their frozen figures, or, before publishing, a draft from the data as it is now
    (marked as such)."""
    suffix = out_suffix(out, (".pdf", ".docx"))
    week = weeks.get_week_by_name(week_name)
    if week is None:
        raise click.BadParameter(
            f"there is no practice week called {week_name!r}", param_hint="--week"
        )
    view = week_report.report_view(week, audience=audience)
    if view.published:
        click.echo(f"Rendering the published findings of {week.name!r}.")
    else:
        click.echo(
            "The findings are not published: drafting the report from the data as it is now."
        )
    settings = get_settings()
    render = practice_week_pdf if suffix == ".pdf" else practice_week_docx
    data = render(
        view, organisation=f"{settings.council_name}: children's services quality assurance"
    )
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data):,} bytes).")


report.add_command(lscb)
report.add_command(scrutiny)
