"""The prompt catalog: message ids with parameters, rendered in the user's language.

Each language is one flat JSON object in ``barrierfree/assets/prompts/<lang>.json``
mapping a message id (``face.move_left``) to its text, with parameters in
``str.format`` braces (``"We have tried {attempts} times."``). zh-CN is the
reference language and the fallback: a language with no catalog falls back to
zh-CN, and :func:`resolve_language` says so, so that the guide can tell the
person once instead of going silent. Every area adds its messages under its
own prefix (``face.``, ``card.``, ``guide.``, ``liveness.``, ``journey.``,
``scheduler.``); a test keeps the catalogs complete and parameter-for-parameter
identical in every language.

>>> render("face.move_left", "en")
'Move the phone a little to your left.'
>>> render("guide.human_help_offer", "zh-CN", attempts=3)[:6]
'已经试了3次'
>>> resolve_language("en-GB"), resolve_language("fr")
(('en', False), ('zh-CN', True))
"""

from __future__ import annotations

import json
import string
from functools import lru_cache, cache
from importlib import resources
from typing import Any

from barrierfree.errors import BadInput, InternalError

#: The reference catalog, and the language used when the requested one has none.
FALLBACK_LANGUAGE = "zh-CN"


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The language tags that have a catalog, e.g. ``('en', 'zh-CN')``."""
    folder = resources.files("barrierfree") / "assets" / "prompts"
    return tuple(sorted(entry.name[: -len(".json")] for entry in folder.iterdir() if entry.name.endswith(".json")))


def resolve_language(lang: str | None) -> tuple[str, bool]:
    """The catalog language for a requested tag, and whether it had to fall back.

    Matching ignores case and region when no exact catalog exists
    (``zh`` → ``zh-CN``, ``en-US`` → ``en``); anything else falls back to zh-CN.
    """
    available = languages()
    if lang:
        wanted = lang.strip().replace("_", "-").lower()
        for tag in available:
            if tag.lower() == wanted:
                return tag, False
        base = wanted.split("-")[0]
        for tag in available:
            if tag.split("-")[0].lower() == base:
                return tag, False
    return FALLBACK_LANGUAGE, True


@cache
def catalog(lang: str) -> dict[str, str]:
    """The whole catalog of one language (after :func:`resolve_language`)."""
    tag, _ = resolve_language(lang)
    path = resources.files("barrierfree") / "assets" / "prompts" / f"{tag}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InternalError("prompt-catalog-broken", f"The {tag} prompt catalog cannot be read ({type(error).__name__}); reinstall barrierfree.") from None
    return data


def parameters(text: str) -> frozenset[str]:
    """The parameter names a message text uses.

    >>> sorted(parameters("Tried {attempts} times in {lang}."))
    ['attempts', 'lang']
    """
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def message_ids() -> frozenset[str]:
    """Every message id of the reference catalog."""
    return frozenset(catalog(FALLBACK_LANGUAGE))


def render(message_id: str, lang: str = FALLBACK_LANGUAGE, **params: Any) -> str:
    """The text of ``message_id`` in ``lang`` (falling back to zh-CN), with ``params`` filled in.

    An unknown id or a missing parameter is a :class:`BadInput` naming it.
    """
    messages = catalog(lang)
    try:
        text = messages[message_id]
    except KeyError:
        raise BadInput("unknown-message", f"No prompt {message_id!r}; see barrierfree/assets/prompts/{FALLBACK_LANGUAGE}.json.") from None
    missing = parameters(text) - params.keys()
    if missing:
        raise BadInput("missing-message-parameter", f"Prompt {message_id!r} needs the parameter(s) {', '.join(sorted(missing))}.")
    return text.format(**params)
