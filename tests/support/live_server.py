"""gunicorn serving the app on the test database, for the tests that need a real server
(concurrent saves, browser journeys): one way to start it, wait for it and stop it.

A test talking to the live server on SQLite must not hold the write lock while the server
works: outside a request every transaction begins IMMEDIATE, so reading an expired ORM
attribute in the test process takes the lock. Read what you need first, roll back, then act."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

BOOT_SECONDS = 90  # a loaded machine boots gunicorn's workers slowly


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn_serving(app, *, workers: int = 2, port: int | None = None, env: dict | None = None):
    """Start gunicorn on a free port of 127.0.0.1 (or `port`) with the app's database and
    secret key, and any more settings in `env`; yield its base URL once it answers; stop it
    afterwards."""
    port = port or free_port()
    env = os.environ | {
        "QA_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "QA_SECRET_KEY": app.config["SECRET_KEY"],
        **(env or {}),
    }
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    command = [gunicorn, "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
    command += ["--no-control-socket", "qa_app:create_app()"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + BOOT_SECONDS
        while True:
            try:
                urllib.request.urlopen(base + "/sign-in", timeout=10)  # noqa: S310 (ours, http)
                break
            except urllib.error.HTTPError:  # it answers: up (a broken page fails the test)
                break
            except OSError:  # refused, reset or timed out while the workers boot
                if process.poll() is not None:
                    pytest.fail(f"gunicorn exited with {process.returncode}")
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start within {BOOT_SECONDS} s")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
