"""The journey's steps and the one order they come in.

The journey is an explicit state machine: each step names the only request
it accepts, and :func:`next_step` is the only way forward. Steps are plain
strings on the wire (``"card_front"``) so the SDK, the pages and the audit
log all say the same thing.

>>> next_step(Step.CONSENT)
<Step.ASSISTANCE: 'assistance'>
>>> next_step(Step.REVIEW)
<Step.OPENED: 'opened'>
>>> Step.OPENED.finished and not Step.REVIEW.finished
True
"""

from __future__ import annotations

from enum import Enum


class Step(str, Enum):
    CONSENT = "consent"
    ASSISTANCE = "assistance"
    CARD_FRONT = "card_front"  # the portrait side of the resident ID card
    CARD_BACK = "card_back"  # the national-emblem side
    LIVENESS = "liveness"
    FACE_MATCH = "face_match"
    REVIEW = "review"
    OPENED = "opened"
    DECLINED = "declined"  # consent refused: nothing was collected
    #: The person corrected an identity field: a staff member compares reading, card and correction.
    PENDING_REVIEW = "pending_review"
    REJECTED = "rejected"  # a staff member refused the corrected identity: no account

    @property
    def finished(self) -> bool:
        """Nothing is left for the person to do (no time limit runs)."""
        return self in (Step.OPENED, Step.DECLINED, Step.PENDING_REVIEW, Step.REJECTED)

    @property
    def ended(self) -> bool:
        """The journey is over: its tokens are revoked (reading an opened account needs an account token)."""
        return self in (Step.OPENED, Step.DECLINED, Step.REJECTED)

    @property
    def camera(self) -> str | None:
        """Which camera the step needs: ``environment`` (back) for the card, ``user`` (front) for the face."""
        return {Step.CARD_FRONT: "environment", Step.CARD_BACK: "environment", Step.LIVENESS: "user"}.get(self)

    @property
    def target(self) -> str | None:
        """What guidance looks for in this step's frames: ``card`` or ``face``."""
        return {Step.CARD_FRONT: "card", Step.CARD_BACK: "card", Step.LIVENESS: "face"}.get(self)


ORDER: tuple[Step, ...] = (
    Step.CONSENT, Step.ASSISTANCE, Step.CARD_FRONT, Step.CARD_BACK,
    Step.LIVENESS, Step.FACE_MATCH, Step.REVIEW, Step.OPENED,
)

#: The steps the SDK runs with the camera (the face match needs no camera but is the SDK's too).
CAMERA_STEPS: tuple[Step, ...] = (Step.CARD_FRONT, Step.CARD_BACK, Step.LIVENESS, Step.FACE_MATCH)

#: How the person wants to be helped: their own screen reader (the SDK stays
#: silent and only fills the live region), self-voicing (the SDK speaks), or
#: large text with high contrast (for low vision; the SDK also speaks).
ASSISTANCE_MODES = ("screen_reader", "self_voicing", "large_text")

#: Liveness paths: colour flash (asks nothing but holding still; the default),
#: active challenges (turn, blink...), and no-flash for photosensitive people,
#: which runs the active challenge with passive checks and never flashes.
LIVENESS_MODES = ("flash", "active", "no_flash")

#: The side of the card each card step wants, in the document area's terms.
CARD_SIDES = {Step.CARD_FRONT: "portrait", Step.CARD_BACK: "emblem"}


def next_step(step: Step) -> Step:
    """The step after ``step`` (the finished steps have none)."""
    if step.finished:
        raise ValueError(f"{step.value} is final")
    return ORDER[ORDER.index(step) + 1]


def liveness_mode_for(requested: str | None, photosensitive: bool) -> str:
    """The liveness path: never a flash for a photosensitive person, flash by default.

    >>> liveness_mode_for(None, False), liveness_mode_for("flash", True), liveness_mode_for("active", False)
    ('flash', 'no_flash', 'active')
    """
    if photosensitive:
        return "no_flash"
    return requested if requested in LIVENESS_MODES else "flash"
