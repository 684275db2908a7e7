"""Load benchmarks (issue 7, "Load and scale"): `python -m benchmarks.load`.

One gunicorn server (2 sync workers, 127.0.0.1, a free port) serves Practice QA against a
throw-away SQLite database (migrated, templates loaded, demo accounts) with, in the same
process and workers, a bare page rendering a 60-field form in plain Jinja
(benchmarks/load_app.py mounts it at /bare/form). wrk (the Debian package) then measures:

1. the signed-in audit form page (the largest section of an ICPC-reports audit in progress)
   and the bare page, 20 connections for 10 s each: req/s, ratio (target >= 0.3), p95 of the
   audit page (target <= 50 ms), errors (target 0);
2. a mixed workload of 50 signed-in auditors for 60 s, each with their own audit (so a 409
   conflict would be a bug here): read "My audits", read the section page, save it with its
   CSRF token and lock version, read the task list. Errors (target 0), req/s and p95; then
   the database is checked: every save the server acknowledged is stored.

wrk's Lua hooks check every response (a 200 for a page, a 302 back to the task list for a
save), so a redirect to the sign-in page counts as an error, not as a fast response.
Prints one line per figure; exits 1 if a target is missed. Bounded: about two minutes.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.load_app import BARE_PATH, FIELDS
from benchmarks.run import CSRF, setup
from tests.audits.factory import latest_version  # the same audits and answers as the tests
from tests.audits.filling import good_answer
from tests.support.live_server import free_port

REPO = Path(__file__).resolve().parent.parent
SECRET = os.environ.get("QA_SECRET_KEY", "benchmark-only-secret")
PASSWORD = "load-benchmark-password"  # noqa: S105  (throw-away accounts in a temp database)
COOKIE = "practice_qa_session"
VERSION = re.compile(r'name="lock_version" type="hidden" value="(\d+)"')
PAGE_TEMPLATE = "icpc_reports"
MIXED_TEMPLATES = ("single_assessment", "cp_plan_visits", "icpc_reports", "cin_plan")

TARGET_RATIO = 0.3
TARGET_P95_MS = 50.0

# Lua for wrk. Each response is checked against what the step expects; the totals are
# collected from every thread's Lua state in done() and printed as one JSON line.
LUA_COMMON = r"""
local threads = {}
local counter = 1
function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

local function result(summary, latency, extra)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
    .. '"max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d%s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout, extra))
end
"""

LUA_PAGE = (
    LUA_COMMON
    + r"""
function init(args)
  bad = 0
  first_bad = ""
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if first_bad == "" then first_bad = tostring(status) end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, ""
  for _, t in ipairs(threads) do
    bad = bad + t:get("bad")
    if first == "" then first = t:get("first_bad") end
  end
  result(summary, latency, string.format(', "bad": %d, "first_bad": "%s"', bad, first))
end
"""
)

# One connection per wrk thread, so a thread's Lua state is one user's browser. The state
# only moves on in response(), so wrk's extra request() call at start-up is harmless.
LUA_MIXED = (
    LUA_COMMON
    + r"""
function init(args)
  me = USERS[id]
  cookie = "COOKIE_NAME=" .. me.cookie
  step, token, version = 1, nil, nil
  ok, bad, saves, conflicts, first_bad = 0, 0, 0, 0, ""
end

local function get(path)
  return wrk.format("GET", path, {Cookie = cookie})
end

function request()
  if step == 1 then return get("/audits/mine") end
  if step == 2 then return get(me.section) end
  if step == 3 then
    local body = "csrf_token=" .. token .. "&lock_version=" .. version .. "&action=later&"
      .. me.body .. "&" .. me.field .. "=Save+" .. (saves + 1) .. "+by+user+" .. id
    return wrk.format("POST", me.section, {
      Cookie = cookie, ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
  end
  return get(me.task_list)
end

function response(status, headers, body)
  local good
  if step == 3 then
    local location = headers["Location"] or headers["location"] or ""
    good = status == 302 and string.find(location, me.task_list, 1, true) ~= nil
    if good then saves = saves + 1 end
    if status == 409 then conflicts = conflicts + 1 end
  else
    good = status == 200
  end
  if step == 2 and good then
    token = string.match(body, 'name="csrf_token" type="hidden" value="([^"]+)"')
    version = string.match(body, 'name="lock_version" type="hidden" value="(%d+)"')
    good = token ~= nil and version ~= nil
  end
  if good then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == "" then first_bad = "step " .. step .. " status " .. status end
  end
  if step == 2 and not good then
    step = 4  -- nothing to save from: read the task list and start again
  else
    step = step % 4 + 1
  end
end

function done(summary, latency, requests)
  local ok, bad, conflicts, first, per_user = 0, 0, 0, "", {}
  for _, t in ipairs(threads) do
    ok = ok + t:get("ok")
    bad = bad + t:get("bad")
    conflicts = conflicts + t:get("conflicts")
    if first == "" then first = t:get("first_bad") end
    table.insert(per_user, string.format("%d", t:get("saves")))
  end
  result(summary, latency, string.format(
    ', "ok": %d, "bad": %d, "conflicts": %d, "first_bad": "%s", "saves": [%s]',
    ok, bad, conflicts, first, table.concat(per_user, ",")))
end
""".replace("COOKIE_NAME", COOKIE)
)


class Browser:
    """A urllib client with its own cookie jar that does not follow redirects."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, username: str) -> str:
        """Signs in; returns the session cookie's value."""
        _, page = self.request("/sign-in")
        token = CSRF.search(page).group(1)
        status, _ = self.request(
            "/sign-in", {"csrf_token": token, "username": username, "password": PASSWORD}
        )
        if status != 302:
            raise SystemExit(f"could not sign in as {username} (status {status})")
        # A signed-in page puts the CSRF secret in the session: wrk keeps sending the cookie
        # it is given, so it must be the cookie a browser would hold by then.
        status, page = self.request("/")
        cookie = next((c.value for c in self.jar if c.name == COOKIE), None)
        if status != 200 or not CSRF.search(page) or not cookie:
            raise SystemExit(f"no signed-in page for {username} (status {status})")
        return cookie

    def save_section(self, path: str, data: dict) -> None:
        status, html = self.request(path)
        assert status == 200, f"GET {path}: {status}"
        form = {
            "csrf_token": CSRF.search(html).group(1),
            "lock_version": VERSION.search(html).group(1),
            "action": "later",
            **data,
        }
        status, _ = self.request(path, form)
        assert status == 302, f"POST {path}: {status}"


# ---- the database: accounts and audits ------------------------------------------------------


def largest_section(content: dict, *, with_text: bool) -> dict:
    """The section with the most questions and no repeat blocks (and, if `with_text`, with a
    text question for the saves to change)."""
    sections = [
        s
        for s in content["template"]["sections"]
        if all(q["type"] != "repeat" for q in s["questions"])
        and (not with_text or any(q["type"] == "text" for q in s["questions"]))
    ]
    return max(sections, key=lambda s: len(s["questions"]))


def section_answers(content: dict, section: dict) -> dict:
    from qa_app.templates_engine.answers import scale_levels

    data = {f"q__{q['key']}": good_answer(content, q) for q in section["questions"]}
    if section["graded"]:
        data["section_grade"] = scale_levels(content, content["template"]["scale"])[1]
        data["section_rationale"] = f"Graded on what the record shows in {section['key']}."
    return data


def make_people(app, users: int) -> tuple[dict, list[dict]]:
    """The page auditor with an ICPC-reports audit, and `users` auditors with one audit each
    (templates in turn). Returns descriptions of each: username, audit id, section to write."""
    from qa_app.data.audits import create_audit
    from qa_app.data.users import create_user
    from qa_app.extensions import db
    from qa_app.models import Case, Role

    with app.app_context():
        people = []
        for n in range(users + 1):
            username = "load.page" if n == 0 else f"load.user{n:02d}"
            user = create_user(username, f"Load auditor {n}", PASSWORD, [Role.AUDITOR])
            key = PAGE_TEMPLATE if n == 0 else MIXED_TEMPLATES[n % len(MIXED_TEMPLATES)]
            template_version = latest_version(key)
            case = Case(case_reference=f"{80000000 + n}", worker="Social worker 7")
            db.session.add(case)
            audit = create_audit(case=case, template_version=template_version, auditor=user)
            content = template_version.content
            section = largest_section(content, with_text=n > 0)
            data = section_answers(content, section)
            text = next((q for q in section["questions"] if q["type"] == "text"), None)
            field = f"q__{text['key']}" if text else "section_rationale"
            typed = data.pop(field)
            people.append(
                {
                    "username": username,
                    "template": key,
                    "audit": audit.id,
                    "start_version": audit.lock_version,
                    "section_key": section["key"],
                    "questions": len(section["questions"]),
                    "section": f"/audits/{audit.id}/sections/{section['key']}",
                    "task_list": f"/audits/{audit.id}",
                    "field": field,
                    "data": data,
                    "typed": typed,
                }
            )
        db.session.commit()
        db.engine.dispose()
    return people[0], people[1:]


def check_saves(url: str, users: list[dict], saves: list[int]) -> tuple[int, list[str]]:
    """Every save the server acknowledged is stored: the audit's version went up by at least
    that many (one more if wrk stopped while a save was in flight) and its text is the last
    acknowledged save or the one after it. Returns (stored versions total, problems)."""
    from sqlalchemy import select

    from qa_app import create_app
    from qa_app.extensions import db
    from qa_app.models import Answer, Audit

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    problems, total = [], 0
    with app.app_context():
        for n, (user, acknowledged) in enumerate(zip(users, saves, strict=True), start=1):
            stored = db.session.get(Audit, user["audit"]).lock_version - user["start_version"]
            total += stored
            text = db.session.scalars(
                select(Answer.value_text).where(
                    Answer.audit_id == user["audit"],
                    Answer.question_key == user["field"].removeprefix("q__"),
                )
            ).first()
            allowed = {f"Save {k} by user {n}" for k in (acknowledged, acknowledged + 1)}
            if not acknowledged <= stored <= acknowledged + 1 or (
                acknowledged and text not in allowed
            ):
                problems.append(
                    f"{user['username']}: {acknowledged} saves acknowledged, version up by "
                    f"{stored}, text {text!r}"
                )
        db.engine.dispose()
    return total, problems


# ---- the server and wrk --------------------------------------------------------------------


def start_server(url: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = os.environ | {"QA_DATABASE_URL": url, "QA_SECRET_KEY": SECRET}
    process = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
        [
            str(gunicorn),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--error-logfile",
            str(log),
            "--capture-output",  # the app's own log (its tracebacks) goes to the same file
            "benchmarks.load_app:create_app()",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/sign-in", timeout=10)  # noqa: S310 (ours, http)
            return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"gunicorn did not start; see {log}") from None
            time.sleep(0.2)


def run_wrk(
    script: Path, url: str, *, connections: int, threads: int, seconds: int, headers=()
) -> dict:
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    for header in headers:
        args += ["-H", header]
    args += ["-s", str(script), url]
    done = subprocess.run(  # noqa: S603  (wrk with our own arguments)
        args, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if done.returncode or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stdout}\n{done.stderr}")
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["socket_errors"] = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    return result


def lua_users(users: list[dict], cookies: list[str]) -> str:
    def quote(value) -> str:
        return json.dumps(str(value))  # a JSON string literal is a valid Lua string here

    rows = []
    for user, cookie in zip(users, cookies, strict=True):
        body = urllib.parse.urlencode(user["data"], doseq=True)
        fields = {
            "cookie": cookie,
            "section": user["section"],
            "task_list": user["task_list"],
            "field": user["field"],
            "body": body,
        }
        rows.append("{" + ", ".join(f"{k} = {quote(v)}" for k, v in fields.items()) + "}")
    return "USERS = {\n  " + ",\n  ".join(rows) + "\n}\n"


def first(result: dict) -> str:
    return f" (first: {result['first_bad']})" if result["first_bad"] else ""


def ms(us: float) -> str:
    return f"{us / 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page-seconds", type=int, default=10)
    parser.add_argument("--mixed-seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=50)
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk (Debian package). Nothing measured.")
        return 2
    started = time.monotonic()
    missed = []
    with tempfile.TemporaryDirectory(prefix="qa-load-") as tmp:
        tmp = Path(tmp)
        url = f"sqlite:///{tmp}/load.sqlite"
        import logging

        logging.getLogger("alembic").setLevel(logging.WARNING)
        app = setup(url)
        page_user, users = make_people(app, options.users)
        process, base = start_server(url, tmp / "gunicorn.log")
        try:
            # The page auditor's audit is in progress: the measured section is filled in.
            browser = Browser(base)
            page_cookie = browser.sign_in(page_user["username"])
            browser.save_section(
                page_user["section"], page_user["data"] | {page_user["field"]: page_user["typed"]}
            )
            status, html = browser.request(page_user["section"])
            assert status == 200 and page_user["typed"] in html, "audit page not filled in"
            status, bare = browser.request(BARE_PATH)
            assert status == 200 and bare.count('class="govuk-form-group"') == FIELDS

            page_script = tmp / "page.lua"
            page_script.write_text(LUA_PAGE)
            cookie_header = [f"Cookie: {COOKIE}={page_cookie}"]
            audit_url, bare_url = base + page_user["section"], base + BARE_PATH
            for target, headers in ((audit_url, cookie_header), (bare_url, ())):  # warm up
                run_wrk(page_script, target, connections=4, threads=2, seconds=2, headers=headers)
            audit = run_wrk(
                page_script,
                audit_url,
                connections=20,
                threads=2,
                seconds=options.page_seconds,
                headers=cookie_header,
            )
            floor = run_wrk(
                page_script, bare_url, connections=20, threads=2, seconds=options.page_seconds
            )
            ratio = audit["rps"] / floor["rps"]
            page_errors = sum(r["socket_errors"] + r["bad"] for r in (audit, floor))
            p95 = audit["p95_us"] / 1000
            label = (
                f"{page_user['template']} / {page_user['section_key']}, "
                f"{page_user['questions']} questions"
            )
            print(
                "server: gunicorn, 2 sync workers, 127.0.0.1; SQLite; wrk 20 connections; "
                f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other work "
                "on the machine slows both pages; the ratio is the steadier figure)"
            )
            print(
                f"audit form page ({label}): {audit['rps']:.0f} req/s, p50 "
                f"{ms(audit['p50_us'])}, p95 {ms(audit['p95_us'])}, p99 {ms(audit['p99_us'])}, "
                f"{audit['requests']} requests"
            )
            print(
                f"bare {FIELDS}-field page (plain Jinja, same server): {floor['rps']:.0f} req/s, "
                f"p95 {ms(floor['p95_us'])}, {floor['requests']} requests"
            )
            print(f"ratio audit page / bare page: {ratio:.3f} (target >= {TARGET_RATIO})")
            print(f"audit page p95 at 20 connections: {p95:.1f} ms (target <= {TARGET_P95_MS:.0f})")
            print(
                f"page runs errors: {page_errors} (target 0; audit page non-200 "
                f"{audit['bad']}{first(audit)}, bare page non-200 {floor['bad']}{first(floor)}, "
                f"socket {audit['socket_errors'] + floor['socket_errors']})"
            )
            if ratio < TARGET_RATIO:
                missed.append("ratio")
            if p95 > TARGET_P95_MS:
                missed.append("audit page p95")
            if page_errors:
                missed.append("page errors")

            # The mixed workload: each user signed in with their own session and audit.
            with ThreadPoolExecutor(4) as pool:
                cookies = list(pool.map(lambda u: Browser(base).sign_in(u["username"]), users))
            mixed_script = tmp / "mixed.lua"
            mixed_script.write_text(lua_users(users, cookies) + LUA_MIXED)
            mixed = run_wrk(
                mixed_script,
                base + "/audits/mine",
                connections=len(users),
                threads=len(users),
                seconds=options.mixed_seconds,
            )
            mixed_errors = mixed["bad"] + mixed["socket_errors"]
            saves = mixed["saves"]
            stored, problems = check_saves(url, users, saves)
            print(
                f"mixed workload, {len(users)} users for {options.mixed_seconds} s "
                f"(3 page reads : 1 section save): {mixed['rps']:.0f} req/s, "
                f"{mixed['requests']} requests, {sum(saves)} saves"
            )
            print(
                f"mixed workload p95: {ms(mixed['p95_us'])} (p50 {ms(mixed['p50_us'])}, "
                f"p99 {ms(mixed['p99_us'])}, max {ms(mixed['max_us'])})"
            )
            print(
                f"mixed workload errors: {mixed_errors} (target 0; unexpected responses "
                f"{mixed['bad']}{first(mixed)}, 409 conflicts {mixed['conflicts']}, "
                f"socket {mixed['socket_errors']})"
            )
            print(
                f"acknowledged saves stored: {len(users) - len(problems)} of {len(users)} "
                f"audits agree ({sum(saves)} acknowledged, versions up by {stored})"
            )
            for problem in problems[:5]:
                print(f"  lost or extra save: {problem}")
            if mixed_errors or mixed["conflicts"]:
                missed.append("mixed errors")
            if problems:
                missed.append("acknowledged saves")
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log = (tmp / "gunicorn.log").read_text(errors="replace")
        tracebacks = log.count("Traceback")
        locked = log.count("database is locked")
        print(f"server log: {tracebacks} tracebacks, {locked} 'database is locked'")
        if tracebacks or locked:
            print(log[-3000:])
            missed.append("server errors")
    print(f"total run time: {time.monotonic() - started:.0f} s")
    if missed:
        print(f"TARGETS MISSED: {', '.join(missed)}")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
