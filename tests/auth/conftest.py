"""Fixtures for the sign-in tests: the single sign-on ones (tests/auth/sso.py)."""

from tests.auth.sso import oidc_provider, use_sso  # noqa: F401 (fixtures)
