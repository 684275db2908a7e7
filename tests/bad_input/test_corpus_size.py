"""The bad-input corpus is at least 100 hand-written cases (issue 7), every case named once.

Counted: the template files in corpus/templates (tests/bad_input/test_bad_templates.py), the
case-list, audit-import and indicator cases (tests/bad_input/test_bad_files.py; the indicator
files run through both the upload page and the command but count once), and the form cases
with each page's two CSRF cases (tests/bad_input/test_bad_forms.py). The generated cases in
test_generated.py, the hostile uploads of test_hostile_uploads.py and the guessing runs of
test_guessing.py come on top."""

from tests.bad_input import test_bad_files as files
from tests.bad_input import test_bad_forms as forms
from tests.bad_input import test_bad_templates as templates
from tests.bad_input import test_guessing as guessing
from tests.bad_input import test_hostile_uploads as hostile


def test_the_corpus_holds_at_least_100_hand_written_cases():
    count = len(templates.TEMPLATE_PROBLEMS) + files.FILE_CASE_COUNT + forms.FORM_CASE_COUNT
    assert count >= 100


def test_every_case_has_a_name_of_its_own_within_its_list():
    lists = [
        files.CASE_LIST_CASES,
        files.AUDIT_CASES,
        files.INDICATOR_CASES,
        hostile.UPLOAD_CASES,
        hostile.HISTORIC_CASES,
        hostile.TEMPLATE_CASES,
        guessing.GUESSING_CASES,
        *forms.FORM_CASES.values(),
    ]
    for cases in lists:
        names = [case.name for case in cases]
        assert len(names) == len(set(names)), names
