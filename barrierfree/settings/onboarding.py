"""Thresholds and options of the journey itself (``BARRIERFREE_ONBOARDING__<NAME>``).

Step time limits, failed attempts, how card readings are fused and accepted, how a
liveness answer is recorded, what is kept and for how long, and account numbers.
They used to be part of the web section; the old ``BARRIERFREE_WEB__<NAME>`` names
still work (:data:`MOVED_FROM_WEB`, applied by :class:`~barrierfree.settings.core.Settings`),
so a deployment's environment keeps its meaning. Each field names its unit.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OnboardingSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    #: Base time limit of a capture or liveness step, in seconds (times the user's multiplier).
    step_time_limit_s: float = Field(default=180.0, gt=0)
    #: Base time limit of the consent, assistance and review steps, in seconds.
    reading_time_limit_s: float = Field(default=600.0, gt=0)
    #: How many times the person may extend a step's time limit (each adds the base limit again).
    max_extensions: int = Field(default=20, ge=10)
    #: The time-limit warning comes at least this many seconds before the limit.
    warning_lead_s: float = Field(default=30.0, ge=20)
    #: Failed capture or liveness attempts that pause the step and offer human help...
    failure_limit: int = Field(default=5, gt=0)
    #: ...when they happen within this window, in seconds.
    failure_window_s: float = Field(default=180.0, gt=0)

    #: A card field read with less confidence than this (0..1) counts as uncertain: the person may
    #: correct it at review (an identity field's correction then goes to staff review).
    review_unsure_confidence: float = Field(default=0.8, ge=0, le=1)
    #: Card readings refused for a failed check before the person is offered to type the failing
    #: fields or ask for a person (a wrong side in view is not counted), readings.
    card_failed_readings_before_choice: int = Field(default=3, gt=0)
    #: Frames of one card side fused into one reading, at most (issue 18: 2–3), frames.
    card_frames_fused: int = Field(default=3, ge=1, le=5)
    #: Valid frames whose fused reading is accepted: every field agreeing across this many, or
    #: ``card_frames_fused`` frames in all (1 accepts a single valid frame), frames.
    card_frames_to_accept: int = Field(default=2, ge=1, le=5)

    #: Most frames in one liveness answer (a 3–6 s clip at up to 10 fps fits easily).
    max_liveness_frames: int = Field(default=90, gt=0)
    #: Frames a second the SDK records while the screen flashes (the verifier allows gaps up to the face area's limit).
    flash_record_fps: int = Field(default=12, ge=5, le=30)
    #: Seconds the SDK records per action of an active challenge (times the person's timeout multiplier).
    active_seconds_per_action: float = Field(default=3.5, gt=0)
    #: Slowest recording rate of an active answer, in frames a second (keeps frame gaps under the verifier's limit).
    active_min_fps: int = Field(default=5, ge=1)

    #: Keep captured images (encrypted) after they were used; off by default.
    keep_images: bool = False
    #: Kept images are deleted by ``barrierfree journey purge`` after this many days.
    image_retention_days: float = Field(default=7.0, ge=0)
    #: Unfinished journeys (and their personal data) are purged after this many days.
    journey_retention_days: float = Field(default=30.0, ge=0)
    #: First digits of generated demo account numbers (a Luhn check digit ends the number).
    account_number_prefix: str = Field(default="6217", pattern=r"^\d{2,8}$")


#: Fields that moved here from the web section; ``BARRIERFREE_WEB__<NAME>`` still sets them.
MOVED_FROM_WEB = frozenset(OnboardingSettings.model_fields)
