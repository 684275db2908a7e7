"""Known vulnerabilities in the installed Python dependencies: `make audit`.

Runs `pip-audit --strict` over the project's virtualenv (the project itself, installed
editable, is skipped: it is not on PyPI). --strict matters: without it pip-audit passes
silently when it cannot look a package up. First this checks that a vulnerability service can
be reached, PyPI's (the default) or else OSV's, and audits against the one that answers.

Exit status: pip-audit's own (0 clean, 1 vulnerabilities found or a package not audited), or 3
when no vulnerability service can be reached: then it says loudly that nothing was audited,
never a pass. CI sets AUDIT_OFFLINE_OK=1 so that an offline machine reports "NOT AUDITED" in
its log without failing the run; anywhere else offline is a failure."""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

TIMEOUT = 15  # seconds per probe
# A release with a published vulnerability, so a real answer has a non-empty list.
PYPI_PROBE = "https://pypi.org/pypi/jinja2/2.10/json"
OSV_PROBE = "https://api.osv.dev/v1/query"
OSV_QUERY = {"package": {"name": "jinja2", "ecosystem": "PyPI"}, "version": "2.10"}
OFFLINE = 3


def _pypi() -> str | None:
    """None if PyPI's per-release vulnerability data answers, else why not."""
    try:
        with urllib.request.urlopen(PYPI_PROBE, timeout=TIMEOUT) as response:  # noqa: S310
            data = json.load(response)
    except (OSError, ValueError) as error:
        return f"{PYPI_PROBE}: {error}"
    return None if data.get("vulnerabilities") else f"{PYPI_PROBE}: no vulnerability data"


def _osv() -> str | None:
    request = urllib.request.Request(  # noqa: S310  (a fixed https address)
        OSV_PROBE,
        data=json.dumps(OSV_QUERY).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            data = json.load(response)
    except (OSError, ValueError) as error:
        return f"{OSV_PROBE}: {error}"
    return None if data.get("vulns") else f"{OSV_PROBE}: no vulnerability data"


def main() -> int:
    why_not = {}
    for service, probe in (("pypi", _pypi), ("osv", _osv)):
        problem = probe()
        if problem is None:
            break
        why_not[service] = problem
    else:
        print("=" * 78)
        print("DEPENDENCIES NOT AUDITED: no vulnerability service could be reached.")
        for problem in why_not.values():
            print(f"  {problem}")
        print("Run `make audit` where pypi.org or api.osv.dev can be reached.")
        print("=" * 78)
        return 0 if os.environ.get("AUDIT_OFFLINE_OK") == "1" else OFFLINE
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "--strict", "--skip-editable", "--vulnerability-service", service]
    print("Auditing the installed dependencies:", " ".join(command[1:]), flush=True)
    return subprocess.call(command)  # noqa: S603  (our own pip-audit, fixed arguments)


if __name__ == "__main__":
    sys.exit(main())
