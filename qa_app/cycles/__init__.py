"""Audit cycles: creating them, their case lists, sampling, assigning auditors, export."""
