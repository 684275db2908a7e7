"""The search page (/search?q=...): thin; the matching and the scoping are in
qa_app.data.search."""

from flask import Blueprint, render_template, request

from qa_app.data import search as search_data
from qa_app.data.audit_lists import STATUS_LABELS
from qa_app.data.improvement_queries import is_overdue
from qa_app.data.search import SEARCH, SearchError
from qa_app.models.improvement import action_status
from qa_app.rules.control_characters import BIDI, CONTROL
from qa_app.rules.uk_time import uk_today
from qa_app.web.forms_base import current_actor
from qa_app.web.listing import Listing, list_state
from qa_app.web.security import requires

bp = Blueprint("search", __name__, url_prefix="/search", template_folder="templates")

NOUNS = {"audits": "audit", "concerns": "concern", "actions": "improvement action"}


@bp.route("/")
@requires("do_audits")
def index():
    raw = request.args.get("q", "")
    state = list_state(SEARCH)
    error, results = None, None
    try:
        results = search_data.search(current_actor(), raw, state)
    except SearchError as problem:
        error, raw = str(problem), BIDI.sub("", CONTROL.sub("", raw))[: search_data.MAX_QUERY]
    groups = []
    if results is not None:
        for kind in search_data.KINDS:
            page = getattr(results, kind)
            if page is not None:
                listing = Listing(page, NOUNS[kind], extra=(("q", results.query),))
                groups.append((kind, listing))
    return render_template(
        "search/index.html",
        query=results.query if results else raw.strip(),
        typed=raw.strip(),
        kind=state.filters.get("kind"),
        groups=groups,
        total=results.total if results else 0,
        error=error,
        status_labels=STATUS_LABELS,
        status_of=action_status,
        is_overdue=is_overdue,
        today=uk_today(),
        title="Error: Search" if error else "Search",
    ), 400 if error else 200
