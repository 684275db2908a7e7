"""Browsing audit templates, their versions, and a preview of the form an auditor fills in."""
