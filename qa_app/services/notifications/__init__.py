"""Sending notifications: their wording (messages), the ways an email leaves (channels) and
the scheduled round that finds what is due and delivers the outbox (rounds)."""
