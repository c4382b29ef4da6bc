"""Page texts in zh-CN and en, one catalog per area: ``i18n/<area>.<lang>.json``.

The page language comes from ``?lang=``, then the ``lang`` cookie, then the
browser's ``Accept-Language``, defaulting to zh-CN. Templates call ``t("key")``
(with ``t.area`` set by the view via :func:`texts`) and ``lang`` for the
``<html lang>`` attribute. A missing key is a bug caught by the tests that
compare catalogs, so it raises rather than showing an empty label.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from flask import Flask, g, request

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"


@lru_cache(maxsize=32)
def catalog(area: str, lang: str) -> dict[str, str]:
    """The texts of one area in one language."""
    path = resources.files(__package__) / f"{area}.{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def pick_language() -> str:
    """The language for this request (``?lang=`` > cookie > Accept-Language > zh-CN)."""
    for candidate in (request.args.get("lang"), request.cookies.get("lang")):
        if candidate in LANGUAGES:
            return candidate
    best = request.accept_languages.best_match(LANGUAGES + ("zh", "en-US", "en-GB"))
    if best:
        return "zh-CN" if best.startswith("zh") else "en"
    return DEFAULT_LANGUAGE


def texts(area: str, lang: str | None = None):  # noqa: ANN201 - a callable for templates
    """A ``t(key, **params)`` function for one area, in the request's language."""
    lang = lang or pick_language()
    strings = catalog(area, lang)

    def t(key: str, **params: object) -> str:
        return strings[key].format(**params) if params else strings[key]

    t.lang = lang  # type: ignore[attr-defined]
    return t


def register(app: Flask) -> None:
    """Expose ``lang`` to every template."""

    @app.context_processor
    def _language() -> dict[str, str]:
        lang = getattr(g, "lang", None) or pick_language()
        return {"lang": lang, "other_lang": "en" if lang == "zh-CN" else "zh-CN"}
