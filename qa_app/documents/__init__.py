"""Renderers that write files: pure, Flask-free."""
