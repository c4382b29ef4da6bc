"""The account-opening journey: an explicit state machine over storage.

consent → assistance mode → ID portrait side → emblem side → liveness →
face match → review → account opened. See :mod:`.steps` for the order,
:mod:`.service` for the decisions and :mod:`.capture` for the camera steps.
"""

from barrierfree.onboarding.journey.steps import Step
from barrierfree.onboarding.journey.views import AccountSummary, JourneyView, ReviewField

__all__ = ["AccountSummary", "JourneyView", "ReviewField", "Step"]
