"""Doing an audit: my audits, the task list, one page per section, themes, the overall
judgement, submitting, the read-only record and its history, and the conflict page."""
