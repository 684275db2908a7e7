"""The council's identity provider (OpenID Connect), through Authlib's Flask client.

Settings (QA_OIDC_*, QA_LOCAL_SIGN_IN, QA_BREAK_GLASS_USERS; qa_app/config.py) are checked when
the app is built, naming the setting at fault, and the mapping file is read then (its problems
named by file and line). The provider itself is never asked anything then: its discovery
document is loaded at the first council sign-in (HTTP with a bounded timeout), so the app starts
and local break-glass sign-in works while the provider is down.

The flow is the authorization code flow with PKCE (S256), `state` and `nonce` kept in the Flask
session by Authlib and checked, each used once. The ID token is checked by Authlib and joserfc
(signature against the provider's published keys; exp, iat and nbf with QA_OIDC_LEEWAY_SECONDS;
nonce; azp when there are several audiences) with what Authlib leaves to us made explicit here:
`iss` must be the configured issuer (not whatever the discovery document says), `aud` must hold
our client id, `sub` must be present, and a token response without an ID token is refused."""

import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from authlib.oidc.core import CodeIDToken
from flask import Flask, current_app, request
from joserfc.errors import JoseError

from qa_app.rules.sso_mapping import Mapping, MappingError, load_mapping
from qa_app.web.security import origin_of

NAME = "council"
ACCOUNT_MODES = ("create", "pre-created")
LOCAL_MODES = ("all", "break-glass")


class SsoConfigError(RuntimeError):
    """The single sign-on settings cannot work; the message names the setting."""


class SsoFailure(Exception):
    """A council sign-in that failed: `detail` is for the security log only. `provider_down`
    when the provider could not be reached."""

    def __init__(self, detail: str, *, provider_down: bool = False):
        super().__init__(detail)
        self.detail = detail[:400]
        self.provider_down = provider_down


@dataclass(frozen=True)
class SsoSettings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    button_text: str
    mapping_path: str
    create_accounts: bool
    timeout: int
    leeway: int


@dataclass(frozen=True)
class LocalSignIn:
    """Who may sign in with a Practice QA password: everyone, or only the break-glass accounts."""

    break_glass_only: bool
    break_glass: frozenset[str]

    def allows(self, username: str) -> bool:
        return not self.break_glass_only or username.strip().lower() in self.break_glass


def clock() -> float:
    """The clock ID tokens are judged by (tests move it to check expiry)."""
    return time.time()


def local_sign_in(config) -> LocalSignIn:
    mode = str(config.get("QA_LOCAL_SIGN_IN") or "all").strip().lower()
    if mode not in LOCAL_MODES:
        raise SsoConfigError(f"QA_LOCAL_SIGN_IN must be all or break-glass, not {mode!r}")
    names = str(config.get("QA_BREAK_GLASS_USERS") or "")
    listed = frozenset(n.strip().lower() for n in names.split(",") if n.strip())
    if mode == "break-glass" and not listed:
        raise SsoConfigError(
            "QA_LOCAL_SIGN_IN=break-glass needs QA_BREAK_GLASS_USERS: the usernames (comma "
            "separated) of the administrator accounts that may still sign in with a password"
        )
    return LocalSignIn(mode == "break-glass", listed)


def settings(config) -> SsoSettings | None:
    """The single sign-on settings, or None when QA_OIDC_ISSUER is not set (SSO is off)."""
    issuer = str(config.get("QA_OIDC_ISSUER") or "").strip().rstrip("/")
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://")):
        raise SsoConfigError(f"QA_OIDC_ISSUER must be the provider's https:// address: {issuer!r}")
    required = {
        "QA_OIDC_CLIENT_ID": "the application (client) id the provider gave the app",
        "QA_OIDC_CLIENT_SECRET": "the client secret the provider gave the app",
        "QA_OIDC_MAPPING": "the path of the file mapping directory groups to roles and teams",
    }
    for name, what in required.items():
        if not str(config.get(name) or "").strip():
            raise SsoConfigError(f"QA_OIDC_ISSUER is set, so {name} is needed: {what}")
    scopes = str(config.get("QA_OIDC_SCOPES") or "openid profile email").strip()
    if "openid" not in scopes.split():
        raise SsoConfigError(f"QA_OIDC_SCOPES must include openid: {scopes!r}")
    accounts = str(config.get("QA_OIDC_ACCOUNTS") or "create").strip().lower()
    if accounts not in ACCOUNT_MODES:
        raise SsoConfigError(f"QA_OIDC_ACCOUNTS must be create or pre-created, not {accounts!r}")
    return SsoSettings(
        issuer=issuer,
        client_id=str(config["QA_OIDC_CLIENT_ID"]).strip(),
        client_secret=str(config["QA_OIDC_CLIENT_SECRET"]).strip(),
        scopes=scopes,
        button_text=str(config.get("QA_OIDC_BUTTON_TEXT") or "").strip()
        or "Sign in with your council account",
        mapping_path=str(config["QA_OIDC_MAPPING"]).strip(),
        create_accounts=accounts == "create",
        timeout=int(config.get("QA_OIDC_TIMEOUT_SECONDS") or 5),
        leeway=int(config.get("QA_OIDC_LEEWAY_SECONDS", 60)),
    )


class Sso:
    """Single sign-on as configured: the settings, the mapping and the provider's client."""

    def __init__(self, chosen: SsoSettings, mapping: Mapping):
        self.settings = chosen
        self.mapping = mapping
        self.client = FlaskOAuth2App(
            FlaskIntegration(NAME),
            name=NAME,
            client_id=chosen.client_id,
            client_secret=chosen.client_secret,
            server_metadata_url=f"{chosen.issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": chosen.scopes,
                "code_challenge_method": "S256",
                "default_timeout": chosen.timeout,
            },
        )

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (fetched once, then kept), checked to be the
        configured issuer's; SsoFailure(provider_down) when it cannot be had."""
        try:
            found = self.client.load_server_metadata()
        except (requests.RequestException, ValueError) as exc:
            raise SsoFailure(
                f"provider unreachable: {type(exc).__name__}", provider_down=True
            ) from None
        if str(found.get("issuer") or "").rstrip("/") != self.settings.issuer:
            self.client.server_metadata.pop("_loaded_at", None)  # ask again next time
            raise SsoFailure(
                f"discovery names issuer {found.get('issuer')!r}, not the configured one"
            )
        return found

    def redirect_to_provider(self, redirect_uri: str):
        self.metadata()
        try:
            return self.client.authorize_redirect(redirect_uri)
        except (requests.RequestException, RuntimeError) as exc:
            raise SsoFailure(
                f"provider unreachable: {type(exc).__name__}", provider_down=True
            ) from None

    def finish(self) -> tuple[dict[str, Any], str]:
        """(the validated ID token's claims, the raw ID token) from the provider's answer on
        the callback, or SsoFailure saying what was wrong."""
        if error := request.args.get("error"):
            said = request.args.get("error_description") or ""
            raise SsoFailure(f"provider returned {error}: {said}")
        said_by = request.args.get("iss")  # RFC 9207: who answered, where the provider says
        if said_by is not None and said_by.rstrip("/") != self.settings.issuer:
            raise SsoFailure(f"the answer came from issuer {said_by[:100]!r}, not ours (mix-up?)")
        self.metadata()
        options = {
            "iss": {"essential": True, "value": self.settings.issuer},
            "aud": {"essential": True, "value": self.settings.client_id},
            "sub": {"essential": True},
            "nonce": {"essential": True},
        }
        try:
            token = self.client.authorize_access_token(
                claims_options=options, claims_cls=_IdToken, leeway=self.settings.leeway
            )
        except MismatchingStateError:
            raise SsoFailure("state missing, not ours or already used (replay?)") from None
        except OAuthError as exc:
            raise SsoFailure(f"provider refused the code: {exc.error}: {exc.description}") from None
        except requests.RequestException as exc:
            raise SsoFailure(
                f"provider unreachable at the token endpoint: {type(exc).__name__}",
                provider_down=True,
            ) from None
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise SsoFailure(f"ID token refused: {type(exc).__name__}: {exc}") from None
        claims, raw = token.get("userinfo"), token.get("id_token")
        if not claims or not isinstance(raw, str):
            raise SsoFailure("the token response held no ID token")
        return dict(claims), raw

    def logout_url(self, id_token: str, after: str) -> str | None:
        """The provider's end-session address for this ID token (or our client id, when the
        token was too long to keep), or None when it has none or cannot be reached (the local
        sign-out is complete either way)."""
        try:
            ending = str(self.metadata().get("end_session_endpoint") or "")
            # the page's form-action allows the issuer's origin only (qa_app.web.security)
            if not ending or origin_of(ending) != origin_of(self.settings.issuer):
                return None
            hint = {"id_token_hint": id_token} if id_token else {"client_id": self.client.client_id}
            made = self.client.create_logout_url(post_logout_redirect_uri=after, **hint)
        except (SsoFailure, RuntimeError):
            return None
        return str(made["url"])


class _IdToken(CodeIDToken):
    """Authlib's ID token checks, judged by this module's clock."""

    def validate(self, now=None, leeway=0):
        super().validate(now=int(clock()), leeway=leeway)


def _key(config) -> tuple:
    return tuple(
        str(config.get(k) or "")
        for k in (
            "QA_OIDC_ISSUER",
            "QA_OIDC_CLIENT_ID",
            "QA_OIDC_CLIENT_SECRET",
            "QA_OIDC_SCOPES",
            "QA_OIDC_BUTTON_TEXT",
            "QA_OIDC_MAPPING",
            "QA_OIDC_ACCOUNTS",
            "QA_OIDC_TIMEOUT_SECONDS",
            "QA_OIDC_LEEWAY_SECONDS",
        )
    )


def build(config) -> Sso | None:
    """Single sign-on from these settings (None when off), or SsoConfigError."""
    chosen = settings(config)
    if chosen is None:
        return None
    try:
        mapping = load_mapping(chosen.mapping_path)
    except MappingError as exc:
        raise SsoConfigError(f"QA_OIDC_MAPPING: the mapping file has problems:\n{exc}") from None
    return Sso(chosen, mapping)


def init_app(app: Flask) -> None:
    """Check the settings and read the mapping when the app is built: a problem stops it."""
    local_sign_in(app.config)
    app.extensions["qa_sso"] = (_key(app.config), build(app.config))


def current() -> Sso | None:
    """Single sign-on for this app, or None when it is off (built again if the settings were
    changed since, as tests do)."""
    key, sso = current_app.extensions.get("qa_sso", (None, None))
    if key != _key(current_app.config):
        sso = build(current_app.config)
        current_app.extensions["qa_sso"] = (_key(current_app.config), sso)
    return sso
