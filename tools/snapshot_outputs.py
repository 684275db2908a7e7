"""Snapshot every page and document the demo offers, normalised, to compare two commits.

From the current directory's qa_app, through public entry points only (`create_app`; `flask db
upgrade`, `qa templates load`, `qa seed-demo`, `qa create-token`): a fresh demo in a temporary
SQLite file; three reports drafted through the real forms as the QA lead (the demo has none);
then each demo account signs in through the sign-in page and crawls, GET only, breadth first
from "/", the same-origin links and GET forms (with their defaults): at most --per-shape URLs
per path shape and query keys (/findings/audits?from&team&to), --per-path per path shape
(/audits/N/history), --max-urls per account. With each account's API token: every GET
operation of the API, every page of each list and every listed item.

Each answer becomes OUTDIR/<account>/<URL as a name>.txt: HTML as its visible text by blocks
(cells joined by " | "), its SVG charts' shapes, links and form fields; PDF as text with a digest
of each page's drawing; XLSX as cell values; DOCX as paragraphs and tables; CSV; sorted JSON.
OUTDIR/index.tsv lists account, URL, status, kind, file (and TRUNCATED where a bound cut a crawl
short). Masked, as they differ between two runs of one commit: CSRF tokens, times of day (those
standing alone, and on the days a run stamps: yesterday to a fortnight ahead), TOTP secrets,
the security log's device ids; chart ids are left out (a process-wide counter numbers some).

Compare two commits on the same day (the demo is dated from today):

    git worktree add /tmp/before BASE && git worktree add /tmp/after HEAD
    cp tools/snapshot_outputs.py /tmp/snapshot_outputs.py
    (cd /tmp/before && PYTHONPATH=. python /tmp/snapshot_outputs.py /tmp/snap_before)
    (cd /tmp/after && PYTHONPATH=. python /tmp/snapshot_outputs.py /tmp/snap_after)
    diff -r /tmp/snap_before /tmp/snap_after"""

import argparse
import hashlib
import io
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter, deque
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

ACCOUNTS = ["admin", "qa.lead", "moderator", "auditor", "senior.manager", "board.viewer"]
PASSWORD = "practice-qa-demo"  # noqa: S105  (the documented demo-only password)
SKIP = re.compile(r"^/(static|assets|build)/|^/sign-(in|out)|^/keep-alive|^/api/")
OFFICE = "application/vnd.openxmlformats-officedocument."
KINDS = {f"{t}/{k}": k for t, k in [("text", "html"), ("text", "csv"), ("application", "pdf")]}
KINDS |= {"application/json": "json", OFFICE + "spreadsheetml.sheet": "xlsx"}
KINDS |= {OFFICE + "wordprocessingml.document": "docx"}
DAYS = [date.today() + timedelta(days=n) for n in range(-1, 15)]
ISO, UK = "|".join(f"{d}" for d in DAYS), "|".join(f"{d.day} {d:%B %Y}" for d in DAYS)
CLOCK = r"\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?"
MASKS = [
    (rf"\b({ISO})([T ]){CLOCK}(Z|[+-]\d\d:?\d\d)?", r"\1\2<time>"),
    (rf"\b({UK}),? (at )?{CLOCK}(?![\d:])", r"\1 at <time>"),
    (rf"(?<![\d:+-])(?<!\d{{4}} at )(?<!\dT)(?<!-\d\d ){CLOCK}(?![\d:])", "<time>"),  # alone
    (r"\b[A-Z2-7]{32}\b|\b(?:[A-Z2-7]{4} ){7}[A-Z2-7]{4}\b", "<totp-secret>"),
]
MASKS = [(re.compile(pattern), replacement) for pattern, replacement in MASKS]
DEVICE = re.compile(r"^((?:\| [^|]+ ){4}\| )[\w-]{8}( \|)", re.MULTILINE)  # security log
BLOCKS = set(
    "p div li tr h1 h2 h3 h4 h5 h6 table ul ol dl dt dd section article header footer main nav "
    "form fieldset legend label br caption details summary blockquote pre figure figcaption "
    "title option textarea button svg".split()
)


def mask(text: str) -> str:
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


class Page(HTMLParser):
    """An HTML page as lines of visible text, SVG shapes, links, and forms with their fields."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.lines, self.line, self.links, self.forms = [], [], [], []
        self.hidden, self.svg, self.select = 0, 0, None
        self.feed(html)
        self.close()
        self._flush()

    def _flush(self):
        if text := " ".join(" ".join(self.line).split()):
            self.lines.append(text)
        self.line = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.hidden += tag in ("script", "style", "template")
        self.svg += tag == "svg"
        if tag in BLOCKS or self.svg:
            self._flush()
        if tag in ("td", "th"):
            self.line.append("|")
        if self.svg:
            drop = {"id", "aria-labelledby", "aria-describedby"}
            self.lines.append(f"<{tag}" + "".join(f" {k}={a[k]}" for k in sorted(a.keys() - drop)))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":  # (method, action, [[type, name, value], ...])
            self.forms.append((a.get("method", "get").lower(), a.get("action", ""), []))
        elif tag in ("input", "select", "textarea") and self.forms and a.get("name"):
            kind = a.get("type", tag)
            unchecked = kind in ("checkbox", "radio") and "checked" not in a
            if not unchecked and kind not in ("submit", "button", "image"):
                self.forms[-1][2].append([kind, a["name"], a.get("value", "")])
                self.select = self.forms[-1][2][-1] if tag == "select" else None
        elif tag == "option" and self.select is not None and "selected" in a:
            self.select[2] = a.get("value", "")

    def handle_endtag(self, tag):
        self.hidden -= self.hidden > 0 and tag in ("script", "style", "template")
        self.svg -= self.svg > 0 and tag == "svg"
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.hidden:
            self.line.append(data)

    def render(self) -> str:
        out = ["TEXT", *self.lines, "", "LINKS", *self.links, "", "FORMS"]
        for method, action, fields in self.forms:
            out.append(f"{method.upper()} {action}")
            for kind, name, value in fields:
                out.append(f"  {kind} {name}={'<csrf>' if 'csrf_token' in name else value!r}")
        return "\n".join(out)


def as_text(kind: str, body: bytes) -> str:
    if kind == "html":
        return Page(body.decode("utf-8", "replace")).render()
    if kind == "pdf":
        from pypdf import PdfReader

        out = []
        for n, page in enumerate(PdfReader(io.BytesIO(body)).pages, 1):
            drawing = re.sub(rb"\bBT\b.*?\bET\b", b"", page.get_contents().get_data(), flags=re.S)
            out += [
                f"--- page {n}, drawing {hashlib.sha256(drawing).hexdigest()[:16]}",
                page.extract_text(),
            ]
        return "\n".join(out)
    if kind == "xlsx":
        from openpyxl import load_workbook

        out = []
        for sheet in load_workbook(io.BytesIO(body), read_only=True, data_only=True).worksheets:
            out.append(f"--- sheet {sheet.title}")
            for row in sheet.iter_rows(values_only=True):
                out.append("\t".join("" if v is None else str(v) for v in row).rstrip())
        return "\n".join(out)
    if kind == "docx":
        from docx import Document

        doc, out = Document(io.BytesIO(body)), []
        for block in doc.iter_inner_content():
            rows = getattr(block, "rows", None)
            out += [" | ".join(c.text for c in r.cells) for r in rows] if rows else [block.text]
        for n, section in enumerate(doc.sections, 1):
            out.append(f"--- section {n}: header, footer")
            out += [p.text for part in (section.header, section.footer) for p in part.paragraphs]
        return "\n".join(out)
    if kind == "json":
        return json.dumps(json.loads(body), indent=1, sort_keys=True, ensure_ascii=False)
    if kind == "csv":
        return body.decode("utf-8", "replace")
    return f"{len(body)} bytes, sha256 {hashlib.sha256(body).hexdigest()}"


class Snapshot:
    def __init__(self, args):
        self.args, self.index, self.kinds, self.names = args, [], Counter(), set()

    def record(self, role: str, url: str, response) -> None:
        kind = KINDS.get(response.mimetype, response.mimetype or "none")
        head = [f"URL {url}", f"STATUS {response.status_code}", f"TYPE {response.mimetype}"]
        for header in ("Location", "Content-Disposition"):
            if header in response.headers:
                head.append(f"{header.upper()} {response.headers[header]}")
        text = as_text(kind, response.get_data())
        if url.startswith("/admin/security-log"):
            text = DEVICE.sub(r"\1<device>\2", text)
        name = f"{role}/" + (re.sub(r"[^A-Za-z0-9.=-]+", "_", url).strip("_")[:120] or "root")
        if name in self.names:
            name += "-" + hashlib.sha256(url.encode()).hexdigest()[:8]
        self.names.add(name)
        path = self.args.outdir / f"{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(mask("\n".join(head) + "\n\n" + text) + "\n")
        self.index.append([role, mask(url), str(response.status_code), kind, f"{name}.txt"])
        self.kinds[kind] += 1

    def crawl(self, role: str, client) -> int:
        """Breadth first from "/", GET only; returns how many URLs were recorded."""
        queue, seen, shapes, started = deque(["/"]), {"/"}, Counter(), time.monotonic()
        caps = (self.args.per_path, self.args.per_shape)
        while queue and len(seen) - len(queue) < self.args.max_urls:
            if time.monotonic() - started > self.args.seconds:
                self.index.append([role, "TRUNCATED", f"after {self.args.seconds} s", "", ""])
                break
            url = queue.popleft()
            response = client.get(url)
            self.record(role, url, response)
            for link in links_of(url, response):
                keys = shapes_of(link)
                full = any(shapes[k] >= c for k, c in zip(keys, caps, strict=True))
                if not (full or link in seen or SKIP.match(link)):
                    seen.add(link)
                    queue.append(link)
                    shapes.update(keys)
        if queue:
            self.index.append([role, "TRUNCATED", f"{len(queue)} URLs left", "", ""])
        return len(seen) - len(queue)

    def crawl_api(self, role: str, client, token: str) -> int:
        """Every GET operation of the API: the lists page by page, then each listed item."""
        done = 0

        def get(path):
            nonlocal done
            done += 1
            response = client.get("/api/v1" + path, headers={"Authorization": f"Bearer {token}"})
            self.record(role, "/api/v1" + path, response)
            return (response.get_json(silent=True) or {}) if response.status_code == 200 else {}

        paths = sorted(
            p for p, ops in get("/openapi.json").get("paths", {}).items() if "get" in ops
        )
        items = {}
        for path in (p for p in paths if "{" not in p and p != "/openapi.json"):
            page = get(path)
            items[path], limit = page.get("items", []), page.get("limit") or 1
            for offset in range(limit, page.get("total", 0), limit):
                items[path] += get(f"{path}?offset={offset}&limit={limit}").get("items", [])
        for path in (p for p in paths if "{" in p):  # an item's id, key and version numbers
            for item in items.get(path.split("/{")[0], []):
                args = {
                    n: item.get("id" if n.endswith("_id") else n)
                    for n in re.findall(r"{(\w+)}", path)
                }
                for number in range(1, item.get("latest_version", 1) + 1):
                    if done >= self.args.max_urls:
                        self.index.append([role, "TRUNCATED", path, "", ""])
                        return done
                    get(path.format(**{**args, "number": number}))
                    if "{number}" not in path:
                        break
        return done


def shapes_of(link: str) -> tuple[str, str]:
    """The path with numbers as N (/audits/N/history), and that with the query's keys."""
    path, _, query = link.partition("?")
    path = re.sub(r"\d+", "N", path)
    return path, path + "?" + "&".join(sorted({k.partition("=")[0] for k in query.split("&") if k}))


def links_of(url: str, response) -> list[str]:
    """Same-origin paths an answer leads to: a redirect's target, the page's links, and its
    GET forms as submitted with their defaults."""
    found = [response.headers["Location"]] if "Location" in response.headers else []
    if response.mimetype == "text/html":
        page = Page(response.get_data(as_text=True))
        found += page.links
        for method, action, fields in page.forms:
            query = urlencode([(n, v) for _, n, v in fields if v])
            if method == "get":
                found.append((action or url.split("?")[0]) + ("?" + query if query else ""))
    out = []
    for link in found:
        parts = urlsplit(urljoin("http://localhost" + url, link))
        if parts.scheme in ("http", "https") and parts.hostname == "localhost":
            out.append(parts.path + ("?" + parts.query if parts.query else ""))
    return out


def build_demo(workdir: Path):
    """A fresh app on its own SQLite database, migrated, with the templates and the demo."""
    from qa_app import create_app

    os.environ.setdefault("QA_SECRET_KEY", "snapshot-outputs-not-secret")
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'demo.sqlite'}"}
    config["QA_BANK_HOLIDAYS_FILE"] = str(workdir / "none.yaml")  # the package's holidays
    app = create_app({**config, "QA_MAIL_CHANNEL": "none", "SESSION_COOKIE_SECURE": False})
    for command in ("db upgrade", "qa templates load", "qa seed-demo"):
        cli(app, command.split())
    return app


def cli(app, args: list[str]) -> str:
    result = app.test_cli_runner().invoke(args=args)
    if result.exit_code != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.output}{result.exception!r}")
    return result.output


def post_form(client, url: str, changes: dict, expect: int | None = 302) -> str:
    """Submit the form at `url` as someone would who changes only `changes`; where it leads."""
    forms = Page(client.get(url).get_data(as_text=True)).forms
    data = {}
    for _, name, value in next(f for f in forms if f[1].split("?")[0] == url)[2]:
        data.setdefault(name, []).append(value)
    response = client.post(url, data={**data, **changes})
    if expect and response.status_code != expect:
        raise SystemExit(f"the form at {url} was refused ({response.status_code})")
    return urlsplit(response.headers.get("Location", "")).path


def draft_reports(client) -> None:
    """As the QA lead: last month's cycle report, a year's report for the partnership and a
    board report for the same year."""
    html = client.get("/reports/new").get_data(as_text=True)
    cycle = re.search(r'value="(\d+)"[^>]*>\s*Monthly audit \d{4}-\d\d \(synthetic\)', html)
    end = date.today().replace(day=1) - timedelta(days=1)
    start = date(end.year - (end.month < 12), end.month % 12 + 1, 1)
    year = {
        f"period_{k}": [str(d.day), str(d.month), str(d.year)]
        for k, d in (("start", start), ("end", end))
    }
    post_form(client, "/reports/new", {"cycle": cycle.group(1)})
    post_form(client, "/reports/new", {**year, "audience": "partnership"})
    post_form(client, "/reports/board/new", year)


def sign_in(app, username: str):
    """A test client signed in through the sign-in page, and the second step if asked for
    (none of the demo's roles must use it): the code from the account's TOTP secret."""
    client = app.test_client()
    step = post_form(client, "/sign-in", {"username": username, "password": PASSWORD})
    if step in ("/sign-in/code", "/sign-in/set-up"):
        import pyotp
        from sqlalchemy import create_engine, text

        client.get(step)  # setting up begins with a secret
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with engine.connect() as conn:
            query = text("SELECT totp_secret, totp_last_step FROM users WHERE username = :u")
            secret, last = conn.execute(query, {"u": username}).one()
        engine.dispose()
        n = max(int(time.time() // 30), (last or 0) + 1)  # a code is accepted once only
        time.sleep(max(0, (n - 1) * 30 - time.time()))
        post_form(client, step, {"code": pyotp.TOTP(secret).at(n * 30)}, expect=None)
    if client.get("/").status_code != 200:
        raise SystemExit(f"could not sign in as {username}")
    return client


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--max-urls", type=int, default=600, help="per account (600)")
    parser.add_argument("--per-path", type=int, default=30, help="per path shape (30)")
    parser.add_argument("--per-shape", type=int, default=4, help="per path and query keys (4)")
    parser.add_argument("--seconds", type=float, default=900, help="per account (900)")
    parser.add_argument("--no-api", action="store_true")
    parser.add_argument("--no-drafts", action="store_true", help="GET only, even before")
    args = parser.parse_args(argv)
    if args.outdir.exists() and any(args.outdir.iterdir()):
        raise SystemExit(f"{args.outdir} is not empty")
    sys.path.insert(0, os.getcwd())
    started, snap = time.monotonic(), Snapshot(args)
    with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
        app = build_demo(Path(tmp))
        if not args.no_drafts:
            draft_reports(sign_in(app, "qa.lead"))
        print(f"demo built in {time.monotonic() - started:.0f} s", file=sys.stderr)
        for username in ACCOUNTS:
            t0 = time.monotonic()
            count = snap.crawl(username, sign_in(app, username))
            print(f"{username}: {count} URLs in {time.monotonic() - t0:.0f} s", file=sys.stderr)
        for username in [] if args.no_api else ACCOUNTS:
            token = cli(app, ["qa", "create-token", username, "--name", "snapshot"]).split()[0]
            count = snap.crawl_api(f"api-{username}", app.test_client(), token)
            print(f"api-{username}: {count} URLs", file=sys.stderr)
    rows = [["account", "url", "status", "kind", "file"], *snap.index]
    (args.outdir / "index.tsv").write_text("".join("\t".join(row) + "\n" for row in rows))
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(snap.kinds.items()))
    print(
        f"{len(snap.index)} answers ({kinds}), {time.monotonic() - started:.0f} s", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
