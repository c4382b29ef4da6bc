"""A per-request budget of decoded pixels, so one request cannot make the server allocate gigabytes.

Every image a request carries is charged its pixel count from its header,
before a single pixel is decoded (:func:`barrierfree.vision.frames.decode`'s
``charge`` hook). Past ``web.max_request_megapixels`` the request is refused
with a 413 problem of type ``/problems/too-many-pixels``: nothing was decoded
past the budget, and nothing is stored.

>>> budget = PixelBudget(1.0)
>>> budget.charge(600_000); budget.charge(400_000); budget.used
1000000
>>> budget.charge(1)
Traceback (most recent call last):
...
barrierfree.web.api.budget.TooManyPixels: This request's images hold more than 1 MP together; send fewer or smaller frames.
"""

from __future__ import annotations

from flask import current_app, g

from barrierfree.errors import BarrierFreeError


class TooManyPixels(BarrierFreeError):
    """The request's images together exceed the per-request pixel budget (HTTP 413)."""

    status = 413
    exit_code = 2
    default_code = "too-many-pixels"


class PixelBudget:
    """Pixels one request may still have decoded."""

    def __init__(self, megapixels: float) -> None:
        self.limit = int(megapixels * 1_000_000)
        self.megapixels = megapixels
        self.used = 0

    def charge(self, pixels: int) -> None:
        if self.used + pixels > self.limit:
            raise TooManyPixels(
                "too-many-pixels",
                f"This request's images hold more than {self.megapixels:g} MP together; send fewer or smaller frames.",
                limit_megapixels=self.megapixels,
            )
        self.used += pixels


def request_budget() -> PixelBudget:
    """This request's budget (made on first use)."""
    if "pixel_budget" not in g:
        g.pixel_budget = PixelBudget(current_app.extensions["barrierfree.settings"].web.max_request_megapixels)
    return g.pixel_budget
