"""Notifications in the app: each person's list (with the unread count in the header), their
choices of what they hear about and how, and the delivery state the QA lead and the
administrator watch."""
