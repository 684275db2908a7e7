"""Administration: accounts, roles, teams, localities and organisation settings."""
