"""Logging that never writes personal data or credentials.

Code logs events and ids, never values: ``log.info("card read", extra={"journey": jid})``.
An id that is itself a credential (a booking's, queue ticket's or room's
random id opens it) is logged as :func:`ref`, a one-way reference. As a second
line of defence :class:`RedactingFilter` masks anything in a log record that
looks like a Chinese ID number, an MRZ line, a phone number, an e-mail
address, a blob of image data, a signed token, a ``token=`` parameter or a
random capability id; and a logged traceback keeps its frames and exception
types but withholds every exception's message, which may quote a value
(``int('张三')``, ``KeyError('11010519491231002X')``). :class:`Sensitive` wraps a
value so that its ``str``/``repr`` is always ``'<redacted>'``.

>>> redact("id 11010519491231002X ok")
'id <redacted:id-number> ok'
>>> redact("GET /sign-language/bookings/Q2xWb3Vk_ZXhhbXBsZQx0A?token=abc HTTP/1.1")
'GET /sign-language/bookings/<redacted:secret-id>?token=<redacted> HTTP/1.1'
>>> str(Sensitive("张三"))
'<redacted>'
"""

from __future__ import annotations

import hashlib
import logging
import re
import traceback
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("image", re.compile(r"(?:data:image/[a-z]+;base64,)?[A-Za-z0-9+/]{200,}={0,2}")),
    # itsdangerous tokens (journey tokens, session cookies): payload.timestamp.signature.
    ("token", re.compile(r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}")),
    ("mrz", re.compile(r"[A-Z0-9<]{30,44}")),
    ("id-number", re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    ("phone", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)|\+\d[\d -]{7,}\d")),
    # Random URL-safe ids of 22+ characters (booking, ticket, room ids; agent and CSRF tokens): with a digit
    # or both cases. Not a journey id (32 lowercase hex, not a credential), nor a snake_case name in a traceback.
    ("secret-id", re.compile(
        r"(?<![A-Za-z0-9_-])(?![0-9a-f]{32}(?![A-Za-z0-9_-]))"
        r"(?=[\w-]*\d|[\w-]*[A-Z][\w-]*[a-z]|[\w-]*[a-z][\w-]*[A-Z])[A-Za-z0-9_-]{22,}(?![A-Za-z0-9_-])", re.ASCII)),
)
#: Credentials sent as parameters or headers, whatever they look like.
_CREDENTIALS = re.compile(r"(?i)(\b(?:token|csrf_token|key|secret)=|\bbearer\s+)[^&\s\"']+")


def redact(text: str) -> str:
    """Mask personal data that has a recognisable shape."""
    text = _CREDENTIALS.sub(r"\1<redacted>", text)
    for label, pattern in _PATTERNS:
        text = pattern.sub(f"<redacted:{label}>", text)
    return text


def ref(secret_id: str) -> str:
    """A short one-way reference to a credential-like id, to correlate log lines without logging the id.

    >>> ref("Q2xWb3Vk_ZXhhbXBsZQx0A") == ref("Q2xWb3Vk_ZXhhbXBsZQx0A") and ref("Q2xWb3Vk_ZXhhbXBsZQx0A").startswith("ref-")
    True
    """
    return "ref-" + hashlib.sha256(secret_id.encode()).hexdigest()[:12]


def safe_traceback(error: BaseException) -> str:
    """The traceback of ``error`` and its causes: frames and exception types, every message withheld."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts: list[str] = []
    for index, failure in enumerate(reversed(chain)):
        if index:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_list(traceback.extract_tb(failure.__traceback__)))
        kind = f"{type(failure).__module__}.{type(failure).__qualname__}"
        code = getattr(failure, "code", None)
        parts.append(f"{kind}: <message withheld>{f' (code {code})' if isinstance(code, str) else ''}\n")
    return redact("".join(parts)).rstrip("\n")


@dataclass(frozen=True)
class Sensitive(Generic[T]):
    """A value that must not reach a log: ``.value`` gives it back on purpose."""

    value: T

    def __repr__(self) -> str:
        return "<redacted>"

    __str__ = __repr__


class RedactingFilter(logging.Filter):
    """Formats the message, masks it, and drops the arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if isinstance(record.args, (bytes, bytearray)) or "\x00" in message:
            message = "<redacted:binary>"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters print exc_text when set; exc_info is dropped so no handler formats the raw one.
            record.exc_text = safe_traceback(record.exc_info[1])
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configure(level: str = "INFO") -> None:
    """Install the redacting filter on the root handlers (idempotent)."""
    root = logging.getLogger()
    if not root.handlers:
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(stream)
    root.setLevel(level.upper())
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


#: Servers' own loggers with handlers of their own (not the root's): gunicorn's access and error logs
#: print request paths, which can hold a capability id or a ``token=`` parameter.
SERVER_LOGGERS = ("gunicorn.access", "gunicorn.error", "werkzeug")


def protect_server_logs() -> None:
    """Install the redacting filter on the server loggers' own handlers too (idempotent; the app factory calls it)."""
    for name in SERVER_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())


def get_logger(name: str) -> logging.Logger:
    """A logger whose records are redacted whatever handler receives them."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
    return logger
