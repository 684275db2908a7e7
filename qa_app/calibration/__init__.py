"""Calibration rounds: the QA lead opens a round on one case or several, the auditors in it
grade the same records blind, and the round shows how far they agreed."""
