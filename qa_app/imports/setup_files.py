"""What the set-up files share (teams and localities, accounts, indicator definitions,
cycles): reading the first sheet with its columns checked, the plan of what a good file will
create, update or leave as it is (the preview shown before anything is stored, and the
summary printed by `flask qa setup`), and the cell readers (yes/no, lists, dates).

A file with any problem is never stored (all or nothing, as a case list); every problem names
its row and column and never repeats a cell's text (tabular.without_cell_text)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from qa_app.imports.limits import MB, UPLOAD, Limits
from qa_app.imports.tabular import (
    ImportProblem,
    Sheet,
    TooManyRows,
    UnreadableFile,
    header_problems,
    read_file,
)
from qa_app.rules.uk_time import uk_date

MAX_SETUP_ROWS = 5_000  # teams, accounts, indicators or cycles in one file
# A set-up file is a few hundred rows: small enough to carry from the preview to the "store"
# button in the page itself.
SETUP = Limits(**{**UPLOAD.__dict__, "file_bytes": MB // 2})
YES = {"yes", "y", "true", "1", "active"}
NO = {"no", "n", "false", "0", "inactive"}

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
KEPT = "kept"  # differs from the file, and kept as stored (the starter set without overwrite)
STORED = (CREATE, UPDATE)  # the actions the store step carries out
ACTION_WORDS = {
    CREATE: "New",
    UPDATE: "Changed",
    UNCHANGED: "Already as in the file",
    KEPT: "Kept as the council has it",
}


@dataclass
class PlannedRow:
    row: int  # the row of the file
    action: str  # CREATE, UPDATE, UNCHANGED or KEPT
    label: str  # what it is: "Team MASH (Central)", "Account jsmith"
    changes: str = ""  # for UPDATE: what changes, in words
    data: dict = field(default_factory=dict)  # what the store step needs


@dataclass
class SetupPlan:
    filename: str
    what: str  # "teams", "accounts"...
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def summary(self) -> str:
        """ "3 new, 1 changed, 2 already as in the file" (and ", 4 differ from the file and
        are kept as they are" when some are KEPT)."""
        kept = self.count(KEPT)
        one = kept == 1
        differ = (
            f", {kept} differ{'s' * one} from the file and "
            f"{'is kept as it is' if one else 'are kept as they are'}"
        )
        return (
            f"{self.count(CREATE)} new, {self.count(UPDATE)} changed, "
            f"{self.count(UNCHANGED)} already as in the file{differ if kept else ''}"
        )


def first_sheet(
    plan: SetupPlan, data: bytes, required: list[str], optional: list[str]
) -> Sheet | None:
    """The file's first sheet when its columns are right and it has rows; otherwise None with
    the problems added to the plan."""
    try:
        sheets = read_file(
            plan.filename,
            data,
            first_only=True,
            wanted=lambda s: all(c in s.columns for c in required),
            max_rows=MAX_SETUP_ROWS,
            limits=SETUP,
        )
    except TooManyRows:
        message = f"the file has more than {MAX_SETUP_ROWS:,} rows: split it into smaller files"
        plan.problems.append(ImportProblem("", 0, "", message))
        return None
    except UnreadableFile as exc:
        plan.problems.append(ImportProblem("", 0, "", str(exc)))
        return None
    if not sheets:
        plan.problems.append(ImportProblem("", 0, "", "the file has no sheets"))
        return None
    sheet = sheets[0]
    plan.problems.extend(header_problems(sheet, required, optional))
    if sheet.rows_read and not sheet.rows:
        plan.problems.append(ImportProblem(sheet.name, 0, "", f"the file has no {plan.what}"))
    return None if plan.problems else sheet


def yes_no(text: str, default: bool) -> bool | None:
    """yes/no, true/false, 1/0 (any case); blank: `default`; anything else: None."""
    text = text.strip().lower()
    if not text:
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def split_list(text: str) -> list[str]:
    """The items of a cell listing several ("MASH; Assessment" or "MASH, Assessment")."""
    return [part.strip() for part in re.split(r"[;,\n]", text) if part.strip()]


def keep_absent(sheet: Sheet, after: dict, current: dict, columns: dict[str, str]) -> dict:
    """`after` with the stored value kept for each field whose column (`columns`: field ->
    column) the file leaves out: an absent column changes nothing; only a blank cell in a
    column the file has clears a value."""
    return after | {
        name: current[name] for name, column in columns.items() if column not in sheet.columns
    }


def split_names(text: str, known: set[str]) -> list[str]:
    """The names listed in a cell, separated by ; or line breaks, or by commas, where the
    longest run of comma-separated pieces that is a known name (`known`: in lower case) is
    taken whole: with a team called "Assessment, North", "MASH, Assessment, North" names two
    teams."""
    names = []
    for part in re.split(r"[;\n]", text):
        pieces = part.split(",")
        start = 0
        while start < len(pieces):
            end = next(
                (
                    end
                    for end in range(len(pieces), start + 1, -1)
                    if ",".join(pieces[start:end]).strip().lower() in known
                ),
                start + 1,
            )
            if name := ",".join(pieces[start:end]).strip():
                names.append(name)
            start = end
    return names


def changes_text(
    before: dict, after: dict, labels: dict[str, Callable[[str], str]] | None = None
) -> str:
    """ "locality: Central to North; active: yes to no" for the fields that differ, in words:
    dates as "7 December 2026", and each value of a field in `labels` (a key: "qa_lead",
    "practice_week") by its label ("QA lead", "Practice week")."""
    labels = labels or {}

    def word(value, key: str = "") -> str:
        if key in labels and isinstance(value, list):
            return ", ".join(labels[key](str(v)) for v in value) or "none"
        if key in labels and value not in (None, ""):
            return labels[key](str(value))
        if isinstance(value, date):
            return uk_date(value)
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "none"
        return "none" if value in (None, "") else str(value)

    return "; ".join(
        f"{k.replace('_', ' ')}: {word(before.get(k), k)} to {word(v, k)}"
        for k, v in after.items()
        if before.get(k) != v
    )
