"""Audit templates as data: YAML loading, validation, storing versions and building forms."""
