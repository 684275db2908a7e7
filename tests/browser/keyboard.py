"""Moving through a page as a keyboard user does: Tab until the element wanted has focus
(bounded), and a form walker that answers each field it lands on with Space or typing."""

from tests.browser.axe import assert_accessible
from tests.helpers import PASSWORD

TAB_LIMIT = 400  # more Tab presses than any page of the app needs to reach its last control

FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const form = e.form || e.closest('form');
    const group = e.name && form ? [...form.elements].filter(x => x.name === e.name) : [];
    return {
        tag: e.tagName.toLowerCase(), type: (e.type || '').toLowerCase(), id: e.id,
        name: e.name || '', value: e.value ?? '', text: (e.innerText || '').trim(),
        checked: !!e.checked, inputmode: e.inputMode || '',
        form: form ? form.getAttribute('action') : null,
        groupChecked: group.some(x => x.checked),
        firstInGroup: group.length ? group[0] === e : true,
    };
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page, matches, limit: int = TAB_LIMIT) -> dict:
    """Press Tab until `matches(focused element info)` is true; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        if info and matches(info):
            return info
    raise AssertionError(f"{limit} presses of Tab never reached the element wanted on {page.url}")


def button(text: str):
    return lambda info: info["tag"] == "button" and info["text"] == text


def field(element_id: str):
    return lambda info: info["id"] == element_id


def _answer(page, info: dict, words: str) -> None:
    """Answer the focused field if it is still empty: Space checks the first radio of a group
    and the first box of a set of checkboxes; typing fills boxes (numbers and date parts too)."""
    kind, ident = info["type"], info["id"]
    if kind == "radio":
        if not info["groupChecked"]:
            page.keyboard.press("Space")
    elif kind == "checkbox":
        if (
            info["firstInGroup"]
            and not info["groupChecked"]
            and info["name"].startswith(("q__", "r__"))
        ):
            page.keyboard.press("Space")
    elif info["tag"] == "textarea" or kind in ("text", "number", ""):
        if info["value"]:
            return
        if ident.endswith("-day"):
            page.keyboard.type("1")
        elif ident.endswith("-month"):
            page.keyboard.type("2")
        elif ident.endswith("-year"):
            page.keyboard.type("2026")
        elif info["inputmode"] == "numeric" or kind == "number":
            page.keyboard.type("3")
        else:
            page.keyboard.type(words)


def fill_form_by_tab(
    page, form_action: str, stop_at: str, words: str = "Seen in the record."
) -> int:
    """Tab through the form posting to `form_action` from the top of the page, answering every
    empty field, until the `stop_at` button has focus. Returns how many fields were visited."""
    visited = 0
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        info = focused(page)
        if info is None or info["form"] != form_action:
            continue
        if info["tag"] == "button":
            if info["text"] == stop_at:
                return visited
            continue
        if info["tag"] in ("input", "textarea"):
            visited += 1
            _answer(page, info, words)
    raise AssertionError(f"{TAB_LIMIT} presses of Tab never reached {stop_at!r} on {page.url}")


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form, by keyboard: type into each box, Enter to submit."""
    page.goto("/sign-in")
    assert_accessible(page, "sign-in page")
    tab_to(page, field("username"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/sign-in" not in page.url, page.content()[:2000]
