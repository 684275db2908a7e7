"""Checking the repeat sheets of a historic-audit file: one row per repeat-group block."""

from collections import defaultdict
from functools import partial

from qa_app.imports.audit_rows import (
    LINK_COLUMNS,
    AuditRow,
    Block,
    Context,
    check_answer,
    choice_lookup,
    did_you_mean,
    norm,
)
from qa_app.imports.tabular import Sheet, header_problems, normalise_header


def repeat_group_of(ctx: Context, sheet: Sheet) -> str | None:
    """'' for a sheet named 'repeat', the group key for a sheet named after a repeat group,
    None for any other sheet."""
    name = normalise_header(sheet.name)
    return "" if name == "repeat" else (name if name in ctx.repeats else None)


def check_repeat_sheet(ctx: Context, sheet: Sheet, group: str, audits: dict[int, AuditRow]):
    """Add the blocks on one repeat sheet to their audits."""
    groups = {group: ctx.repeats[group]} if group else ctx.repeats
    inner = {normalise_header(i["key"]): (g, i) for g, q in groups.items() for i in q["questions"]}
    known = list(LINK_COLUMNS) + [i["key"] for _, i in inner.values()]
    ctx.problems += header_problems(sheet, ["block"], [], allow_other=True)
    for name in sheet.columns:
        if name and name not in LINK_COLUMNS and name not in inner:
            ctx.add(sheet.name, 1, name, f"unknown column{did_you_mean(name, known)}")
    if "row" not in sheet.columns and "case_reference" not in sheet.columns:
        ctx.add(sheet.name, 1, "row", "give each block's audit in a row or case_reference column")
        return
    by_reference = defaultdict(list)
    for listed in audits.values():
        by_reference[listed.case_reference].append(listed)
    used_groups = set()
    names = list(dict.fromkeys(sheet.columns))  # a blank cell is absent from a row's cells
    for number, cells in sheet.rows:
        add = partial(ctx.add, sheet.name, number)
        audit = _linked_audit(add, cells, audits, by_reference)
        group_key = _block_group(add, cells, groups)
        if group_key is None:
            continue
        used_groups.add(group_key)
        repeat = ctx.repeats[group_key]
        text = cells.get("block", "")
        label = choice_lookup(ctx.content, repeat).get(norm(text)) if text else None
        if label is None:
            what = repeat["repeat_label"]
            found = f"{text!r} is not an option for {what}" if text else f"enter {what}"
            add("block", f"{found} (use {', '.join(o['label'] for o in repeat['options'])})")
        block = Block(group_key, label or "")
        for name in names:
            text = cells.get(name, "")
            owner, question = inner.get(name, (None, None))
            if owner is None or (owner != group_key and not text):
                continue
            assert question is not None  # found with its owner
            if owner != group_key:
                add(question["key"], f"this question is not in the repeat group {group_key!r}")
                continue
            value = check_answer(ctx, sheet.name, number, question["key"], question, text)
            if not value.empty:
                block.answers[question["key"]] = value
        if audit is not None:
            audit.blocks[group_key].append(block)
    for group_key in sorted(used_groups):
        for question in ctx.repeats[group_key]["questions"]:
            if question["required"] and normalise_header(question["key"]) not in sheet.columns:
                ctx.add_missing(sheet.name, 1, question["key"], "required column is missing")


def _linked_audit(add, cells, audits, by_reference) -> AuditRow | None:
    row_text = cells.get("row", "").strip()
    reference = cells.get("case_reference", "").strip()
    if row_text:
        audit = audits.get(_row_number(row_text))
        if audit is None:
            add("row", f"{row_text!r} is not the row of an audit on the first sheet")
        elif reference and reference != audit.case_reference:
            add("case_reference", f"row {audit.row} is an audit of {audit.case_reference}")
        return audit
    found = by_reference.get(reference, []) if reference else []
    if not reference:
        add("row", "give the audit's row on the first sheet or its case reference")
    elif not found:
        add("case_reference", f"no audit of case {reference} on the first sheet")
    elif len(found) > 1:
        add("case_reference", f"case {reference} has {len(found)} audits: use the row column")
    return found[0] if len(found) == 1 else None


def _row_number(text: str) -> int | None:
    """A row number written as plain digits (not '²', not thousands of digits), or None."""
    if not text.isdecimal():
        return None
    try:
        return int(text)
    except ValueError:  # more digits than int() will read
        return None


def _block_group(add, cells, groups) -> str | None:
    text = normalise_header(cells.get("group", ""))
    if not text and len(groups) == 1:
        return next(iter(groups))
    if text not in groups:
        found = f"{cells['group']!r} is not a repeat group here" if text else "enter the group"
        add("group", f"{found} (use {', '.join(groups)})")
        return None
    return text


def check_block_counts(ctx: Context, sheet: str, audit: AuditRow, csv: bool) -> None:
    for key, repeat in ctx.repeats.items():
        count, low, high = len(audit.blocks.get(key, [])), repeat["min"], repeat["max"]
        label = repeat["repeat_label"].lower()
        if high is not None and count > high:
            ctx.add(sheet, audit.row, "", f"at most {high} {label} blocks in {key!r}, not {count}")
        if count < low:
            where = (
                "a CSV file cannot hold repeat groups: use an XLSX workbook with a 'repeat' sheet"
                if csv
                else "add them on the 'repeat' sheet"
            )
            message = f"at least {low} {label} block{'s' * (low != 1)} needed in {key!r}: {where}"
            ctx.add_missing(sheet, audit.row, "", message)
