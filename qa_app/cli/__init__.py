"""The `flask qa …` commands: the `qa` group and its subcommands, one module per subject."""
