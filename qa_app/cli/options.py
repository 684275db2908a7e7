"""What the `qa report` commands share: the `--out FILE` option and the check that its suffix
names a format the command writes."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def out_option(help: str) -> Callable[[Any], Any]:
    """The required `--out FILE` option, a writable file path."""
    return click.option(
        "--out",
        "out",
        required=True,
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        help=help,
    )


def out_suffix(out: Path, formats: tuple[str, ...]) -> str:
    """`out`'s suffix in lower case, refused unless it is one of `formats`."""
    suffix = out.suffix.lower()
    if suffix not in formats:
        words = ", ".join(formats[:-1]) + " or " + formats[-1]
        raise click.BadParameter(f"the file name must end in {words}", param_hint="--out")
    return suffix
