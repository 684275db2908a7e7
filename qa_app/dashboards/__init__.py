"""Findings dashboards: the aggregate pages QA leads, moderators, senior managers and board
viewers read (`routes`, with what every page shares in `view` and the drill-down's
helpers in `drilldown`), the filter form (`forms`) and the figures drawn as charts (`charts`,
free of Flask so report builders can reuse it)."""
