"""Helpers shared by tests: the test password, CSRF tokens, signing in, page hygiene."""

import re

PASSWORD = "correct-horse-battery"
CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def check_page(response) -> None:
    html = response.get_data(as_text=True)
    if response.status_code in (301, 302, 303, 307, 308):
        return
    title = re.search(r"<title[^>]*>([^<]*)</title>", html)
    assert title and title.group(1).strip(), "page has no title"
    for form in re.findall(r"<form[^>]*>", html):
        assert "action=" in form, f"form without an action: {form}"
    csp = response.headers.get("Content-Security-Policy", "")
    nonce = re.search(r"'nonce-([^']+)'", csp)
    for script in re.findall(r"<script[^>]*>", html):
        if "src=" in script:
            continue
        assert nonce and f'nonce="{nonce.group(1)}"' in script, (
            f"inline script without nonce: {script}"
        )


def csrf_token(client, url: str = "/") -> str:
    """A CSRF token from a page the client can see (every signed-in page has the sign-out form)."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def sign_in(client, username: str, password: str = PASSWORD, follow_redirects: bool = False):
    token = csrf_token(client, "/sign-in")
    return client.post(
        "/sign-in",
        data={"csrf_token": token, "username": username, "password": password},
        follow_redirects=follow_redirects,
    )
