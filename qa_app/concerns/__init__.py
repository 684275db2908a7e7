"""Urgent safeguarding concerns: raising one from an audit, the list, responding, signing off."""
