"""`flask --app qa_app qa report lscb --from DATE --to DATE --out FILE.pdf|.docx`: the
single-agency report to the safeguarding board, as a file.

Renders the latest published version for the agency and period when there is one (frozen, as
the board read it); otherwise drafts one from the data as it is now, without storing anything,
marked as an unpublished draft. The format follows the file's suffix.

The lead wires it into the `qa report` group: `from qa_app.cli.board_report import lscb`."""

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from qa_app.cli.options import out_option, out_suffix
from qa_app.data import reports
from qa_app.data.organisation import get_settings
from qa_app.models import Report, ReportAudience, ReportKind, ReportStatus
from qa_app.rules.uk_time import uk_today
from qa_app.services import board_reports

FORMATS = (".pdf", ".docx")


def _day(value: str, hint: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date: write it as year-month-day, for example 2026-04-01",
            param_hint=hint,
        ) from None


@click.command("lscb")
@click.option("--agency", default=None, help="The agency (default: the council's name).")
@click.option("--from", "date_from", required=True, help="First day of the period, YYYY-MM-DD.")
@click.option("--to", "date_to", required=True, help="Last day of the period, YYYY-MM-DD.")
@out_option("The file to write: .pdf or .docx.")
@with_appcontext
def lscb(agency: str | None, date_from: str, date_to: str, out: Path):
    """Write the single-agency report to the safeguarding board as PDF or Word."""
    suffix = out_suffix(out, FORMATS)
    start, end = _day(date_from, "--from"), _day(date_to, "--to")
    if end < start:
        raise click.BadParameter("the end of the period must be after its start", param_hint="--to")
    agency = (agency or get_settings().council_name).strip()
    if not agency or len(agency) > board_reports.AGENCY_MAX:
        raise click.BadParameter(
            "give the agency's name, under 120 characters", param_hint="--agency"
        )
    stored = reports.latest_published_in(board_reports.series_key(agency, start, end))
    if stored is not None:
        subject, status = stored, None
        click.echo(f"Rendering published version {stored.number} of {stored.title!r}.")
    else:
        content = board_reports.build_content(agency, start, end, today=uk_today())
        subject = Report(  # never added to the session: nothing is stored
            kind=ReportKind.LSCB,
            title=board_reports.default_title(agency, start, end),
            audience=ReportAudience.PARTNERSHIP,
            status=ReportStatus.DRAFT,
            number=0,
            **content,
        )
        status = "Unpublished draft from the command line: not for circulation"
        click.echo("No published board report for this period: drafting one from the data now.")
    render = board_reports.pdf_bytes if suffix == ".pdf" else board_reports.docx_bytes
    data = render(subject, status=status)
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data):,} bytes).")
