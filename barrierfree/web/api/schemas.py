"""Request and response bodies of the JSON API, as pydantic models.

The same models validate requests and produce the OpenAPI document's
schemas, so the two cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import typing
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from barrierfree.onboarding.journey.views import JourneyView

Language = Literal["zh-CN", "en"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StartRequest(_Body):
    lang: Language = "zh-CN"


class ConsentRequest(_Body):
    accepted: bool


class AssistanceRequest(_Body):
    mode: Literal["screen_reader", "self_voicing", "large_text"]
    photosensitive: bool = False
    liveness_mode: Literal["flash", "active", "no_flash"] | None = None
    timeout_multiplier: float = Field(default=1.0, ge=1.0, le=10.0)
    lang: Language | None = None


class HelpRequest(_Body):
    choice: Literal["sign_language", "call_back", "retry"]


class FieldEdit(_Body):
    name: Literal["name", "sex", "ethnicity", "birth_date", "address", "id_number", "issuing_authority", "valid_from", "valid_to"]
    value: str = Field(min_length=1, max_length=120)


def journey_model() -> type[BaseModel]:
    """The ``Journey`` document's model, made from :class:`JourneyView`'s fields (every one is always sent;
    times as ISO 8601 strings), plus what to tell the person while a member of staff decides."""
    hints = typing.get_type_hints(JourneyView)
    fields: dict[str, Any] = {f.name: (_wire_type(hints[f.name]), ...) for f in dataclasses.fields(JourneyView)}
    fields["message_id"] = (str | None, Field(default=None, description="While staff decide: the prompt id to say."))
    fields["text"] = (str | None, Field(default=None, description="... and its text in the journey's language."))
    return create_model("Journey", __doc__=JourneyView.__doc__, **fields)


def _wire_type(hint: Any) -> Any:
    """A view field's type as sent: ``datetime`` as an ISO 8601 string, tuples as lists."""
    if hint == datetime | None:
        return str | None
    if typing.get_origin(hint) is tuple:
        return list[typing.get_args(hint)[0]]  # type: ignore[misc]  # the element type is known only here
    return hint


if TYPE_CHECKING:  # a generated model is no type to a checker: it sees a plain model of that name

    class Journey(BaseModel):
        """The ``Journey`` document (made by :func:`journey_model` at run time)."""

else:
    Journey = journey_model()


class StartedJourney(Journey):
    token: str


class ReviewFieldOut(BaseModel):
    name: str
    value: str
    confidence: float
    source: str
    side: str
    valid: bool
    problem: str | None
    #: Read from the card with its checks passed: cannot be edited after the face match.
    locked: bool = False
    #: A correction of this identity field sends the account to staff review.
    correction_reviewed: bool = False


class Review(BaseModel):
    fields: list[ReviewFieldOut]


class Account(BaseModel):
    account_number: str
    opened_at: str
    holder_name: str
    document_type: str
    liveness_mode: str
    fields: list[ReviewFieldOut]
    #: Only in the answer to ``confirm``: the short-lived token that reads the account (the journey token is revoked).
    account_token: str | None = None
    account_token_max_age_s: int | None = None


class JourneyState(Journey):
    """The answer to ``GET /journeys/{id}``: the journey; after a staff decision opened its account, and
    while the account is new, also the short-lived account token that reads it."""

    account_token: str | None = None
    account_token_max_age_s: int | None = None


class PendingReview(Journey):
    """The answer to ``confirm`` after an identity correction: the journey waits for staff review."""

    message_id: str
    text: str


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None


class Guidance(BaseModel):
    """Guidance for one frame: what to say, play and vibrate."""

    model_config = ConfigDict(extra="allow")
    step: str
    phase: str
    cue: dict | None = None
    signal: dict | None = None
    speak: bool = False
    text: str | None = None


class CaptureResult(BaseModel):
    model_config = ConfigDict(extra="allow")
    accepted: bool
    step: str
    code: str | None = None
    #: The catalog message the SDK says after this capture (read, turn it over, hold still, try again).
    message_id: str
    journey: Journey


class Challenge(BaseModel):
    model_config = ConfigDict(extra="allow")
    nonce: str
    mode: str
    expires_at: str


class LivenessResult(BaseModel):
    model_config = ConfigDict(extra="allow")
    passed: bool
    reasons: list[str]
    journey: Journey


class MatchResult(BaseModel):
    """The face match: ``same``, ``different``, ``unsure`` (within ``unsure_band``, similarity from–to), or
    ``refused`` (a picture without exactly one usable face: ``code``, ``image`` and the catalog's ``message_id``)."""

    model_config = ConfigDict(extra="allow")
    same_person: bool
    outcome: Literal["same", "different", "unsure", "refused"]
    similarity: float | None = None
    threshold: float | None = None
    unsure_band: list[float] | None = None
    code: str | None = None
    image: str | None = None
    message_id: str | None = None
    journey: Journey


class TelemetryEventIn(_Body):
    """One on-device event: a cue id, a frame timing, a capture's answer code, or a failure the guide
    recorded. Only ids, numbers and codes: a telemetry batch can carry no image, text or identity."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    kind: Literal["cue", "timing", "capture", "failure"]
    #: Seconds on the SDK's stream clock (events come in order).
    t: float = Field(ge=0, le=1e7)
    #: ``cue``: a prompt catalog message id.
    id: str | None = Field(default=None, max_length=64, pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
    #: ``timing``: what was timed (``frame``: perception and policy for one frame).
    name: Literal["frame"] | None = None
    #: ``timing``: milliseconds.
    ms: float | None = Field(default=None, ge=0, le=60_000)
    #: ``capture``: the server's answer code (null when accepted); ``failure``: why the guide gave up.
    code: str | None = Field(default=None, max_length=40, pattern=r"^[a-z][a-z0-9-]*$")


class TelemetryBatch(_Body):
    """A batch of the on-device guide's telemetry for the journey's current step (or, flushed as a step
    ends, for a step it has just passed: kept for the audit, its failures no longer count)."""

    step: Literal["card_front", "card_back", "liveness"]
    events: list[TelemetryEventIn] = Field(min_length=1)


class TelemetryStored(BaseModel):
    model_config = ConfigDict(extra="allow")
    stored: int
    journey: Journey


class DeviceCaptureResult(CaptureResult):
    """A card capture from the device, re-checked: ``stills_read`` stills of the wanted side were fused."""

    stills_read: int
    failing_fields: list[str] = []
    field_agreement: dict[str, float] = {}
    choices: list[str] | None = None


class Wire(BaseModel):
    """The wire constants the SDK reads (one Python source for both sides)."""

    model_config = ConfigDict(extra="allow")
    min_flash_ms: int
    steps: list[str]
    camera_steps: list[str]
    limits: dict[str, float]
    device: dict[str, float]
