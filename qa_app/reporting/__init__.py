"""Report pages: draft a cycle report from the findings, edit its narrative, publish it, and
download it as PDF, Word or XLSX (routes.py); the report to the safeguarding board
(board_routes.py); the reviews the service learns from (reviews_routes.py). One blueprint."""
