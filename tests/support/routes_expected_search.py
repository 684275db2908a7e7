"""Who may open the search page: whoever does case-level work (each sees only what they may
in the results, tests/search); never board viewers or administrators."""

from tests.support.route_walk import AUDITORS

EXPECTED = {"search.index": AUDITORS}
