"""tools/dependency_audit.py (`make audit`): pip-audit --strict against the service that
answers; offline, it says nothing was audited and fails (unless AUDIT_OFFLINE_OK=1), never a
silent pass. No network here: the probes and pip-audit are stood in for."""

import importlib.util
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "tools" / "dependency_audit.py"


@pytest.fixture
def tool(monkeypatch):
    spec = importlib.util.spec_from_file_location("dependency_audit", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls = []
    monkeypatch.setattr(module.subprocess, "call", lambda command: calls.append(command) or 0)
    monkeypatch.delenv("AUDIT_OFFLINE_OK", raising=False)
    module.calls = calls
    return module


def test_offline_says_nothing_was_audited_and_fails(tool, monkeypatch, capsys):
    monkeypatch.setattr(tool, "_pypi", lambda: "pypi: 404")
    monkeypatch.setattr(tool, "_osv", lambda: "osv: name not known")
    assert tool.main() == tool.OFFLINE
    out = capsys.readouterr().out
    assert "DEPENDENCIES NOT AUDITED" in out and "pypi: 404" in out and "osv: name" in out
    assert tool.calls == []


def test_offline_allowed_by_ci_still_says_so(tool, monkeypatch, capsys):
    monkeypatch.setattr(tool, "_pypi", lambda: "pypi: 404")
    monkeypatch.setattr(tool, "_osv", lambda: "osv: down")
    monkeypatch.setenv("AUDIT_OFFLINE_OK", "1")
    assert tool.main() == 0
    assert "DEPENDENCIES NOT AUDITED" in capsys.readouterr().out


@pytest.mark.parametrize(("pypi", "service"), [(None, "pypi"), ("pypi: 404", "osv")])
def test_audits_strictly_against_the_service_that_answers(tool, monkeypatch, pypi, service):
    monkeypatch.setattr(tool, "_pypi", lambda: pypi)
    monkeypatch.setattr(tool, "_osv", lambda: None)
    assert tool.main() == 0
    [command] = tool.calls
    assert command[0].endswith("pip-audit")
    assert command[1:] == ["--strict", "--skip-editable", "--vulnerability-service", service]
