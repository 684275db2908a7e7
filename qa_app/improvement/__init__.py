"""The improvement plan pages: plans, priorities, actions, progress updates, impact, exports."""
