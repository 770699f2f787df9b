"""Who may call the service: bearer tokens for ingest, a page token for the incident pages.

Tokens are compared in constant time against every configured token (no early
exit, so timing tells nothing about which one nearly matched). An empty token list
means the route is open; ``shitstorm serve`` allows that only on 127.0.0.1.

The incident pages accept the page tokens (``SHITSTORM_PAGE_TOKEN``; without one the
ingest tokens) as ``Authorization: Bearer …``, as ``?token=…`` in a link (the answer
then sets an HttpOnly, SameSite=Strict cookie so the token does not stay in the
address bar) or as that cookie.

>>> tokens = Tokens(["s3cret", "other"])
>>> tokens.accepts("s3cret"), tokens.accepts("s3cre"), tokens.accepts(None)
(True, False, False)
>>> bearer("Bearer s3cret"), bearer("Basic abc"), bearer(None)
('s3cret', None, None)
>>> Tokens([]).open
True
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

__all__ = ["PAGE_COOKIE", "Tokens", "bearer"]

PAGE_COOKIE = "shitstorm_page"


def bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class Tokens:
    """A set of accepted secrets, compared in constant time."""

    def __init__(self, tokens: Iterable[str]) -> None:
        self._tokens = [t.strip().encode("utf-8") for t in tokens if t and t.strip()]

    def __repr__(self) -> str:
        return f"Tokens({len(self._tokens)} configured)"

    @property
    def open(self) -> bool:
        """No token configured: everybody is let in."""
        return not self._tokens

    def accepts(self, token: str | None) -> bool:
        given = (token or "").encode("utf-8")
        ok = False
        for expected in self._tokens:
            ok |= hmac.compare_digest(expected, given)
        return ok and bool(given)
