"""Tests of the PDF reports."""
