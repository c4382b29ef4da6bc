"""Signed per-journey tokens (itsdangerous, which Flask already ships).

A token names one journey and is valid for ``token_max_age_s``; the API
takes it as ``Authorization: Bearer <token>``. Once the journey has ended
(account opened, consent declined, identity refused) its journey tokens are
revoked; the opened account is then read with an *account token*
(:func:`issue_account`, a different salt, valid ``account_token_max_age_s``),
which is good for nothing else. Being a bearer header and not
a cookie, it is not sent by a cross-site form, so the JSON API needs no CSRF
token; the HTML form posts have one (:mod:`barrierfree.web.journey.csrf`).
"""

from __future__ import annotations

from flask import current_app, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from barrierfree import errors
from barrierfree.errors import Unauthorized

SALT = "barrierfree.journey-token"
ACCOUNT_SALT = "barrierfree.account-token"


class Forbidden(errors.Forbidden):
    """A valid token for another journey (HTTP 403)."""

    default_code = "token-mismatch"


def _serializer(secret: str | None = None, salt: str = SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret or current_app.extensions["barrierfree.settings"].web.secret_key, salt=salt)


def issue(journey_id: str, secret: str | None = None) -> str:
    return _serializer(secret).dumps({"j": journey_id})


def issue_account(journey_id: str) -> str:
    """A short-lived token that reads this journey's opened account and nothing else."""
    return _serializer(salt=ACCOUNT_SALT).dumps({"j": journey_id})


def journey_of(token: str, max_age_s: int, secret: str | None = None, salt: str = SALT) -> str:
    """The journey id a token names; :class:`Unauthorized` when it is forged or expired."""
    try:
        payload = _serializer(secret, salt).loads(token, max_age=max_age_s)
    except SignatureExpired:
        raise Unauthorized("token-expired", "This journey's token has expired; start again, or resume from the page that started it.") from None
    except BadSignature:
        raise Unauthorized("bad-token", "The journey token is not valid; use the token the start request returned.") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("j"), str):
        raise Unauthorized("bad-token", "The journey token is not valid; use the token the start request returned.")
    return payload["j"]


def require(journey_id: str, max_age_s: int, salt: str = SALT) -> None:
    """Check the request's bearer token names ``journey_id`` (a journey token, or with ``ACCOUNT_SALT`` an account token)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("missing-token", "Send the journey token as 'Authorization: Bearer <token>'.")
    if journey_of(token.strip(), max_age_s, salt=salt) != journey_id:
        raise Forbidden("token-mismatch", "This token belongs to another journey.")


def revoked() -> Unauthorized:
    return Unauthorized("token-revoked", "This journey has ended, so its token no longer works. "
                        "Read an opened account with the account token the confirmation returned.")
