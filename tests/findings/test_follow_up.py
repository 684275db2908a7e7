"""The difference made for the child from known answers: movement by the question's order,
exact counts per question, the distributions then and now, and what each tier reads."""

from qa_app.findings.audiences import Audience, rules_for
from qa_app.findings.follow_up import compare, for_audience, movement
from qa_app.templates_engine.impact import AnswerPair, ImpactQuestion

PROGRESS = ImpactQuestion(
    "cin_plan",
    "Child in need plan",
    "progress_against_plan",
    "What progress has been made against the plan's outcomes?",
    (("significant", "Significant"), ("some", "Some"), ("none", "None"), ("worse", "Worse")),
)
MET = ImpactQuestion(
    "cin_plan",
    "Child in need plan",
    "needs_met",
    "Are the child's needs being met?",
    (("yes", "Yes"), ("partly", "Partly"), ("no", "No")),
)


class Settings:
    small_number_threshold = 5
    partnership_threshold = 0
    min_group_size = 0


def pair(reference, question, then, now, team="North"):
    return AnswerPair(reference, team, "cin_plan", question.key, then, now)


# then -> now for 14 children: 6 better, 5 the same, 3 worse (and 2 not compared)
MOVES = [
    ("none", "some"),
    ("none", "significant"),
    ("some", "significant"),
    ("worse", "none"),
    ("worse", "some"),
    ("some", "significant"),
    ("some", "some"),
    ("none", "none"),
    ("some", "some"),
    ("significant", "significant"),
    ("some", "some"),
    ("some", "none"),
    ("significant", "some"),
    ("none", "worse"),
]
PAIRS = [pair(f"10{i:04d}", PROGRESS, then, now) for i, (then, now) in enumerate(MOVES)]
PAIRS += [pair("109998", PROGRESS, None, "some"), pair("109999", PROGRESS, "some", "n/a")]
PAIRS += [pair("100000", MET, "partly", "yes"), pair("100001", MET, "not_applicable", "yes")]


def test_movement_follows_the_order_best_first():
    assert movement(PROGRESS, "none", "some") == "better"
    assert movement(PROGRESS, "some", "some") == "same"
    assert movement(PROGRESS, "significant", "worse") == "worse"
    assert movement(MET, "no", "partly") == "better"
    assert movement(MET, "not_applicable", "yes") is None
    assert movement(PROGRESS, None, "some") is None


def test_exact_counts_per_question_and_the_distributions_then_and_now():
    result = compare([PROGRESS, MET], PAIRS)
    progress, met = result.questions
    assert progress.moved == {"better": 6, "same": 5, "worse": 3}
    assert (progress.compared, progress.not_compared) == (14, 2)
    assert progress.then == {"Significant": 2, "Some": 6, "None": 4, "Worse": 2}
    assert progress.now == {"Significant": 4, "Some": 6, "None": 3, "Worse": 1}
    assert met.moved == {"better": 1, "same": 0, "worse": 0}
    assert (met.compared, met.not_compared) == (1, 1)
    assert result.children_compared == 14  # 100000 is counted once, for both questions
    assert len(result.children) == 18
    first = result.children[0]
    assert (first.case_reference, first.then, first.now, first.movement) == (
        "100000",
        "None",
        "Some",
        "better",
    )


def test_the_internal_tier_reads_every_child():
    result = for_audience(compare([PROGRESS], PAIRS), rules_for(Audience.INTERNAL, Settings()))
    assert result.case_level and len(result.children) == 16


def test_the_partnership_tier_reads_exact_counts_and_no_child():
    result = for_audience(compare([PROGRESS], PAIRS), rules_for(Audience.PARTNERSHIP, Settings()))
    assert not result.case_level and result.children == []
    assert result.questions[0].moved == {"better": 6, "same": 5, "worse": 3}
    assert result.questions[0].then["None"] == 4
    assert "1000" not in repr(result)  # no case reference anywhere in what it reads


def test_the_public_tier_hides_small_counts_and_one_that_could_be_worked_out():
    result = for_audience(compare([PROGRESS, MET], PAIRS), rules_for(Audience.PUBLIC, Settings()))
    progress, met = result.questions
    assert result.threshold == 5 and result.children == []
    # worse 3 is hidden; alone it could be worked out from the 14 compared, so the same (5) too
    assert progress.moved == {"better": 6, "same": None, "worse": None}
    assert progress.compared == 14 and progress.not_compared is None
    assert progress.then == {"Significant": None, "Some": 6, "None": None, "Worse": None}
    assert progress.now == {"Significant": None, "Some": 6, "None": None, "Worse": None}
    # a question compared for fewer than 5 children: every count of it hidden
    assert met.compared is None and set(met.moved.values()) == {None}
    assert "1000" not in repr(result)
