"""The notification forms: a person's choices (one set of radios per kind they may choose
about; urgent concerns are shown fixed, never as a choice), and the buttons of the list and
the delivery page."""

from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from qa_app.models.notifications import KINDS, MODE_LABELS, Mode
from qa_app.web.forms_base import QAForm
from qa_app.web.widgets import RadioInput, SubmitInput

CHOOSABLE = [k for k, spec in KINDS.items() if spec.choosable and not spec.urgent]
FIXED = [k for k, spec in KINDS.items() if spec.urgent]


class ChoicesForm(QAForm):
    submit = SubmitField("Save your choices", widget=SubmitInput())

    def kind_fields(self):
        return [self[kind] for kind in CHOOSABLE]


for _kind in CHOOSABLE:
    setattr(
        ChoicesForm,
        _kind,
        RadioField(
            KINDS[_kind].label,
            widget=RadioInput(),
            choices=[(m.value, MODE_LABELS[m]) for m in Mode],
            validate_choice=True,
            validators=[InputRequired("Choose how you hear about this")],
        ),
    )


class ButtonForm(QAForm):
    """A form that is only a button (mark read, open, send again): its CSRF token is the point."""

    submit = SubmitField("Continue", widget=SubmitInput())
