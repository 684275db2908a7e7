"""The bad-input corpus (issue 7): files and form posts that must be refused cleanly."""
