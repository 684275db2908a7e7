"""Settings from the environment (QA_*), with safe defaults. No secret is ever hard-coded:
the secret key comes from QA_SECRET_KEY or is generated once into the instance folder."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _env_bool(name: str, default: bool | None = False) -> bool | None:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(instance_path: Path) -> str:
    url = os.environ.get("QA_DATABASE_URL")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    return f"sqlite:///{instance_path / 'practice_qa.sqlite'}"


def secret_key(instance_path: Path) -> str:
    """QA_SECRET_KEY if set; otherwise a key generated into instance/secret_key on first run."""
    if key := os.environ.get("QA_SECRET_KEY"):
        return key
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def defaults(instance_path: Path) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": secret_key(instance_path),
        "MAX_CONTENT_LENGTH": _env_int("QA_MAX_UPLOAD_MB", 10) * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # None: Secure unless served on 127.0.0.1 over HTTP (qa_app.web.session_cookie)
        "SESSION_COOKIE_SECURE": _env_bool("QA_SECURE_COOKIES", None),
        "SESSION_COOKIE_NAME": "practice_qa_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_env_int("QA_SESSION_MAX_HOURS", 10)),
        "QA_SESSION_IDLE_MINUTES": _env_int("QA_SESSION_IDLE_MINUTES", 30),
        "QA_SESSION_MAX_HOURS": _env_int("QA_SESSION_MAX_HOURS", 10),
        "QA_BEHIND_PROXY": _env_bool("QA_BEHIND_PROXY"),
        # The sign-in throttle (qa_app/data/sign_in_throttle.py), all over one window: failures
        # before each further attempt from one address (or one known browser) waits 2^(n-3) s;
        # failures from browsers without the account's device cookie before the account is
        # locked for them; failures from one known browser before it is locked; failures from
        # one address, any accounts, before it is locked; how long a device cookie lasts.
        "QA_SIGN_IN_WINDOW_MINUTES": _env_int("QA_SIGN_IN_WINDOW_MINUTES", 15),
        "QA_SIGN_IN_BACKOFF_AFTER": _env_int("QA_SIGN_IN_BACKOFF_AFTER", 3),
        "QA_SIGN_IN_MAX_FAILURES": _env_int("QA_SIGN_IN_MAX_FAILURES", 10),
        "QA_SIGN_IN_MAX_FAILURES_PER_DEVICE": _env_int("QA_SIGN_IN_MAX_FAILURES_PER_DEVICE", 5),
        "QA_SIGN_IN_MAX_FAILURES_PER_IP": _env_int("QA_SIGN_IN_MAX_FAILURES_PER_IP", 50),
        "QA_SIGN_IN_DEVICE_DAYS": _env_int("QA_SIGN_IN_DEVICE_DAYS", 180),
        "QA_TEMPLATES_DIR": os.environ.get(
            "QA_TEMPLATES_DIR", str(PROJECT_ROOT / "audit_templates")
        ),
        "QA_FRONTEND_DIR": os.environ.get(
            "QA_FRONTEND_DIR",
            str(PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
        ),
        "QA_BUILD_DIR": os.environ.get(
            "QA_BUILD_DIR", str(PROJECT_ROOT / "qa_app" / "static" / "build")
        ),
        "QA_MIN_PASSWORD_LENGTH": 12,
        # a request's database work stops after this (gunicorn's worker timeout is 30 s)
        "QA_REQUEST_SECONDS": _env_int("QA_REQUEST_SECONDS", 20),
        # the council's own bank holidays (qa_app.rules.uk_time.BankHolidays.from_file), if any
        "QA_BANK_HOLIDAYS_FILE": os.environ.get(
            "QA_BANK_HOLIDAYS_FILE", str(instance_path / "bank_holidays.yaml")
        ),
        "QA_CONCERN_WORKING_DAYS": _env_int("QA_CONCERN_WORKING_DAYS", 1),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        **notification_settings(),
        **sso_settings(),
    }


def sso_settings() -> dict:
    """Single sign-on through the council's identity provider (OpenID Connect), off unless
    QA_OIDC_ISSUER is set; checked when the app is built (qa_app/auth/sso_client.py), and the
    local sign-in rule, which applies with or without it. docs/deployment.md has each."""
    return {
        "QA_OIDC_ISSUER": os.environ.get("QA_OIDC_ISSUER", "").strip(),
        "QA_OIDC_CLIENT_ID": os.environ.get("QA_OIDC_CLIENT_ID", ""),
        "QA_OIDC_CLIENT_SECRET": os.environ.get("QA_OIDC_CLIENT_SECRET", ""),
        "QA_OIDC_SCOPES": os.environ.get("QA_OIDC_SCOPES", "openid profile email"),
        "QA_OIDC_BUTTON_TEXT": os.environ.get(
            "QA_OIDC_BUTTON_TEXT", "Sign in with your council account"
        ),
        # the YAML file mapping directory groups (or app roles) to roles and teams
        "QA_OIDC_MAPPING": os.environ.get("QA_OIDC_MAPPING", ""),
        # create: an account is made at a person's first council sign-in; pre-created: only
        # accounts an administrator made (matched by username) may sign in
        "QA_OIDC_ACCOUNTS": os.environ.get("QA_OIDC_ACCOUNTS", "create"),
        "QA_OIDC_TIMEOUT_SECONDS": _env_int("QA_OIDC_TIMEOUT_SECONDS", 5),
        "QA_OIDC_LEEWAY_SECONDS": _env_int("QA_OIDC_LEEWAY_SECONDS", 60),
        # all: every account may sign in with its password; break-glass: only the accounts in
        # QA_BREAK_GLASS_USERS (comma-separated usernames, administrators) may
        "QA_LOCAL_SIGN_IN": os.environ.get("QA_LOCAL_SIGN_IN", "all"),
        "QA_BREAK_GLASS_USERS": os.environ.get("QA_BREAK_GLASS_USERS", ""),
    }


def notification_settings() -> dict:
    """Notifications and email (qa_app.services.notifications; docs/deployment.md). Email is
    off unless QA_MAIL_CHANNEL says smtp or notify: `make run` never tries to send mail.
    Credentials come only from the environment."""
    return {
        "QA_MAIL_CHANNEL": os.environ.get("QA_MAIL_CHANNEL", "none").strip().lower() or "none",
        "QA_MAIL_FROM": os.environ.get("QA_MAIL_FROM", ""),
        "QA_SMTP_HOST": os.environ.get("QA_SMTP_HOST", ""),
        "QA_SMTP_PORT": _env_int("QA_SMTP_PORT", 587),
        # starttls (upgrade a plain connection, usually port 587), tls (implicit TLS, usually
        # 465) or none (only for a relay on the same host or a test server)
        "QA_SMTP_TLS": os.environ.get("QA_SMTP_TLS", "starttls").strip().lower() or "starttls",
        "QA_SMTP_USERNAME": os.environ.get("QA_SMTP_USERNAME", ""),
        "QA_SMTP_PASSWORD": os.environ.get("QA_SMTP_PASSWORD", ""),
        "QA_SMTP_TIMEOUT": _env_int("QA_SMTP_TIMEOUT", 20),
        "QA_NOTIFY_API_KEY": os.environ.get("QA_NOTIFY_API_KEY", ""),
        "QA_NOTIFY_TEMPLATE_ID": os.environ.get("QA_NOTIFY_TEMPLATE_ID", ""),
        "QA_NOTIFY_BASE_URL": os.environ.get(
            "QA_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
        ),
        # every email links into the app at this address
        "QA_BASE_URL": os.environ.get("QA_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        # the council's own wording: files here replace the shipped email_templates/
        "QA_EMAIL_TEMPLATES_DIR": os.environ.get("QA_EMAIL_TEMPLATES_DIR", ""),
        "QA_MAIL_BATCH": _env_int("QA_MAIL_BATCH", 50),
        "QA_MAIL_LEASE_SECONDS": _env_int("QA_MAIL_LEASE_SECONDS", 300),
        "QA_MAIL_MAX_ATTEMPTS": _env_int("QA_MAIL_MAX_ATTEMPTS", 20),
        "QA_MAIL_RETRY_SECONDS": _env_int("QA_MAIL_RETRY_SECONDS", 60),
        "QA_MAIL_RETRY_MAX_SECONDS": _env_int("QA_MAIL_RETRY_MAX_SECONDS", 3600),
        # "due soon" reminders this many working days before an audit or action is due
        "QA_REMINDER_WORKING_DAYS": _env_int("QA_REMINDER_WORKING_DAYS", 3),
        # the practitioner's response is wanted this many working days after submission
        "QA_RESPONSE_WORKING_DAYS": _env_int("QA_RESPONSE_WORKING_DAYS", 10),
        # who hears when an urgent concern passes its deadline with no response (roles)
        "QA_CONCERN_ESCALATE_TO": os.environ.get("QA_CONCERN_ESCALATE_TO", "senior_manager"),
        # digests go out at the first round after this hour (UK time); weekly ones on Mondays
        "QA_DIGEST_HOUR": _env_int("QA_DIGEST_HOUR", 7),
    }
