"""The data layer: every query and write, by entity. Routes, the CLI and jobs call these;
nothing here imports Flask's request objects."""
