"""Logging that never writes personal data.

Code logs events and ids, never values: ``log.info("card read", extra={"journey": jid})``.
As a second line of defence :class:`RedactingFilter` masks anything in a log
record that looks like a Chinese ID number, an MRZ line, a phone number, an
e-mail address or a blob of image data, and :class:`Sensitive` wraps a value so
that its ``str``/``repr`` is always ``'<redacted>'``.

>>> redact("id 11010519491231002X ok")
'id <redacted:id-number> ok'
>>> str(Sensitive("张三"))
'<redacted>'
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("image", re.compile(r"(?:data:image/[a-z]+;base64,)?[A-Za-z0-9+/]{200,}={0,2}")),
    ("mrz", re.compile(r"[A-Z0-9<]{30,44}")),
    ("id-number", re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)")),
    ("email", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    ("phone", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)|\+\d[\d -]{7,}\d")),
)


def redact(text: str) -> str:
    """Mask personal data that has a recognisable shape."""
    for label, pattern in _PATTERNS:
        text = pattern.sub(f"<redacted:{label}>", text)
    return text


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
        return True


def configure(level: str = "INFO") -> None:
    """Install the redacting filter on the root handlers (idempotent)."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level.upper())
    for handler in root.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())


def get_logger(name: str) -> logging.Logger:
    """A logger whose records are redacted whatever handler receives them."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())
    return logger
