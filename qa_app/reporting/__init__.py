"""Report pages: draft a cycle report from the findings, edit its narrative, publish it, and
download it as PDF or XLSX."""
