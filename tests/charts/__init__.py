"""Tests of the server-side charts (qa_app.charts): SVG for pages, reportlab for PDFs."""
