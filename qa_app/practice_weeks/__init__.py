"""Practice weeks: planning the week and its schedule (routes.py), recording activities
(record_routes.py), and the week's findings, quick wins (findings_routes.py) and report
(report_routes.py)."""
