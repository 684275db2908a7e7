"""Hostile CSV files and audit templates built at run time (issue 14, item 3): one enormous
row or line, a million blank lines; YAML that expands through aliases, nests deep or is
simply huge. Workbooks are in hostile_files.py."""


def csv_wide_row(columns: int) -> bytes:
    """A good header, then one row of `columns` one-character cells."""
    return b"case_reference,team\n1000001,MASH\n" + b"a," * columns + b"a\n"


def csv_long_line(characters: int) -> bytes:
    """A header and one line of `characters` characters, no separator in it."""
    return b"case_reference,team\n" + b"x" * characters + b"\n"


def csv_many_blank_lines(count: int) -> bytes:
    """A header, then `count` blank lines, then one case."""
    return b"case_reference,team\n" + b"\n" * count + b"1000001,MASH\n"


def csv_dense(rows: int, notes: int = 0) -> bytes:
    """A case list's six columns and `notes` more, and `rows` rows of them."""
    header = "case_reference,team,worker,legal_status,age_band,date_opened"
    header += "".join(f",note{n}" for n in range(notes))
    row = "1000001,MASH,SW,CIN,0-4,2025-01-01" + ",x" * notes
    return (header + "\n" + (row + "\n") * rows).encode()


# ---- YAML templates ----------------------------------------------------------------------


def yaml_laughs(levels: int = 9) -> str:
    """Anchors each aliasing the one before ten times: 10**levels values when expanded."""
    lines = ['a0: &a0 ["lol"]']
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [{', '.join(['*a' + str(n - 1)] * 10)}]")
    return "\n".join(lines) + "\n"


def yaml_deep(depth: int) -> str:
    """A flow sequence nested `depth` deep."""
    return "key: " + "[" * depth + "]" * depth + "\n"


def yaml_huge(values: int) -> str:
    """A mapping of `values` keys."""
    return "".join(f"k{n}: v\n" for n in range(values))
