"""Findings dashboards: the aggregate pages QA leads, moderators, senior managers and board
viewers read (`routes`), the filter form (`forms`) and the figures drawn as charts (`charts`,
free of Flask so report builders can reuse it)."""
