"""One settings object, read from ``BARRIERFREE_*`` environment variables.

Top-level settings use plain names (``BARRIERFREE_DATABASE_URL``); a section's
settings use the section name and a double underscore
(``BARRIERFREE_FACE__MIN_FACE_WIDTH_FRACTION=0.3``). Every threshold is a named
field with its unit in the name or docstring; each section lives in its own
module so that each area changes only its own file.

>>> Settings().ocr_threads >= 1
True
>>> Settings(face={"min_face_width_fraction": 0.3}).face.min_face_width_fraction
0.3
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from barrierfree.errors import BadInput
from barrierfree.settings.core import Settings

__all__ = ["Settings", "get_settings", "load_settings"]


def load_settings(**overrides: Any) -> Settings:
    """Read the environment now; a bad value is a :class:`BadInput` naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        where = "__".join(str(part) for part in first["loc"]).upper()
        raise BadInput(
            "bad-setting",
            f"BARRIERFREE_{where}: {first['msg']}. Fix or unset that environment variable.",
        ) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once. Tests pass their own ``Settings`` instead."""
    return load_settings()
