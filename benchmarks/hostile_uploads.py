"""Hostile uploads (issue 14, item 3): for each, the time and the peak memory rise of the
process that handles it, and two at once against a real gunicorn while an anonymous page is
timed.

    python -m benchmarks.hostile_uploads [--only NAME] [--timeout 40] [--no-server] [--code DIR]

The files are the issue's own (a 4.7 KB workbook declaring A1:XFD1048576 with a cell in the
far corner; 1.2 GB of empty rows in 1.75 MB; one 600 MB cell in 588 KB) and their siblings
(tests/bad_input/hostile_files.py builds them all). Each case-list file is posted as the demo
QA lead to POST /cycles/<id>/case-list through the app's test client, in a fresh process that
reports the rise of its peak resident memory (VmHWM, reset before the upload through
/proc/self/clear_refs) and the time; the YAML templates are validated as `flask qa templates
load` would. A process still working after --timeout seconds is killed (gunicorn kills a
worker at 30), and its peak so far reported.

Then gunicorn (2 sync workers, 127.0.0.1, a free port, its default 30-second timeout) takes
two uploads of file (a) at once while GET /sign-in is timed every 0.2 s.

--code DIR runs the app from another checkout (e.g. the main branch, to measure before a
change); the files are still built here. Uses a throw-away SQLite database. Every loop is
bounded in count or time."""

import argparse
import html as html_lib
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

os.environ.setdefault("QA_SECRET_KEY", "benchmark-only-secret")

REPO = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
MB = 1024 * 1024
GIGA_ROWS = 200_000_000  # six-byte empty rows: 1.2 GB


def scenarios() -> dict[str, tuple[str, object]]:
    """name -> (file name, () -> the file's bytes or text)."""
    from tests.bad_input import hostile_files as h
    from tests.bad_input import hostile_text as t

    return {
        "(a) dimension A1:XFD1048576, a far cell": ("cases.xlsx", h.far_dimension),
        "(b) 1.2 GB of empty rows": ("cases.xlsx", lambda: h.empty_rows(GIGA_ROWS)),
        "(c) one 600 MB shared text": ("cases.xlsx", lambda: h.big_shared_string(600_000_000)),
        "one 600 MB inline text": ("cases.xlsx", lambda: h.big_inline_string(600_000_000)),
        "1,000 rows, each with a cell in XFD": ("cases.xlsx", lambda: h.far_cells(1000)),
        "a row of 10 million cells": ("cases.xlsx", lambda: h.wide_row(10_000_000)),
        "a row of 1 million cells, stored": (
            "cases.xlsx",
            lambda: h.wide_row(1_000_000, stored=True),
        ),
        "1 million empty rows, stored": ("cases.xlsx", lambda: h.empty_rows(1_000_000, True)),
        "300,000 shared texts, stored": (
            "cases.xlsx",
            lambda: h.many_shared_strings(300_000, stored=True),
        ),
        "100,000 cell styles, stored": ("cases.xlsx", lambda: h.many_styles(100_000, True)),
        "100,000 merged ranges, stored": ("cases.xlsx", lambda: h.merged_cells(100_000, True)),
        "300,000 cells, stored": ("cases.xlsx", lambda: h.dense_cells(50_000, 6)),
        "2,000 sheets": ("cases.xlsx", lambda: h.many_sheets(2_000)),
        "a zip of 50,000 files": ("cases.xlsx", lambda: h.many_members(50_000)),
        "XML entities (billion laughs)": ("cases.xlsx", h.entity_expansion),
        "XML nested 100,000 deep": ("cases.xlsx", lambda: h.deep_nesting(100_000)),
        "a tag of 8 MB": ("cases.xlsx", lambda: h.long_tag(8 * MB)),
        "a part packed with bzip2": ("cases.xlsx", h.bzip2_part),
        "a sheet lying: 100 MB declared 1 KB": ("cases.xlsx", lambda: h.lying_size(100 * MB)),
        "a nested workbook and odd names": ("cases.xlsx", h.odd_members),
        "CSV: a row of 5 million cells": ("cases.csv", lambda: t.csv_wide_row(5_000_000)),
        "CSV: one line of 10 million characters": (
            "cases.csv",
            lambda: t.csv_long_line(10_000_000),
        ),
        "CSV: 10 million blank lines": ("cases.csv", lambda: t.csv_many_blank_lines(10_000_000)),
        "CSV: 19,500 rows of 14 columns": ("cases.csv", lambda: t.csv_dense(19_500, notes=8)),
        "good: 20,000 cases, XLSX": ("cases.xlsx", lambda: good_case_list(20_000)),
        "just inside every limit at once": ("cases.xlsx", h.near_limits),
        "YAML: a billion laughs": ("template.yaml", lambda: t.yaml_laughs(9)),
        "YAML: nested 120,000 deep": ("template.yaml", lambda: t.yaml_deep(120_000)),
        "YAML: 100,000 keys (1.3 MB)": ("template.yaml", lambda: t.yaml_huge(100_000)),
    }


def good_case_list(rows: int) -> bytes:
    """A real-looking case list, as big as one upload may be: six columns, unknown teams (so
    that it is refused, row by row, and nothing is stored)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["case_reference", "team", "worker", "legal_status", "age_band", "date_opened"])
    for n in range(rows):
        sheet.append([f"{2000000 + n}", "Team X", f"SW {n % 300}", "CIN", "0-4", "2025-04-01"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---- one upload, in a process of its own ----------------------------------------------------


def _memory() -> dict[str, int]:
    """VmRSS and VmHWM of this process, in KB."""
    with open("/proc/self/status") as status:
        return {
            line.split(":")[0]: int(line.split()[1])
            for line in status
            if line.startswith(("VmRSS", "VmHWM"))
        }


def child(database: str, path: str, filename: str, cycle_id: int) -> None:
    """Post the file (or validate the template) once, printing READY <rss> and then DONE."""
    import gc

    data = Path(path).read_bytes()
    if filename.endswith(".yaml"):
        from qa_app.templates_engine.validate import validate_path

        folder = Path(path).parent / "templates"
        folder.mkdir(exist_ok=True)
        for name in ("scales.yaml", "themes.yaml"):
            (folder / name).write_bytes((REPO / "audit_templates" / name).read_bytes())
        (folder / filename).write_bytes(data)
        send = lambda: validate_path(folder)[1]  # noqa: E731
        judge = lambda problems: (200, "; ".join(p.message for p in problems[:1]))  # noqa: E731
    else:
        from werkzeug.datastructures import FileStorage
        from werkzeug.test import encode_multipart

        from qa_app import create_app
        from qa_app.demo.seed import DEMO_PASSWORD

        app = create_app({"SQLALCHEMY_DATABASE_URI": database})
        client = app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        form = {"csrf_token": CSRF.search(page)[1], "username": "qa.lead"}
        client.post("/sign-in", data=form | {"password": DEMO_PASSWORD})
        url = f"/cycles/{cycle_id}/case-list"
        token = CSRF.search(client.get(url).get_data(as_text=True))[1]
        upload = FileStorage(io.BytesIO(data), filename)
        boundary, body = encode_multipart({"csrf_token": token, "file": upload})
        kind = f"multipart/form-data; boundary={boundary}"
        send = lambda: client.post(url, data=body, content_type=kind)  # noqa: E731

        def judge(response):
            if response.status_code in (301, 302, 303):
                return response.status_code, f"stored ({response.status_code})"
            html = response.get_data(as_text=True)
            summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
            words = re.sub(r"<[^>]+>|\s+", " ", summary[1] if summary else "").strip()
            words = html_lib.unescape(words)
            return response.status_code, words

    gc.collect()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # the peak (VmHWM) starts again from here
    print("READY", _memory()["VmRSS"], flush=True)
    started = time.monotonic()
    status, said = judge(send())
    took = time.monotonic() - started
    print("DONE", json.dumps([took, _memory()["VmHWM"], status, said]), flush=True)


def _peak_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(x.split()[1]) for x in status if x.startswith("VmHWM"))
    except (OSError, StopIteration):
        return 0


def run_one(args, database, cycle_id, name, filename, data, folder) -> dict:
    path = folder / f"upload-{abs(hash(name))}"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    command = [sys.executable, str(Path(__file__).resolve()), "--child"]
    command += [database, str(path), filename, str(cycle_id)]
    env = os.environ | {"PYTHONPATH": f"{args.code}{os.pathsep}{REPO}"}
    process = subprocess.Popen(  # noqa: S603 (this script, our own arguments)
        command, cwd=args.code, env=env, stdout=subprocess.PIPE, text=True
    )
    result = {"name": name, "size": path.stat().st_size}
    try:
        ready = process.stdout.readline().split()
        if not ready or ready[0] != "READY":
            process.kill()
            return result | {"outcome": "the process failed to start"}
        baseline = int(ready[1])
        started = time.monotonic()
        done = _wait_line(process, args.timeout)
        if done is None:
            peak = _peak_kb(process.pid)
            process.kill()
            took = time.monotonic() - started
            return result | {"seconds": took, "rise": (peak - baseline) / 1024, "killed": True}
        took, peak, status, said = json.loads(done.removeprefix("DONE "))
        return result | {"seconds": took, "rise": (peak - baseline) / 1024, "said": said}
    finally:
        process.wait(timeout=30)
        path.unlink()


def _wait_line(process, timeout: float) -> str | None:
    """The process's next line, or None when it has not written one within `timeout`."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()))
    reader.daemon = True
    reader.start()
    reader.join(timeout)
    return lines[0].strip() if lines and lines[0].startswith("DONE") else None


def print_header() -> None:
    print(f"{'hostile upload':<40} {'size':>9} {'time':>8} {'peak rise':>10}  answer")


def print_rows(results: list[dict]) -> None:
    for r in results:
        size = f"{r['size'] / MB:.2f} MB" if r["size"] >= MB else f"{r['size'] / 1024:.1f} KB"
        if "seconds" not in r:
            print(f"{r['name']:<40} {size:>9}  {r['outcome']}")
            continue
        answer = "KILLED (still working)" if r.get("killed") else (r.get("said") or "no message")
        print(f"{r['name']:<40} {size:>9} {r['seconds']:7.2f}s {r['rise']:7.0f} MB  {answer[:110]}")


# ---- two at once against gunicorn ----------------------------------------------------------


def server_scenario(args, database: str, cycle_id: int, data: bytes, log: Path) -> None:
    from benchmarks.load import Browser
    from tests.support.live_server import free_port

    port = free_port()
    env = os.environ | {"QA_DATABASE_URL": database, "PYTHONPATH": str(args.code)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    command += ["--error-logfile", str(log), "--capture-output"]
    process = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [*command, "qa_app:create_app()"],
        cwd=args.code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        workers = _workers(process.pid)
        url = f"/cycles/{cycle_id}/case-list"
        leads = [Browser(base) for _ in range(2)]
        for lead in leads:
            _sign_in(lead)
        for _ in range(4):  # warm both workers up: pages, openpyxl, a refused upload
            for lead in leads:
                _post_file(lead, base, url, b"PK broken", "cases.xlsx")
        before = {}
        for pid in workers:
            with open(f"/proc/{pid}/clear_refs", "w") as clear:
                clear.write("5")
            before[pid] = _rss_kb(pid)
        outcomes: list[tuple[int, float]] = []

        def send(lead):
            started = time.monotonic()
            status = _post_file(lead, base, url, data, "cases.xlsx")
            outcomes.append((status, time.monotonic() - started))

        threads = [threading.Thread(target=send, args=(lead,)) for lead in leads]
        for thread in threads:
            thread.start()
        time.sleep(0.1)
        waits = []
        for _ in range(int(args.timeout / 0.2)):  # bounded: at most --timeout seconds of probes
            started = time.monotonic()
            try:
                urllib.request.urlopen(base + "/sign-in", timeout=60).read()  # noqa: S310
            except OSError:
                pass
            waits.append(time.monotonic() - started)
            if not any(t.is_alive() for t in threads) and len(waits) >= 10:
                break
            time.sleep(0.2)
        for thread in threads:
            thread.join(60)
        peaks = {pid: _peak_kb(pid) for pid in workers}
        rises = [(peaks[p] - before[p]) / 1024 for p in workers if peaks[p] and before[p]]
        print(
            "\ngunicorn, 2 sync workers, 127.0.0.1: two uploads of (a) at once; "
            f"answers {sorted(s for s, _ in outcomes)} in "
            f"{', '.join(f'{t:.2f} s' for _, t in sorted(outcomes))}; "
            f"workers' peak rise {', '.join(f'{r:.0f} MB' for r in rises) or 'unknown (restarted)'}"
        )
        print(
            f"GET /sign-in meanwhile ({len(waits)} requests): median "
            f"{statistics.median(waits) * 1000:.0f} ms, slowest {max(waits) * 1000:.0f} ms"
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        text = log.read_text(errors="replace") if log.exists() else ""
        killed = text.count("WORKER TIMEOUT")
        print(f"server log: {killed} workers killed for taking too long (WORKER TIMEOUT)")
        if "Traceback" in text and not killed:
            print(text[-3000:])


def _sign_in(browser) -> None:
    from qa_app.demo.seed import DEMO_PASSWORD

    _, page = browser.request("/sign-in")
    form = {"csrf_token": CSRF.search(page)[1], "username": "qa.lead", "password": DEMO_PASSWORD}
    status, _ = browser.request("/sign-in", form)
    if status != 302:
        raise RuntimeError(f"could not sign in as qa.lead (status {status})")


def _wait_until_up(base: str, process) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/sign-in", timeout=10)  # noqa: S310 (ours, http)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)


def _workers(master: int) -> list[int]:
    with open(f"/proc/{master}/task/{master}/children") as children:
        return [int(pid) for pid in children.read().split()]


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(x.split()[1]) for x in status if x.startswith("VmRSS"))


def _post_file(browser, base: str, url: str, data: bytes, filename: str) -> int:
    status, page = browser.request(url)
    token = CSRF.search(page)[1]
    boundary = "----hostile-upload-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(  # noqa: S310 (ours, http on 127.0.0.1)
        base + url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with browser.opener.open(request, timeout=90) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


# ---- main ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="run the scenarios whose name has this")
    parser.add_argument("--timeout", type=float, default=40.0)
    parser.add_argument("--no-server", action="store_true", help="skip the gunicorn scenario")
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout to run the app from")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        database, path, filename, cycle_id = args.child
        child(database, path, filename, int(cycle_id))
        return 0
    args.code = args.code.resolve()
    import logging

    from benchmarks.run import make_cycle, setup

    logging.getLogger("alembic").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="qa-hostile-") as tmp:
        folder = Path(tmp)
        database = f"sqlite:///{folder}/hostile.sqlite"
        cycle_id, _ = make_cycle(setup(database), 0)
        print(f"app from {args.code}; {os.cpu_count()} CPUs; each upload in a fresh process")
        results = []
        built = scenarios()
        print_header()
        for name, (filename, build) in built.items():
            if args.only and not any(word in name for word in args.only):
                continue
            data = build()
            results.append(run_one(args, database, cycle_id, name, filename, data, folder))
            print_rows(results[-1:])
        if not args.no_server:
            far = built["(a) dimension A1:XFD1048576, a far cell"][1]()
            server_scenario(args, database, cycle_id, far, folder / "gunicorn.log")
    return 0


if __name__ == "__main__":
    sys.exit(main())
