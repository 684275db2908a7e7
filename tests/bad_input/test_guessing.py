"""Guessing secrets (issue 14, items 4 and 5): runs of wrong passwords and codes at every form
that checks one. Each case is refused the way the corpus expects of bad input: never a 500,
the refusal names what to do (the wait), nothing is changed but the security log, and only a
few of the guesses are ever checked (sign_in_throttle's back-off and limits, with the clock
held still: tests/auth/clock.py)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from qa_app.auth import device_cookie
from qa_app.extensions import db
from qa_app.models import Role, SecurityEvent
from tests.auth.clock import Clock
from tests.auth.guessing import WRONG, addresses, attempt
from tests.bad_input.support import Case, Checker, page_refusal
from tests.helpers import csrf_token, sign_in
from tests.support.write_scenarios_auth_mfa import enrolled

SLOWED = "Too many failed attempts. Wait 1 second before trying again."
ACCOUNT_LOCKED = "Try again in 15 minutes from a browser you have signed in on before"
WRONG_RECOVERY_CODE = "aaaaa-bbbbb-ccccc-ddddd"


@dataclass(frozen=True)
class Attack:
    """Where the guesses go: `form` (a page below), how many, from how many addresses."""

    form: str
    guesses: int = 12
    spread: bool = False  # each guess from a new address
    secret: str = WRONG
    forged_cookie: bool = False


def _case(name: str, attack: Attack, refusal: str, checked: int) -> Case:
    return Case(name, attack, where=(refusal,), extra={"checked": checked})


GUESSING_CASES = [
    _case("12 wrong passwords at sign-in, one address", Attack("sign_in"), SLOWED, 3),
    _case(
        "50 wrong passwords at sign-in, 50 addresses",
        Attack("sign_in", guesses=50, spread=True),
        ACCOUNT_LOCKED,
        10,
    ),
    _case(
        "12 wrong passwords at sign-in with a forged device cookie",
        Attack("sign_in", forged_cookie=True),
        SLOWED,
        3,
    ),
    _case("12 wrong codes at the second step", Attack("second_step", secret="000000"), SLOWED, 3),
    _case(
        "12 wrong recovery codes at the second step",
        Attack("second_step", secret=WRONG_RECOVERY_CODE),
        SLOWED,
        3,
    ),
    _case("12 wrong current passwords changing it", Attack("change_password"), SLOWED, 3),
    _case("12 wrong passwords for new recovery codes", Attack("new_recovery_codes"), SLOWED, 3),
    _case("12 wrong passwords turning two-step off", Attack("turn_off_two_step"), SLOWED, 3),
    _case(
        "12 wrong codes setting up two-step sign-in",
        Attack("set_up_two_step", secret="000000"),
        SLOWED,
        3,
    ),
]

# form: (page with the CSRF token, address posted to, field, set up two-step sign-in first)
PAGES = {
    "second_step": ("/sign-in/code", "/sign-in/code", "code", True),
    "change_password": ("/account", "/account", "current_password", False),
    "new_recovery_codes": (
        "/account/two-step",
        "/account/two-step/recovery-codes",
        "codes-password",
        True,
    ),
    "turn_off_two_step": ("/account/two-step", "/account/two-step/turn-off", "off-password", True),
    "set_up_two_step": ("/account/two-step", "/account/two-step", "code", False),
}
EXTRA = {"change_password": {"new_password": "x" * 16, "confirm_password": "x" * 16}}


def _failures(username: str) -> int:
    return db.session.scalar(
        select(func.count()).where(
            SecurityEvent.username == username,
            SecurityEvent.event.in_(("sign_in_failed", "mfa_failed", "password_check_failed")),
        )
    )


def _sender(app, make_user, attack: Attack, n: int):
    """Set up the account and browser for one attack (before the database is compared);
    returns (username, send) where send() makes every guess and returns the responses."""
    user = make_user(Role.AUDITOR, username=f"target{n}")
    browser = app.test_client()
    if attack.form == "sign_in":
        if attack.forged_cookie:
            browser.set_cookie(device_cookie.NAME, "eyJkIjoiYWJjZGVmZ2hpamtsbW5vcCJ9.forged.sig")
        ips = addresses(attack.guesses) if attack.spread else ["203.0.113.5"] * attack.guesses
        return user.username, lambda: [
            attempt(browser, user.username, attack.secret, ip) for ip in ips
        ]
    page, url, field, enrol = PAGES[attack.form]
    if attack.form == "second_step":
        enrolled(user)
    assert sign_in(browser, user.username).status_code == 302
    if enrol and attack.form != "second_step":
        enrolled(user)  # after signing in: the page is the signed-in person's
    browser.get(page)  # starts setting up two-step sign-in, where that is the form

    def send():
        responses = []
        for _ in range(attack.guesses):
            data = {"csrf_token": csrf_token(browser, page), field: attack.secret}
            responses.append(browser.post(url, data={**data, **EXTRA.get(attack.form, {})}))
        return responses

    return user.username, send


def test_guessing_is_refused_after_a_few_checked(app, make_user, monkeypatch):
    checker = Checker()
    for n, case in enumerate(GUESSING_CASES):
        username, send = _sender(app, make_user, case.data, n)
        Clock(monkeypatch)

        def judge(responses, case=case, username=username):
            problems = [
                f"guess answered {r.status_code}" for r in responses if r.status_code >= 500
            ]
            last = responses[-1]
            if last.status_code != 429:
                problems.append(f"the last guess answered {last.status_code}, not 429")
            problems += page_refusal(last, case.where)
            if (checked := _failures(username)) != case.extra["checked"]:
                problems.append(f"{checked} guesses checked, not {case.extra['checked']}")
            return problems

        checker.run(case, send, judge)
    checker.assert_all_behaved()
    assert checker.checked == len(GUESSING_CASES)


def test_every_guessing_case_has_a_name_of_its_own():
    names = [case.name for case in GUESSING_CASES]
    assert len(names) == len(set(names))
