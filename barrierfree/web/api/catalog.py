"""The prompt catalog and spoken WAV for one message, as the SDK needs them.

Speech is only for catalog messages (an id and its parameters, each typed by
:mod:`barrierfree.voice.parameters`), never for arbitrary text, so the endpoint
cannot be used as a free TTS service; the WAV cache is bounded in bytes
(``voice.speech_cache_bytes``).
"""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Response, current_app, jsonify, request

from barrierfree.errors import BadInput, NotFound
from barrierfree.web.api import blueprint


@blueprint.get("/prompts/<lang>")
def prompts(lang: str) -> Response:
    from barrierfree.voice import prompts as catalog

    if lang not in catalog.languages():
        raise NotFound("unknown-language", f"No prompt catalog for {lang!r}; use one of {', '.join(catalog.languages())}.")
    response = jsonify({"lang": lang, "messages": catalog.catalog(lang)})
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@blueprint.get("/guidance/settings")
def guidance_settings() -> Response:
    """The guidance settings this server runs with, and the vibration patterns, as the SDK's
    on-device Guide needs them: one source (barrierfree/settings/guidance.py and
    barrierfree/accessibility/haptics.py), never a copy in the JavaScript."""
    from barrierfree.accessibility.haptics import PATTERNS, SOUND_OF

    settings = current_app.extensions["barrierfree.settings"].guidance
    response = jsonify({"settings": settings.model_dump(), "haptics": {name: list(p) for name, p in PATTERNS.items()},
                        "sound_of": SOUND_OF})
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@blueprint.get("/speech")
def speech() -> Response:
    from barrierfree.voice import prompts as catalog
    message_id = request.args.get("id", "")
    lang = request.args.get("lang", "zh-CN")
    if message_id not in catalog.message_ids():
        raise NotFound("unknown-message", "No such message id in the prompt catalog.")
    if lang not in catalog.languages():
        raise BadInput("unsupported-language", f"Language must be one of {', '.join(catalog.languages())}.", field="lang")
    raw = request.args.get("params") or "{}"
    if len(raw) > _MAX_PARAMS_CHARS:
        raise BadInput("bad-params", f"params must be at most {_MAX_PARAMS_CHARS} characters.", field="params")
    try:
        params = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
        raise BadInput("bad-params", "params must be a JSON object of the message's parameters.", field="params") from None
    if not isinstance(params, dict):
        raise BadInput("bad-params", "params must be a JSON object of the message's parameters.", field="params")
    from barrierfree.voice import parameters

    text = catalog.render(message_id, lang, **parameters.check(message_id, params))
    wav = _synthesize(text, lang)
    return Response(wav, mimetype="audio/wav", headers={"Cache-Control": "public, max-age=86400"})


#: Longest ``params`` query value, in characters (the longest typed parameters fit in a tenth of it).
_MAX_PARAMS_CHARS = 200


def _speaker():  # noqa: ANN202 - CachedSpeaker, the runtime's
    return current_app.extensions["barrierfree.runtime"].speaker


def _synthesize(text: str, lang: str) -> bytes:
    """WAV bytes through the guidance area's TTS cache (espeak-ng underneath)."""
    return _speaker().synthesize(text, lang)


@blueprint.get("/earcons/<name>.wav")
def earcon(name: str) -> Response:
    """The guidance area's one-shot earcons (``lock``, ``captured``, ``searching``) as WAV, for Web Audio."""
    from barrierfree.voice import earcons

    if name not in earcons.EARCONS:
        raise NotFound("unknown-earcon", f"No earcon {name!r}; use one of {', '.join(sorted(earcons.EARCONS))}.")
    wav = _earcon_wav(name)
    return Response(wav, mimetype="audio/wav", headers={"Cache-Control": "public, max-age=86400"})


@lru_cache(maxsize=8)
def _earcon_wav(name: str) -> bytes:
    from barrierfree.voice import earcons

    return earcons.to_wav(earcons.EARCONS[name]())
