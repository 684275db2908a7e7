"""Forms for the indicator pages: a definition, the month's commentary and the values upload."""

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length

from qa_app.data.indicator_areas import AREAS
from qa_app.data.indicator_scorecard import COMPARATOR_GROUPS, DIRECTIONS, UNITS
from qa_app.data.indicator_values import COMMENTARY_MAX
from qa_app.data.indicators import DEFINITION_MAX, GOOD_MAX, NAME_MAX
from qa_app.web.forms_base import QAForm
from qa_app.web.widgets import (
    CheckboxInput,
    FileInput,
    RadioInput,
    Select,
    SubmitInput,
    TextArea,
    TextInput,
)


def _number_field(label: str, description: str = "") -> StringField:
    return StringField(
        label,
        widget=TextInput(),
        description=description,
        validators=[Length(max=30, message="Enter a number")],
    )


def _year_field(label: str) -> StringField:
    return StringField(
        label,
        widget=TextInput(),
        description="The year the figure is for, like 2024-25",
        validators=[Length(max=10, message="Enter the year like 2024-25")],
    )


class IndicatorForm(QAForm):
    code = StringField(
        "Code",
        widget=TextInput(),
        description="Short and unique, like ASM01: import files name indicators by their code",
        validators=[Length(max=30, message="Keep the code to 30 characters")],
    )
    name = StringField(
        "Name",
        widget=TextInput(),
        validators=[Length(max=NAME_MAX, message=f"Keep the name under {NAME_MAX} characters")],
    )
    unit = RadioField("Unit", widget=RadioInput(), choices=list(UNITS.items()))
    better = RadioField(
        "Which direction is better?",
        widget=RadioInput(),
        choices=list(DIRECTIONS.items()),
        description="Colours the trend arrow and decides the RAG rating",
    )
    target = _number_field("Target (optional)", "In the indicator's unit: 85 for 85%")
    tolerance = _number_field(
        "Tolerance (optional)",
        "How far short of the target still counts as amber, in the same unit",
    )
    statistical_neighbours_value = _number_field("Statistical neighbours (optional)")
    statistical_neighbours_year = _year_field("Statistical neighbours: year")
    region_value = _number_field("Region (optional)")
    region_year = _year_field("Region: year")
    england_value = _number_field("England (optional)")
    england_year = _year_field("England: year")
    definition = TextAreaField(
        "Definition",
        widget=TextArea(),
        description="What the measure is, as the committee reads it",
        validators=[
            Length(
                max=DEFINITION_MAX, message=f"Keep the definition under {DEFINITION_MAX} characters"
            )
        ],
    )
    area = SelectField(
        "Area of the performance report",
        widget=Select(),
        choices=[("", "None"), *AREAS.items()],
        default="",
        validate_choice=False,  # checked with the rest in clean_definition
        description="The scorecard and the scrutiny report group indicators by area",
    )
    adds_up = RadioField(
        "How do the months make a year?",
        widget=RadioInput(),
        choices=[
            ("sum", "They add up: each month counts what happened in it (referrals received)"),
            (
                "position",
                "Each month is a position: children on plans at the month's end, a percentage "
                "or a rate (a period's figure is the average of its months)",
            ),
        ],
        default="position",
        validate_choice=False,
    )
    demand = BooleanField(
        "It measures demand (contacts, referrals, assessments, children in need, on plans or "
        "in care): set beside the audit findings of the same period",
        widget=CheckboxInput(),
    )
    good_looks_like = TextAreaField(
        "What good looks like",
        widget=TextArea(),
        description="A sentence or two for the scorecard's readers",
        validators=[Length(max=GOOD_MAX, message=f"Keep this under {GOOD_MAX} characters")],
    )
    position = _number_field("Position on the scorecard (optional)", "Lower numbers come first")
    active = BooleanField("Show on the scorecard", widget=CheckboxInput(), default=True)
    submit = SubmitField("Save the indicator", widget=SubmitInput())

    comparator_groups = list(COMPARATOR_GROUPS)

    def comparator_fields(self, group: str):
        return getattr(self, f"{group}_value"), getattr(self, f"{group}_year")

    def data_for_save(self) -> dict:
        return {
            "code": self.code.data,
            "name": self.name.data,
            "unit": self.unit.data,
            "better": self.better.data,
            "target": self.target.data,
            "tolerance": self.tolerance.data,
            "comparators": [
                {"group": g, "value": v.data, "year": y.data}
                for g in self.comparator_groups
                for v, y in [self.comparator_fields(g)]
            ],
            "good_looks_like": self.good_looks_like.data,
            "definition": self.definition.data,
            "area": self.area.data,
            "adds_up": self.adds_up.data,
            "demand": self.demand.data,
            "position": self.position.data,
            "active": self.active.data,
        }

    def fill_from(self, indicator) -> None:
        self.code.data = indicator.code
        self.name.data = indicator.name
        self.unit.data = indicator.unit
        self.better.data = indicator.better
        self.target.data = _plain(indicator.target)
        self.tolerance.data = _plain(indicator.tolerance)
        for entry in indicator.comparators or []:
            if entry.get("group") in COMPARATOR_GROUPS:
                value, year = self.comparator_fields(entry["group"])
                value.data, year.data = _plain(entry.get("value")), entry.get("year", "")
        self.good_looks_like.data = indicator.good_looks_like
        self.definition.data = indicator.definition
        self.area.data = indicator.area or ""
        self.adds_up.data = "sum" if indicator.adds_up else "position"
        self.demand.data = indicator.demand
        self.position.data = str(indicator.position)
        self.active.data = indicator.active

    @staticmethod
    def field_name(name: str) -> str:
        """The field a data-layer problem names (comparator_england_value -> england_value)."""
        return name.removeprefix("comparator_")


def _plain(number) -> str:
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


class CommentaryForm(QAForm):
    lock_version = HiddenField()
    text = TextAreaField(
        "Commentary",
        widget=TextArea(),
        description="What the figure shows, why, and what is being done about it. Aggregate "
        "figures only: no case references or names.",
        validators=[
            Length(max=COMMENTARY_MAX, message=f"Keep it under {COMMENTARY_MAX} characters")
        ],
    )
    submit = SubmitField("Save the commentary", widget=SubmitInput())


class UploadForm(QAForm):
    file = FileField(
        "Values file",
        widget=FileInput(),
        description="A CSV or XLSX file: one row per value (code, month, value) or one row per "
        "indicator with a column per month.",
    )
    submit = SubmitField("Upload values", widget=SubmitInput())
