"""Pages for recording the reviews the service learns from (serious case reviews, child
safeguarding practice reviews): the list, a review with its recommendations, and the
improvement actions answering each. QA leads only; registered on the reporting blueprint
under /reports/reviews/. The board report drafts "learning from reviews" from these."""

from flask import abort, flash, redirect, render_template, request, url_for

from qa_app.data import reviews
from qa_app.data.reports import ReportError
from qa_app.reporting.forms import RecommendationForm, RemoveForm, ReviewForm
from qa_app.reporting.routes import bp
from qa_app.web.forms_base import attach_problems, current_actor
from qa_app.web.security import requires


def _action_choices(form: RecommendationForm) -> None:
    form.actions.choices = [
        (a.id, f"{a.plan.title}, action {a.number}: {a.description}")
        for a in reviews.action_choices()
    ]


def _save_review(form: ReviewForm, found):
    """The review saved from the form (a new one when `found` is None); None when it was
    refused, with the problems on the form."""
    try:
        return reviews.save_review(
            found,
            name=form.name.data,
            reference=form.reference.data,
            published_on=form.published_on.data,
            actor=current_actor(),
        )
    except ReportError as error:
        attach_problems(form, error.problems, str(error))
        return None


@bp.route("/reviews/")
@requires("manage_reports")
def reviews_index():
    return render_template(
        "reporting/reviews_index.html",
        reviews=reviews.list_reviews(),
        title="Reviews the service learns from",
    )


@bp.route("/reviews/new", methods=["GET", "POST"])
@requires("manage_reports")
def review_new():
    form = ReviewForm()
    if form.validate_on_submit() and (review := _save_review(form, None)):
        flash("Review recorded. Add its recommendations.", "success")
        return redirect(url_for("reporting.review", review_id=review.id))
    return render_template(
        "reporting/review_form.html", form=form, review=None, title="Record a review"
    )


@bp.route("/reviews/<int:review_id>", methods=["GET", "POST"])
@requires("manage_reports")
def review(review_id: int):
    """The review's details (editable) and recommendations, with a form to add one."""
    found = reviews.get_review(review_id) or abort(404)
    form = ReviewForm(obj=found if request.method == "GET" else None)
    if form.validate_on_submit() and _save_review(form, found):
        flash("Review saved.", "success")
        return redirect(url_for("reporting.review", review_id=found.id))
    add = RecommendationForm(formdata=None)
    _action_choices(add)
    return render_template(
        "reporting/review_show.html",
        review=found,
        form=form,
        add=add,
        title=found.name,
    )


@bp.route("/reviews/<int:review_id>/recommendations", methods=["POST"])
@requires("manage_reports")
def recommendation_new(review_id: int):
    found = reviews.get_review(review_id) or abort(404)
    add = RecommendationForm()
    _action_choices(add)
    if add.validate_on_submit():
        try:
            reviews.save_recommendation(
                found,
                None,
                text=add.text.data,
                action_ids=add.actions.data or [],
                actor=current_actor(),
            )
        except ReportError as error:
            attach_problems(add, error.problems, str(error))
        else:
            flash("Recommendation added.", "success")
            return redirect(url_for("reporting.review", review_id=found.id))
    form = ReviewForm(obj=found)
    return render_template(
        "reporting/review_show.html", review=found, form=form, add=add, title=found.name
    ), 400


@bp.route(
    "/reviews/<int:review_id>/recommendations/<int:recommendation_id>", methods=["GET", "POST"]
)
@requires("manage_reports")
def recommendation(review_id: int, recommendation_id: int):
    found = reviews.get_review(review_id) or abort(404)
    rec = reviews.get_recommendation(found, recommendation_id) or abort(404)
    form = RecommendationForm(obj=None if request.method == "POST" else rec)
    _action_choices(form)
    if request.method == "GET":
        form.actions.data = [a.id for a in rec.actions]
    status = 200
    if form.validate_on_submit():
        try:
            reviews.save_recommendation(
                found,
                rec,
                text=form.text.data,
                action_ids=form.actions.data or [],
                actor=current_actor(),
            )
        except ReportError as error:
            attach_problems(form, error.problems, str(error))
            status = 400
        else:
            flash("Recommendation saved.", "success")
            return redirect(url_for("reporting.review", review_id=found.id))
    return render_template(
        "reporting/recommendation_edit.html",
        review=found,
        recommendation=rec,
        form=form,
        remove=RemoveForm(),
        title=f"Recommendation {rec.number}: {found.name}",
    ), status


@bp.route(
    "/reviews/<int:review_id>/recommendations/<int:recommendation_id>/remove", methods=["POST"]
)
@requires("manage_reports")
def recommendation_remove(review_id: int, recommendation_id: int):
    found = reviews.get_review(review_id) or abort(404)
    rec = reviews.get_recommendation(found, recommendation_id) or abort(404)
    if not RemoveForm().validate_on_submit():
        abort(400)
    reviews.remove_recommendation(found, rec, current_actor())
    flash("Recommendation removed.", "success")
    return redirect(url_for("reporting.review", review_id=found.id))
