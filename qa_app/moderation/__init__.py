"""Moderation pages: the queue, starting (optionally blind) and recording a moderation."""
