"""Use cases that compose the layers below (data, findings, documents, the template engine),
with no Flask: drafting and publishing reports (report_drafting, board_reports with
board_figures, report_documents, publication_check), a practice week's figures, tiers, findings
and report (practice_week_*), the improvement plan's exports, and notifications."""
