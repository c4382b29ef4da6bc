"""JSON bodies with a bounded nesting depth, refused with a 400 problem whatever the endpoint.

Python's parser raises ``RecursionError`` (not ``ValueError``) on a body nested
about a thousand levels deep, which Flask lets through as a 500. This provider
turns that, and any nesting past ``web.max_json_depth``, into
:class:`JsonTooDeep`, a :class:`BadInput`: it is deliberately not a
``ValueError``, so ``request.get_json(silent=True)`` cannot swallow it and
treat the body as absent. :func:`parse_json_bodies_first` parses every JSON body before
its view runs, so a too-deep one gets 400 on every endpoint, whether or not
(and however) the view reads it.

>>> nesting_depth({"a": [1, {"b": []}]})
4
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

from barrierfree.errors import BadInput


class JsonTooDeep(BadInput):
    default_code = "json-too-deep"


def nesting_depth(value: Any) -> int:
    """How many arrays/objects deep ``value`` goes (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, refusing documents nested deeper than ``max_depth`` levels."""

    max_depth = 32

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            value = None
            too_deep = True
        else:
            too_deep = nesting_depth(value) > self.max_depth
        if too_deep:
            raise JsonTooDeep("json-too-deep", f"The JSON body is nested more than {self.max_depth} levels deep; send a flatter document.")
        return value


def parse_json_bodies_first() -> None:
    """A ``before_request`` hook: parse a JSON body now (register it after the rate limits, so refused bodies count)."""
    if request.is_json and request.content_length:
        request.get_json(silent=True)  # cached for the view; too deep raises JsonTooDeep


def register(app: Flask, max_depth: int) -> None:
    """Use the bounded provider on ``app``."""
    app.json = BoundedJSONProvider(app)
    app.json.max_depth = max_depth
