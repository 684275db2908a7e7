"""The steps create_app runs: extensions and database wiring, templating, request hooks,
blueprints, error pages and CLI commands."""

import logging

from flask import Flask, abort, g, has_request_context, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FunctionLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import qa_app.models  # noqa: F401  (registers every model with the metadata)
from qa_app import api as api
from qa_app.admin import routes as admin_routes
from qa_app.admin import setup_routes as admin_setup_routes
from qa_app.audits import extras as audits_extras
from qa_app.audits import routes as audits_routes
from qa_app.auth import routes as auth_routes
from qa_app.auth import sso_client
from qa_app.auth import sso_routes as auth_sso_routes
from qa_app.calibration import grading_routes as calibration_grading_routes
from qa_app.calibration import routes as calibration_routes
from qa_app.cli import backup as cli_backup
from qa_app.cli import indicators as cli_indicators
from qa_app.cli import notify as cli_notify
from qa_app.cli import setup as cli_setup
from qa_app.cli import sso as cli_sso
from qa_app.cli import text as cli_text
from qa_app.cli.commands import qa
from qa_app.cli.reports import report
from qa_app.concerns import routes as concerns_routes
from qa_app.config import PROJECT_ROOT
from qa_app.cycles import assign_routes as cycles_assign_routes
from qa_app.cycles import case_list_routes as cycles_case_list_routes
from qa_app.cycles import follow_up_routes as cycles_follow_up_routes
from qa_app.cycles import reassign_routes as cycles_reassign_routes
from qa_app.cycles import routes as cycles_routes
from qa_app.cycles import sampling_routes as cycles_sampling_routes
from qa_app.cycles import setup_routes as cycles_setup_routes
from qa_app.dashboards import routes as dashboards_routes
from qa_app.data.organisation import get_settings
from qa_app.data.sessions import load_session_user
from qa_app.extensions import csrf, db, login_manager, migrate
from qa_app.findings.audiences import audience_label
from qa_app.improvement import action_routes as improvement_action_routes
from qa_app.improvement import export_routes as improvement_export_routes
from qa_app.improvement import routes as improvement_routes
from qa_app.indicators import definitions_routes as indicators_definitions_routes
from qa_app.indicators import routes as indicators_routes
from qa_app.main import routes as main_routes
from qa_app.moderation import routes as moderation_routes
from qa_app.notifications import routes as notifications_routes
from qa_app.practice_weeks import findings_routes as practice_weeks_findings_routes
from qa_app.practice_weeks import record_routes as practice_weeks_record_routes
from qa_app.practice_weeks import report_routes as practice_weeks_report_routes
from qa_app.practice_weeks import routes as practice_weeks_routes
from qa_app.reporting import board_routes as reporting_board_routes
from qa_app.reporting import reviews_routes as reporting_reviews_routes
from qa_app.reporting import routes as reporting_routes
from qa_app.reporting import scrutiny_routes as reporting_scrutiny_routes
from qa_app.reporting import self_evaluation_routes as reporting_self_evaluation_routes
from qa_app.rules.control_characters import has_control_characters
from qa_app.rules.permissions import may
from qa_app.rules.uk_time import uk_clock, uk_date, uk_datetime, uk_day
from qa_app.search import routes as search_routes
from qa_app.template_library import routes as template_library_routes
from qa_app.web import assets as web_assets
from qa_app.web import request_budget
from qa_app.web.jinja_undefined import StrictObjectUndefined
from qa_app.web.navigation import account_navigation, navigation
from qa_app.web.request_budget import TOO_LONG
from qa_app.web.security import csp_nonce, origin_of, security_headers
from qa_app.web.session_cookie import SessionInterface
from qa_app.web.widget_render import COMPONENTS, component, component_source
from qa_app.web.wording import register_wording

log = logging.getLogger(__name__)

GOVUK_TEMPLATE_OPTIONS = (
    "assetPath assetUrl bodyAttributes bodyClasses containerAttributes containerClasses "
    "footerAttributes footerClasses headerAttributes headerClasses htmlClasses mainAttributes "
    "mainClasses mainLang opengraphImageUrl pageTitleLang serviceName serviceUrl themeColor"
).split()
CACHEABLE_ENDPOINTS = {"static", "assets.asset", "assets.build", "assets.govuk_js"}


def register_extensions(app: Flask) -> None:

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(config_root(app) / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue"
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # sessions are checked server-side instead
    login_manager.user_loader(_load_user)
    sso_client.init_app(app)  # single sign-on's settings and mapping, checked (never fetched)
    if app.config["QA_BEHIND_PROXY"]:
        # Flask's documented way to wrap the WSGI app (its stubs type wsgi_app as a method)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _configure_sqlite(db.engine)
        request_budget.init_app(app, db.engine)


def config_root(app: Flask):

    return PROJECT_ROOT


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _configure_sqlite(engine) -> None:
    """WAL, foreign keys, and write transactions that take the write lock at BEGIN.

    A request that may write (POST and friends) begins with BEGIN IMMEDIATE, so concurrent
    writers queue on the busy timeout instead of failing with "database is locked" when a read
    transaction tries to upgrade. Reads (GET) begin deferred, so they never block writers in
    WAL mode. Outside a request (CLI, jobs) transactions begin immediately too."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let the "begin" hook below emit BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        reading = has_request_context() and request.method in SAFE_METHODS
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _load_user(token: str):
    from datetime import timedelta

    from flask import current_app

    return load_session_user(
        token,
        idle=timedelta(minutes=current_app.config["QA_SESSION_IDLE_MINUTES"]),
        absolute=timedelta(hours=current_app.config["QA_SESSION_MAX_HOURS"]),
    )


def register_templating(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("qa_app"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                    COMPONENTS: FunctionLoader(component_source),
                }
            ),
        ]
    )
    app.jinja_env.undefined = StrictObjectUndefined
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.globals["account_navigation"] = account_navigation
    app.jinja_env.globals["component"] = component
    app.jinja_env.globals["audience_label"] = audience_label
    # the council's clock: one format everywhere, in UK time (qa_app.rules.uk_time)
    app.jinja_env.filters["uk_date"] = uk_date
    app.jinja_env.filters["uk_day"] = uk_day
    app.jinja_env.filters["uk_time"] = uk_clock
    app.jinja_env.filters["uk_datetime"] = uk_datetime
    register_wording(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)

    @app.context_processor
    def _globals():

        return {
            # The optional variables of the GOV.UK page template, defined so the strict
            # undefined does not trip over them; pages may still set any of them. In the
            # context, not the globals: Jinja compares the globals on every {% import %}.
            **dict.fromkeys(GOVUK_TEMPLATE_OPTIONS),
            "org": get_settings(),
            "csp_nonce": csp_nonce(),
            "may": lambda permission: may(current_user, permission),
        }


def register_request_hooks(app: Flask) -> None:
    @app.url_value_preprocessor
    def _no_control_characters(_endpoint, values):
        """A part of an address holding a control character names nothing: 404 (before any
        view runs, so it never reaches a query or the security log)."""
        if any(isinstance(v, str) and has_control_characters(v) for v in (values or {}).values()):
            abort(404)

    @app.after_request
    def _headers(response):
        return security_headers(
            response,
            nonce=csp_nonce(),
            https=request.is_secure,
            cacheable=request.endpoint in CACHEABLE_ENDPOINTS and response.status_code == 200,
            # signing out of a council sign-in: a form whose answer redirects to the provider
            form_origins=tuple(filter(None, [origin_of(app.config.get("QA_OIDC_ISSUER") or "")])),
        )

    @app.teardown_request
    def _clear(_exc):
        g.pop("csp_nonce", None)

    app.session_interface = SessionInterface()


# The modules whose `bp` is a blueprint, in the order they are registered.
BLUEPRINT_MODULES = (
    web_assets,
    auth_routes,
    main_routes,
    admin_routes,
    template_library_routes,
    audits_routes,
    moderation_routes,
    concerns_routes,
    cycles_routes,
    dashboards_routes,
    reporting_routes,
    practice_weeks_routes,
    practice_weeks_findings_routes,
    improvement_routes,
    improvement_export_routes,
    indicators_routes,
    notifications_routes,
    search_routes,
    calibration_routes,
    api,
)

# Modules that add routes to another module's blueprint (a task area's routes split by
# sub-task): imported here, before the blueprints are registered, so that no routes module
# imports its own extensions back (qa_app's floors only import downwards).
ROUTE_EXTENSIONS = (
    admin_setup_routes,
    auth_sso_routes,
    audits_extras,
    cycles_sampling_routes,
    cycles_assign_routes,
    cycles_reassign_routes,
    cycles_case_list_routes,
    cycles_setup_routes,
    cycles_follow_up_routes,
    reporting_board_routes,
    reporting_reviews_routes,
    reporting_scrutiny_routes,
    reporting_self_evaluation_routes,
    practice_weeks_record_routes,
    practice_weeks_report_routes,
    improvement_action_routes,
    indicators_definitions_routes,
    calibration_grading_routes,
)


class BoundedIntConverter(IntegerConverter):
    """<int:...> in URLs, limited to what the database can hold: a larger number is a 404,
    not an overflow error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def register_blueprints(app: Flask) -> None:
    """Each module in BLUEPRINT_MODULES has a blueprint called `bp` (the ROUTE_EXTENSIONS added
    their routes to theirs when they were imported)."""
    app.url_map.converters["int"] = BoundedIntConverter
    for module in BLUEPRINT_MODULES:
        app.register_blueprint(module.bp)


def register_error_handlers(app: Flask) -> None:
    messages = {
        400: ("There is a problem with the request", "The request could not be understood."),
        403: (
            "You do not have permission to view this page",
            "Your account's roles do not allow this. Ask your administrator if you need it.",
        ),
        404: ("Page not found", "If you typed the web address, check it is correct."),
        405: ("Page not found", "This address does not accept that kind of request."),
        413: ("The file is too large", "Files must be smaller than the upload limit."),
    }

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return render_template(
            "error.html",
            title="Your form has expired",
            message="The page was open for too long or the form was not sent from this service. "
            "Go back, reload the page and try again. Nothing was saved.",
        ), 400

    @app.errorhandler(HTTPException)
    def _http(error):
        title, message = messages.get(error.code, (error.name, error.description))
        return render_template("error.html", title=title, message=message), error.code

    @app.errorhandler(OperationalError)
    def _database(error):
        if not request_budget.ran_out(error):
            return _unexpected(error)
        log.warning("Out of time on %s %s", request.method, request.path)
        db.session.rollback()
        return render_template(
            "error.html",
            title="This is taking too long",
            message=TOO_LONG,
        ), 503

    @app.errorhandler(Exception)
    def _unexpected(error):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_template(
            "error.html",
            title="Sorry, there is a problem with the service",
            message="Something went wrong on our side. Nothing you entered has been lost "
            "if it was saved before this page. Try again later.",
        ), 500


def register_cli(app: Flask) -> None:
    qa.add_command(report)
    cli_backup.register(qa)
    cli_indicators.register(qa)
    cli_text.register(qa)
    cli_notify.register(qa)
    cli_setup.register(qa)
    cli_sso.register(qa)
    app.cli.add_command(qa)
