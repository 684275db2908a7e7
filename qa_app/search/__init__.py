"""Search: one box finding audits, concerns and improvement actions by case reference,
practitioner, auditor or team, showing only what the reader may see."""
