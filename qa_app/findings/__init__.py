"""Findings: the aggregation engine every dashboard, report, CLI command and API answer reads.

Set-based SQL does the counting (`queries`), pandas shapes the small grouped results into one
JSON-ready dictionary of figures (`compute`), and `suppression` makes a board-tier copy with
small numbers hidden. Nothing here imports Flask's request objects.

    from qa_app.findings import Filters, compute_findings
    figures = compute_findings(Filters(template="icpc_reports"))
"""

from qa_app.findings.compute import compute_findings
from qa_app.findings.filters import Filters

__all__ = ["Filters", "compute_findings"]
