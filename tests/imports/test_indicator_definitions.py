"""Indicator definitions from a file, and the starter set, which keeps a council's edits."""

from sqlalchemy import select

from qa_app.cli.commands import qa
from qa_app.data import indicators as indicator_data
from qa_app.extensions import db
from qa_app.imports.indicator_definitions import check_definitions_file
from qa_app.models import Indicator

FILE = (
    "code,name,unit,better,target,area,england_value,england_year,england_source\n"
    "REF04,Re-referrals,percentage,lower,20,referrals,22.4,2024-25,"
    "England (DfE CIN census 2024-25)\n"
    "CON01,Contacts,count,neither,,referrals,,,\n"
)


def test_definitions_from_a_file_are_made_then_changed_and_a_second_load_changes_nothing(
    app, tmp_path
):
    path = tmp_path / "indicators.csv"
    path.write_text(FILE)
    runner = app.test_cli_runner()
    first = runner.invoke(qa, ["setup", "indicators", str(path)])
    assert first.exit_code == 0, first.output
    assert "2 new, 0 changed" in first.output
    ref = indicator_data.by_code()["REF04"]
    assert ref.better == "lower" and ref.target == 20
    assert ref.comparators == [
        {
            "group": "england",
            "value": 22.4,
            "year": "2024-25",
            "source": "England (DfE CIN census 2024-25)",
        }
    ]
    again = runner.invoke(qa, ["setup", "indicators", str(path)])
    assert "0 new, 0 changed, 2 already as in the file" in again.output
    path.write_text(FILE.replace(",20,", ",18,"))
    third = runner.invoke(qa, ["setup", "indicators", str(path)])
    assert "Changed: row 2: Indicator REF04: Re-referrals (target: 20.0 to 18.0)" in third.output
    assert indicator_data.by_code()["REF04"].target == 18


def test_a_definition_the_form_would_refuse_is_refused_by_row_and_column(app):
    plan = check_definitions_file(
        "indicators.csv",
        b"code,name,unit,better,target\n"
        b"A1,One,apples,higher,\n"
        b"A2,Two,percentage,neither,50\n"
        b"A1,Again,count,higher,\n",
    )
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (2, "unit", "Choose the unit"),
        (3, "target", "An indicator with no better direction has no target"),
        (4, "code", "this code is on the file twice (also row 2)"),
    ]
    assert plan.rows == []


def test_the_starter_set_keeps_the_councils_edits_unless_asked(app):
    runner = app.test_cli_runner()
    first = runner.invoke(qa, ["setup", "starter-indicators"])
    assert first.exit_code == 0, first.output
    asm = indicator_data.by_code()["ASM01"]
    assert "Statistical neighbours (DfE CIN census 2024-25)" in [
        c.get("source") for c in asm.comparators
    ]
    edited = {**{f: getattr(asm, f) for f in indicator_data.FIELDS}, "target": 70}
    indicator_data.update_indicator(asm, edited, None)
    # the definition form has no source field: a comparator keeps its published name
    assert all(c.get("source") for c in indicator_data.by_code()["ASM01"].comparators)
    again = runner.invoke(qa, ["setup", "starter-indicators"])
    assert "0 new, 0 changed" in again.output
    assert indicator_data.by_code()["ASM01"].target == 70
    overwrite = runner.invoke(qa, ["setup", "starter-indicators", "--overwrite"])
    assert "Changed: Indicator ASM01" in overwrite.output
    assert indicator_data.by_code()["ASM01"].target == 85
    assert len(db.session.scalars(select(Indicator)).all()) == 26
