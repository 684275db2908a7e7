"""`flask --app qa_app qa report scrutiny --month YYYY-MM --out FILE.pdf|.docx|.pptx`: the
performance pack for the scrutiny committee, as a file.

Renders the latest published version for the month when there is one (frozen, as the
committee read it); otherwise drafts one from the data as it is now, without storing anything,
marked as an unpublished draft. The format follows the file's suffix."""

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from qa_app.cli.options import out_option, out_suffix
from qa_app.data import reports
from qa_app.models import Report, ReportAudience, ReportKind, ReportStatus
from qa_app.rules.uk_time import uk_today
from qa_app.services import scrutiny_reports

RENDERERS = {
    ".pdf": scrutiny_reports.pdf_bytes,
    ".docx": scrutiny_reports.docx_bytes,
    ".pptx": scrutiny_reports.pptx_bytes,
}


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a month: write it as year-month, for example 2021-09",
            param_hint="--month",
        ) from None


@click.command("scrutiny")
@click.option("--month", "month_text", required=True, help="The month, YYYY-MM.")
@out_option("The file to write: .pdf, .docx or .pptx.")
@with_appcontext
def scrutiny(month_text: str, out: Path):
    """Write the performance pack for the scrutiny committee as PDF, Word or slides."""
    suffix = out_suffix(out, tuple(RENDERERS))
    month = _month(month_text)
    stored = reports.latest_published_in(scrutiny_reports.series_key(month))
    if stored is not None:
        subject, status = stored, None
        click.echo(f"Rendering published version {stored.number} of {stored.title!r}.")
    else:
        content = scrutiny_reports.build_content(month, today=uk_today())
        subject = Report(  # never added to the session: nothing is stored
            kind=ReportKind.SCRUTINY,
            title=scrutiny_reports.default_title(month),
            audience=ReportAudience.PARTNERSHIP,
            status=ReportStatus.DRAFT,
            number=0,
            **content,
        )
        status = "Unpublished draft from the command line: not for circulation"
        click.echo("No published scrutiny pack for this month: drafting one from the data now.")
    data = RENDERERS[suffix](subject, status=status)
    out.write_bytes(data)
    click.echo(f"Wrote {out} ({len(data):,} bytes).")
