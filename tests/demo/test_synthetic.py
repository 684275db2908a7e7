"""The synthetic history generator (qa_app/demo/synthetic.py): what it writes is what a real audit
holds, every template rule is kept, and the same seed gives the same history."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from qa_app.data.audit_submission import submit_problems
from qa_app.data.audits import stored_answers, to_value
from qa_app.demo.synthetic import TABLES, SyntheticError, generate
from qa_app.extensions import db
from qa_app.models import (
    OVERALL,
    Answer,
    Audit,
    Case,
    ChangeLogEntry,
    Moderation,
    ModerationGrade,
    SectionGrade,
    ThemeMark,
    User,
)
from qa_app.templates_engine.answers import (
    BLOCK_MARKER,
    limiting_cap,
    placed_questions,
    problem,
    scale_levels,
)

END = date(2025, 6, 30)


@pytest.fixture
def history(loaded_templates):
    return generate(60, seed=3, end=END, months=6, chunk=25)  # three chunks


def _audits(*statuses):
    stmt = select(Audit).order_by(Audit.id)
    if statuses:
        stmt = stmt.where(Audit.status.in_(statuses))
    return list(db.session.scalars(stmt))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_without_templates_it_says_so():
    with pytest.raises(SyntheticError, match="No audit templates"):
        generate(5)


def test_counts_match_the_tables(history):
    for name, model in TABLES:
        assert _count(model) == history[name], name
    assert history["audits"] == 60
    assert history["answers"] > 60 * 20 and history["theme_marks"] > 0
    by_status = dict(
        db.session.execute(select(Audit.status, func.count()).group_by(Audit.status)).all()
    )
    for status in ("submitted", "moderated", "in_progress"):
        assert by_status.get(status, 0) == history[f"audits_{status}"]
    assert by_status["submitted"] > by_status.get("moderated", 0) > 0
    assert history["users_created"] == 44 and history["teams_created"] == 12
    assert history["cycles_created"] == 6


def test_completed_audits_pass_every_submit_check(history):
    """The data layer's own submit checks: required answers, values within each question's
    type and limits, repeat minimums, section grades with reasons, theme marks, and an overall
    grade on the scale that keeps the limiting rule."""
    done = _audits("submitted", "moderated")
    assert len(done) > 40
    for audit in done:
        assert submit_problems(audit) == [], audit.id


def test_grades_come_from_the_scale_and_keep_the_limiting_rule(history):
    limited = 0
    for audit in _audits("submitted", "moderated"):
        content = audit.template_version.content
        template = content["template"]
        levels = scale_levels(content, template["scale"])
        assert audit.overall_grade in levels
        grades = dict(
            db.session.execute(
                select(SectionGrade.section_key, SectionGrade.grade).where(
                    SectionGrade.audit_id == audit.id
                )
            ).all()
        )
        assert set(grades) == {s["key"] for s in template["sections"] if s["graded"]}
        assert set(grades.values()) <= set(levels)
        cap = limiting_cap(content, grades)
        if cap:
            limited += 1
            assert levels.index(audit.overall_grade) >= levels.index(cap[0])
    assert limited > 0


def test_answers_respect_question_types(history):
    for audit in _audits():
        content = audit.template_version.content
        placed = placed_questions(content)
        cycle = audit.cycle
        for (group, _index, key), answer in stored_answers(audit).items():
            if key == BLOCK_MARKER:
                continue
            question = placed[key].question
            assert placed[key].group_key == group
            assert problem(content, question, to_value(answer)) is None, (audit.id, key)
            kind = question["type"]
            if kind == "yes_partly_no":
                assert answer.value_text in {"yes", "partly", "no", "not_applicable"}
            elif kind == "number":
                assert answer.value_number is not None
            elif kind == "date":
                assert cycle.period_start <= answer.value_date <= min(cycle.period_end, END)
            elif kind == "multiple_choice":
                assert answer.value_choices and answer.value_text == ",".join(answer.value_choices)
            elif kind in ("text",):
                assert answer.value_text.startswith("Synthetic")


def test_icpc_audits_have_agency_blocks(history):
    icpc = [
        a
        for a in _audits("submitted", "moderated")
        if a.template_version.template.key == "icpc_reports"
    ]
    assert icpc
    for audit in icpc:
        group = placed_questions(audit.template_version.content)["agency_report"].question
        options = {o["key"] for o in group["options"]}
        inner = {q["key"] for q in group["questions"] if q["required"]}
        rows = db.session.scalars(
            select(Answer).where(Answer.audit_id == audit.id, Answer.group_key == "agency_report")
        ).all()
        markers = {a.block_index: a.block_label for a in rows if a.question_key == BLOCK_MARKER}
        assert 2 <= len(markers) <= 6 and sorted(markers) == list(range(len(markers)))
        assert set(markers.values()) <= options and len(set(markers.values())) == len(markers)
        for index, label in markers.items():
            block = [a for a in rows if a.block_index == index]
            assert {a.block_label for a in block} == {label}
            assert inner <= {a.question_key for a in block}


def test_theme_marks_one_per_theme_on_completed_audits(history):
    for audit in _audits():
        marks = db.session.scalars(select(ThemeMark).where(ThemeMark.audit_id == audit.id)).all()
        if audit.status == "in_progress":
            assert marks == [] and audit.submitted_at is None and audit.overall_grade is None
            continue
        assert sorted(m.theme_key for m in marks) == sorted(
            audit.template_version.content["themes"]
        )
        assert {m.mark for m in marks} <= {"strength", "development", "not_seen"}
    seen = set(db.session.scalars(select(ThemeMark.mark).distinct()))
    assert seen == {"strength", "development", "not_seen"}


def test_moderated_audits_have_a_completed_moderation(history):
    moderated = _audits("moderated")
    assert moderated
    for audit in moderated:
        moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
        assert moderation.status == "completed" and moderation.moderator_id
        assert moderation.completed_at >= audit.submitted_at
        moderator = db.session.get(User, moderation.moderator_id)
        assert "moderator" in moderator.roles and moderator.id != audit.auditor_id
        content = audit.template_version.content
        levels = scale_levels(content, content["template"]["scale"])
        rows = db.session.scalars(
            select(ModerationGrade).where(ModerationGrade.moderation_id == moderation.id)
        ).all()
        graded = {s["key"] for s in content["template"]["sections"] if s["graded"]}
        assert {g.section_key for g in rows} == graded | {OVERALL}
        ours = {
            g.section_key: g.grade
            for g in db.session.scalars(
                select(SectionGrade).where(SectionGrade.audit_id == audit.id)
            )
        } | {OVERALL: audit.overall_grade}
        for g in rows:
            assert g.auditor_grade == ours[g.section_key]
            assert abs(levels.index(g.moderator_grade) - levels.index(g.auditor_grade)) <= 1
            assert bool(g.reason) == (g.moderator_grade != g.auditor_grade)


def test_cases_and_dates(history):
    references = list(db.session.scalars(select(Case.case_reference)))
    assert len(references) == len(set(references)) == 60
    assert all(re.fullmatch(r"[0-9]{6,10}", r) and int(r) >= 90_000_000 for r in references)
    for audit in _audits("submitted", "moderated"):
        cycle = audit.cycle
        assert cycle.name.endswith("(synthetic)")
        assert cycle.period_start <= audit.submitted_at.date() <= min(cycle.period_end, END)
        assert audit.template_version.template in cycle.templates
        assert audit.started_at <= audit.submitted_at
        assert audit.auditor.username.startswith("synthetic.auditor")
        assert audit.case.team_id not in {t.id for t in audit.auditor.teams}


def test_one_change_log_entry_per_call(loaded_templates, make_user):
    lead = make_user()
    before = _count(ChangeLogEntry)
    counts = generate(10, seed=1, end=END, months=2, actor=lead)
    entries = db.session.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.id)).all()
    assert _count(ChangeLogEntry) == before + 1
    entry = entries[-1]
    assert (entry.entity_type, entry.action, entry.user_id) == (
        "synthetic_history",
        "generated",
        lead.id,
    )
    assert entry.changes["audits"] == counts["audits"] == 10
    assert entry.changes["to"] == END.isoformat()


def test_same_seed_same_history_and_no_clashes(loaded_templates):
    def sequence(audits):
        return [
            (a.template_version.template.key, a.status, a.overall_grade, a.submitted_at)
            for a in audits
        ]

    first = generate(30, seed=9, end=END, months=3)
    second = generate(30, seed=9, end=END, months=3)
    assert second["users_created"] == second["cycles_created"] == second["teams_created"] == 0
    audits = _audits()
    assert sequence(audits[:30]) == sequence(audits[30:])
    answers = [
        [
            (a.question_key, a.value_text)
            for a in db.session.scalars(
                select(Answer).where(Answer.audit_id == audit.id).order_by(Answer.id)
            )
        ]
        for audit in (audits[0], audits[30])
    ]
    assert answers[0] == answers[1]
    assert first["answers"] == second["answers"]
    references = list(db.session.scalars(select(Case.case_reference)))
    assert len(set(references)) == 60
    generate(30, seed=10, end=END, months=3)
    assert sequence(_audits()[60:]) != sequence(audits[:30])


def test_reuses_the_demo_teams(loaded_templates):
    from qa_app.data import organisation, users
    from qa_app.demo.seed import LOCALITIES

    for locality_name, team_names in LOCALITIES.items():
        locality = organisation.save_locality(locality_name, actor=None)
        for name in team_names:
            organisation.save_team(name, locality, True, actor=None)
    counts = generate(12, seed=2, end=END, months=1)
    assert counts["teams_created"] == 4 and counts["localities_created"] == 2
    assert len(organisation.list_teams()) == 12
    assert users.authenticate("synthetic.auditor01", "") is None  # nobody can sign in as one


def test_the_benchmark_generator_makes_a_fresh_database_twice_with_replace(tmp_path, capsys):
    """`make bench-data`: a new database gets N audits; --replace starts again (the demo
    accounts it seeds bring no history of their own)."""
    from benchmarks.generate import main

    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    assert main(["30", "--database-url", url]) == 0
    assert main(["30", "--database-url", url]) == 2  # refuses to add to a history
    assert main(["30", "--database-url", url, "--replace"]) == 0
    assert "30 / 30 audits" in capsys.readouterr().err
