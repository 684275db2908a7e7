"""The service navigation: which sections a person sees, in order, and which one they are in.

Two tables, read by base.html: the sections (`navigation()`, the row under the header) and the
person's own links (`account_navigation()`: Notifications and Your account, at the top right of
the header beside Sign out), so that the sections stay on one row at 1,280 pixels for the role
with the most of them. A person sees the
items their roles permit (qa_app.web.security.PERMISSIONS); an item is current when the page
belongs to one of its blueprints (or is its own page, for Home and Your account). The list
depends only on the roles, the page's blueprint and endpoint and the address the app is served
under, so it is built once for each such combination and then reused; only the unread count
beside Notifications (one indexed count per page) is added afresh."""

from dataclasses import dataclass
from functools import lru_cache

from flask import request, url_for
from flask_login import current_user
from markupsafe import Markup

from qa_app.data.notifications import unread_count
from qa_app.rules.permissions import PERMISSIONS


@dataclass(frozen=True)
class Item:
    endpoint: str
    text: str
    permission: str | None  # None: everyone signed in
    blueprints: tuple[str, ...] = ()  # current on any page of these; () on its own page only


ITEMS = (
    Item("main.home", "Home", None),
    Item("audits.mine", "My audits", "do_audits", ("audits", "calibration")),
    Item("moderation.queue", "Moderation", "moderate", ("moderation",)),
    Item("cycles.index", "Cycles", "manage_cycles", ("cycles",)),
    Item("reporting.index", "Reports", "view_findings", ("reporting",)),
    Item(
        "practice_weeks.index",
        "Practice weeks",
        "take_part_in_practice_weeks",
        ("practice_weeks", "practice_week_findings"),
    ),
    Item("dashboards.overview", "Findings", "view_findings", ("dashboards",)),
    Item("indicators.scorecard", "Indicators", "view_indicators", ("indicators",)),
    Item(
        "improvement.index",
        "Improvement plan",
        "view_improvement_plan",
        ("improvement", "improvement_exports"),
    ),
    Item("template_library.index", "Templates", "view_templates", ("template_library",)),
    Item("admin.users", "Admin", "manage_users", ("admin",)),
    Item("search.index", "Search", "do_audits", ("search",)),
)

ACCOUNT_ITEMS = (
    Item("notifications.index", "Notifications", None, ("notifications",)),
    Item("auth.account", "Your account", None),
)


def navigation() -> tuple[dict, ...]:
    """The GOV.UK service navigation items for the signed-in person on this page."""
    if not current_user.is_authenticated:
        return ()
    return _items(
        ITEMS,
        frozenset(current_user.roles),
        request.blueprint,
        request.endpoint,
        request.script_root,
    )


def account_navigation() -> tuple[dict, ...]:
    """The person's own links in the header (Notifications with its unread count, Your
    account)."""
    if not current_user.is_authenticated:
        return ()
    items = _items(
        ACCOUNT_ITEMS,
        frozenset(current_user.roles),
        request.blueprint,
        request.endpoint,
        request.script_root,
    )
    unread = unread_count(current_user)
    if not unread:
        return items
    return tuple(
        _with_count(item, unread) if item["href"] == _list_href() else item for item in items
    )


def _list_href() -> str:
    return url_for("notifications.index")


def _with_count(item: dict, unread: int) -> dict:
    """The Notifications item with the unread count, read out as "3 unread"."""
    shown = "99+" if unread > 99 else str(unread)
    return {
        "href": item["href"],
        "active": item["active"],
        "html": Markup(
            'Notifications <strong class="app-count">{}'
            '<span class="govuk-visually-hidden"> unread</span></strong>'
        ).format(shown),
    }


@lru_cache(maxsize=512)
def _items(
    table: tuple[Item, ...], roles: frozenset, blueprint, endpoint, script_root: str
) -> tuple[dict, ...]:
    del script_root  # part of the cache key: url_for builds addresses under it
    return tuple(
        {
            "href": url_for(item.endpoint),
            "text": item.text,
            "active": (blueprint in item.blueprints)
            if item.blueprints
            else (endpoint == item.endpoint),
        }
        for item in table
        if item.permission is None or roles & PERMISSIONS[item.permission]
    )
