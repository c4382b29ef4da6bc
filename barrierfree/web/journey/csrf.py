"""CSRF protection for the journey's HTML form posts.

A random token lives in the signed session cookie and in a hidden field of
every form; a post whose field does not match is refused. (The JSON API uses
a bearer token header instead, which a cross-site form cannot send.)
"""

from __future__ import annotations

import hmac
import secrets

from flask import request, session

from barrierfree.errors import BadInput


def token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def check() -> None:
    expected = session.get("csrf")
    sent = request.form.get("csrf_token", "")
    # Compared as UTF-8 bytes: compare_digest refuses str with non-ASCII characters (a TypeError, so a 500).
    if not isinstance(expected, str) or not hmac.compare_digest(expected.encode(), sent.encode("utf-8", "replace")):
        raise BadInput("csrf-failed", "This form has expired or did not come from this site; reload the page and try again.")
