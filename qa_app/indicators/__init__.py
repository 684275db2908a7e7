"""Performance indicator pages: definitions, the monthly scorecard, commentary, imports."""
