"""A real OpenID Connect provider for the single sign-on tests: tests/support/oidc_provider.mjs
(panva's oidc-provider under node) on a free port of 127.0.0.1, with its clients and accounts
in a JSON file written here; and the person's side of the flow at the provider, driven with
requests (a cookie jar, no browser): open the authorization address, sign in as an account,
and come back with the address the provider sends the browser to (the app's callback).

Skipped, saying why, only when node or the npm package is missing (`make test` installs both)."""

import base64
import hashlib
import json
import re
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
PACKAGE = REPO / "node_modules" / "oidc-provider" / "package.json"
CLIENT_ID = "practice-qa"
CLIENT_SECRET = "test-client-secret-for-the-test-provider-only"  # noqa: S105 (a test's own)
OTHER_CLIENT_ID = "another-app"
OTHER_SECRET = "another-apps-secret-for-the-test-provider-only"  # noqa: S105
OTHER_REDIRECT = "http://127.0.0.1:9/another-app/callback"
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def skip_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed (make test installs it): the SSO tests need a real provider"
    if not PACKAGE.exists():
        return "the npm package oidc-provider is not installed (run npm ci)"
    return None


@dataclass
class Provider:
    """A running provider: its issuer address and the file its accounts are read from."""

    issuer: str
    path: Path
    config: dict[str, Any]
    process: subprocess.Popen = field(repr=False)

    def set_accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        self.config["accounts"] = accounts
        self.path.write_text(json.dumps(self.config))

    def set_groups(self, account: str, groups: list[str]) -> None:
        self.config["accounts"][account]["groups"] = groups
        self.path.write_text(json.dumps(self.config))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start(folder: Path, redirect_uris: list[str], post_logout_redirect_uris: list[str]) -> Provider:
    """Start a provider with our client and another app's, and wait (bounded) for discovery."""
    if reason := skip_reason():
        pytest.skip(reason)
    port = free_port()
    config = {
        "port": port,
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
                "post_logout_redirect_uris": post_logout_redirect_uris,
            },
            {
                "client_id": OTHER_CLIENT_ID,
                "client_secret": OTHER_SECRET,
                "redirect_uris": [OTHER_REDIRECT],
            },
        ],
        "accounts": {},
    }
    path = folder / "oidc_provider.json"
    path.write_text(json.dumps(config))
    with (folder / "oidc_provider.log").open("w") as log:  # the child keeps its own copy
        process = subprocess.Popen(  # noqa: S603 (our own script, fixed arguments)
            ["node", str(SCRIPT), str(path)], stdout=log, stderr=subprocess.STDOUT, cwd=REPO
        )
    issuer = f"http://127.0.0.1:{port}"
    provider = Provider(issuer, path, config, process)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the test provider stopped: {(folder / 'oidc_provider.log').read_text()}"
            )
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                return provider
        except requests.RequestException:
            pass
        time.sleep(0.2)
    provider.stop()
    raise RuntimeError(f"the test provider did not start within {START_SECONDS} seconds")


def account(username: str, groups: list[str], name: str = "", email: str = "") -> dict[str, Any]:
    return {
        "name": name or f"Test {username}",
        "email": email or f"{username}@council.example",
        "preferred_username": username,
        "groups": groups,
    }


def through_provider(start_url: str, issuer: str, login: str, browser=None) -> str:
    """Follow the authorization address at the provider, signing in as `login`, until the
    provider sends the browser away from itself; that address. Bounded in steps and time."""
    browser = browser or requests.Session()
    url = start_url
    for _ in range(12):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="login"' in response.text:
            found = re.search(r'action="([^"]+)"', response.text)
            assert found, response.text
            response = browser.post(
                urljoin(url, found.group(1)),
                data={"login": login},
                allow_redirects=False,
                timeout=10,
            )
        assert response.status_code in (302, 303), (response.status_code, response.text[:500])
        url = urljoin(url, response.headers["Location"])
        if not url.startswith(issuer):
            return url
    raise AssertionError("the provider kept redirecting")


def other_apps_id_token(provider: Provider, login: str, nonce: str) -> str:
    """An ID token the provider issues to another app (its own audience) for `login`, carrying
    `nonce`: what a token meant for another app, replayed at ours, looks like."""
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    query = {
        "client_id": OTHER_CLIENT_ID,
        "response_type": "code",
        "scope": "openid profile email",
        "redirect_uri": OTHER_REDIRECT,
        "state": "s" * 20,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    back = through_provider(f"{provider.issuer}/auth?{urlencode(query)}", provider.issuer, login)
    code = parse_qs(urlsplit(back).query)["code"][0]
    response = requests.post(
        f"{provider.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": OTHER_REDIRECT,
            "code_verifier": verifier,
        },
        auth=(OTHER_CLIENT_ID, OTHER_SECRET),
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["id_token"]
