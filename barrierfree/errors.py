"""The one exception hierarchy of barrierfree.

Every error a caller can act on is a :class:`BarrierFreeError` with a stable
``code`` (used as the RFC 9457 problem ``type`` by the web layer and as the
exit status class by the CLI) and a ``detail`` that tells the caller what to do.
The ``detail`` never contains names, ID numbers, addresses or image data.

- :class:`BadInput`: the caller sent something unusable; fix the input.
- :class:`Unauthorized` / :class:`Forbidden`: no valid credentials / not yours.
- :class:`Conflict`: the input is fine but clashes with the current state
  (a slot already taken, a step out of order); reload and retry.
- :class:`EngineUnavailable`: a model or service cannot run here; fix the install.
- :class:`InternalError`: a bug; nothing the caller did.

>>> try:
...     raise BadInput("not-an-image", "The file is not a JPEG or PNG image.")
... except BarrierFreeError as error:
...     (error.code, error.status, str(error))
('not-an-image', 400, 'The file is not a JPEG or PNG image.')
"""

from __future__ import annotations

from typing import Any


class BarrierFreeError(Exception):
    """Base class: ``code`` is a stable slug, ``detail`` a sentence for the caller."""

    status = 500
    exit_code = 1
    default_code = "internal-error"

    def __init__(self, code: str | None = None, detail: str = "", **extra: Any) -> None:
        self.code = code or self.default_code
        self.detail = detail or self.code.replace("-", " ")
        #: Extra, PII-free members for the problem document (e.g. ``field``).
        self.extra = extra
        super().__init__(self.detail)


class BadInput(BarrierFreeError):
    """The caller's input cannot be used (HTTP 400, CLI exit 2)."""

    status = 400
    exit_code = 2
    default_code = "bad-input"


class NotFound(BadInput):
    """The thing asked for does not exist (HTTP 404)."""

    status = 404
    default_code = "not-found"


class Unauthorized(BarrierFreeError):
    """Missing, forged or expired credentials (HTTP 401); get a new token."""

    status = 401
    exit_code = 2
    default_code = "bad-token"


class Forbidden(BarrierFreeError):
    """Valid credentials that do not cover this resource (HTTP 403)."""

    status = 403
    exit_code = 2
    default_code = "forbidden"


class Conflict(BarrierFreeError):
    """Valid input that clashes with the current state (HTTP 409, CLI exit 2)."""

    status = 409
    exit_code = 2
    default_code = "conflict"


class EngineUnavailable(BarrierFreeError):
    """A model, voice, font or database cannot be used here (HTTP 503, CLI exit 3)."""

    status = 503
    exit_code = 3
    default_code = "engine-unavailable"


class InternalError(BarrierFreeError):
    """A defect in barrierfree itself (HTTP 500, CLI exit 1)."""

    status = 500
    exit_code = 1
    default_code = "internal-error"
