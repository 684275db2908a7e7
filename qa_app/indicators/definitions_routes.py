"""Indicator definitions set up in bulk (manage_indicators): from a file, previewed then
stored (qa_app.web.setup_upload), and the starter set of DfE measures, which never overwrites
an indicator the council has unless asked."""

from flask import flash, redirect, render_template, url_for
from wtforms import BooleanField, SubmitField

from qa_app.data.indicators import store_definitions
from qa_app.imports.indicator_definitions import OPTIONAL, check_definitions_file
from qa_app.imports.setup_files import STORED, SetupPlan
from qa_app.indicators.routes import bp
from qa_app.indicators.starter import starter_plan
from qa_app.web.forms_base import QAForm, current_actor
from qa_app.web.security import requires
from qa_app.web.setup_upload import setup_page
from qa_app.web.widgets import CheckboxInput, SubmitInput


class StarterForm(QAForm):
    overwrite = BooleanField(
        "Also put indicators the council has changed back to the starter definition",
        widget=CheckboxInput(),
    )
    preview = SubmitField("Check what it would change", widget=SubmitInput())
    store = SubmitField("Load the starter set", widget=SubmitInput())


def _store(plan: SetupPlan, origin: dict) -> None:
    rows = [r.data for r in plan.rows if r.action in STORED]
    store_definitions(rows, actor=current_actor(), origin=origin)


@bp.route("/definitions/upload", methods=["GET", "POST"])
@requires("manage_indicators")
def upload_definitions():
    page = setup_page(check_definitions_file, lambda plan: _store(plan, {"file": plan.filename}))
    if page.stored and page.plan:
        flash(f"Indicators from {page.plan.filename}: {page.plan.summary()}", "success")
        return redirect(url_for("indicators.definitions"))
    prefix = "Error: " if page.errors else ""
    return render_template(
        "indicators/definitions_upload.html",
        **page.context(),
        optional=OPTIONAL,
        title=f"{prefix}Set up indicator definitions from a file",
    )


@bp.route("/definitions/starter-set", methods=["GET", "POST"])
@requires("manage_indicators")
def starter_set():
    """A first button previews what loading would do (with the box ticked: every indicator
    it overwrites, and how); the second, shown with the preview, stores it."""
    form = StarterForm()
    previewed = False
    if form.validate_on_submit():
        plan = starter_plan(bool(form.overwrite.data))
        if form.store.data:
            _store(plan, {"file": "starter set"})
            flash(f"The starter set: {plan.summary()}", "success")
            return redirect(url_for("indicators.definitions"))
        previewed = True
    else:
        plan = starter_plan(False)
    return render_template(
        "indicators/starter_set.html",
        form=form,
        plan=plan,
        previewed=previewed,
        title="Load the starter set of indicators",
    )
