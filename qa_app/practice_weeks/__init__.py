"""Practice weeks: planning the week and its schedule, recording activities (routes.py), and
the week's findings, quick wins and report (findings_routes.py)."""
