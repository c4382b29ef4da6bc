"""Active liveness: 1-3 random actions (blink, turn left, turn right, open mouth, nod).

The server issues an :class:`ActiveChallenge`; while frames stream in,
:class:`ActiveSession` follows the person's face one observation at a time
and exposes the action asked for now as a message id
(:attr:`ActiveSession.message_id`, e.g. ``liveness.turn_left``) so that the
guidance layer can speak it, show it, and repeat it.

Every action is measured against the person's own resting face (the median of
the first ``active_rest_frames`` usable frames): eyes and mouths differ from
person to person, and so does the way a phone is held. Each action has an
*enter* level and a lower *exit* level (hysteresis), so noise around one level
cannot count twice, and an action counts once the face has gone past *enter*
and come back past *exit* ("turn left, then back to the front").
Turn directions are the person's own left and right (frames are unmirrored).

Time windows are generous (``active_action_timeout_s`` per action) and are
multiplied by the person's timeout multiplier, which their profile may raise;
the window of an action starts when it becomes the current one.
The same face must be there throughout (see
:mod:`~barrierfree.vision.liveness.screening`), and the passive checks run
beside the actions (a replayed video of the right actions still shows a
screen's moiré).
"""

from __future__ import annotations

import json
import secrets
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from barrierfree.errors import BadInput
from barrierfree.settings.face import FaceSettings
from barrierfree.vision.face.observation import FaceObservation
from barrierfree.vision.frames import Frame
from barrierfree.vision.liveness.nonces import NonceStore, default_store
from barrierfree.vision.liveness.screening import face_problem, screen
from barrierfree.vision.liveness.verdict import Check, LivenessVerdict

ACTIONS = ("blink", "turn_left", "turn_right", "open_mouth", "nod")


@dataclass(frozen=True)
class ActiveChallenge:
    """The actions to do, in order; serialisable with :meth:`to_json`."""

    nonce: str
    session_id: str
    issued_at: float
    expires_at: float
    actions: tuple[str, ...]

    @property
    def message_ids(self) -> tuple[str, ...]:
        return tuple(f"liveness.{a}" for a in self.actions)

    def to_dict(self) -> dict[str, Any]:
        return dict(asdict(self), actions=list(self.actions), kind="active", version=1)

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, doc: Any) -> ActiveChallenge:
        try:
            challenge = cls(str(doc["nonce"]), str(doc["session_id"]), float(doc["issued_at"]),
                            float(doc["expires_at"]), tuple(str(a) for a in doc["actions"]))
        except (KeyError, TypeError, ValueError):
            raise BadInput("bad-challenge", "The challenge is not an active-liveness challenge document; issue a new one.") from None
        if not 1 <= len(challenge.actions) <= 5 or any(a not in ACTIONS for a in challenge.actions):
            raise BadInput("bad-challenge", f"An active challenge has 1 to 5 actions from {', '.join(ACTIONS)}.")
        return challenge


def issue_active(session_id: str, settings: FaceSettings | None = None, *, now: float | None = None, rng: Any = None) -> ActiveChallenge:
    """A random challenge of ``active_min_actions``..``active_max_actions`` different actions."""
    settings = settings or FaceSettings()
    rng = rng or secrets.SystemRandom()
    count = rng.randint(settings.active_min_actions, max(settings.active_min_actions, settings.active_max_actions))
    actions = tuple(rng.sample(ACTIONS, count))
    issued = time.time() if now is None else now
    return ActiveChallenge(secrets.token_urlsafe(16), session_id, issued, issued + settings.flash_challenge_ttl_s, actions)


@dataclass(frozen=True)
class _Rest:
    yaw: float
    pitch: float
    eyes: float
    mouth: float


def _eyes(observation: FaceObservation) -> float:
    return ((observation.left_eye_openness or 0.0) + (observation.right_eye_openness or 0.0)) / 2


@dataclass
class ActiveSession:
    """Follows one person through one :class:`ActiveChallenge`, frame by frame (not thread-safe).

    ``update`` returns the message id to show or speak now: the current action
    (``liveness.blink``...), ``liveness.hold_still`` while the resting face is
    learnt, a face problem (``liveness.no_face``...), or ``liveness.done``.
    """

    challenge: ActiveChallenge
    settings: FaceSettings = field(default_factory=FaceSettings)
    timeout_multiplier: float = 1.0
    completed: list[tuple[str, float]] = field(default_factory=list)
    failure: str | None = None
    _rest_samples: list[FaceObservation] = field(default_factory=list)
    _rest: _Rest | None = None
    _entered: bool = False
    _action_started: float | None = None
    _last_time: float | None = None

    @property
    def done(self) -> bool:
        return len(self.completed) == len(self.challenge.actions)

    @property
    def current_action(self) -> str | None:
        return None if self.done or self.failure else self.challenge.actions[len(self.completed)]

    @property
    def message_id(self) -> str:
        if self.failure:
            return self.failure
        if self.done:
            return "liveness.done"
        if self._rest is None:
            return "liveness.hold_still"
        return f"liveness.{self.current_action}"

    @property
    def window_s(self) -> float:
        return self.settings.active_action_timeout_s * max(1.0, self.timeout_multiplier)

    def update(self, observation: FaceObservation) -> str:
        """Take one frame's observation (in time order) and return the message id for now."""
        if self.failure or self.done:
            return self.message_id
        t = observation.timestamp_s
        if t is None or (self._last_time is not None and t <= self._last_time):
            self.failure = "liveness.frames_out_of_order" if t is not None else "liveness.missing_timestamps"
            return self.message_id
        self._last_time = t
        problem = face_problem(observation, self._relaxed())
        if problem:
            return problem
        if self._rest is None:
            self._rest_samples.append(observation)
            if len(self._rest_samples) >= self.settings.active_rest_frames:
                s = self._rest_samples
                self._rest = _Rest(
                    statistics.median(o.yaw_deg or 0.0 for o in s), statistics.median(o.pitch_deg or 0.0 for o in s),
                    statistics.median(_eyes(o) for o in s), statistics.median(o.mouth_openness or 0.0 for o in s),
                )
                self._action_started = t
            return self.message_id
        assert self._action_started is not None
        if t - self._action_started > self.window_s:
            self.failure = "liveness.action_timeout"
            return self.message_id
        entered, exited = self._levels(self.current_action or "", observation)
        if not self._entered and entered:
            self._entered = True
        elif self._entered and exited:
            self.completed.append((self.current_action or "", t))
            self._entered = False
            self._action_started = t
        return self.message_id

    def _relaxed(self) -> FaceSettings:
        # Turning the head is the point here: allow a wider yaw than capture does.
        return self.settings.model_copy(update={"max_yaw_deg": max(self.settings.max_yaw_deg, 60.0)})

    def _levels(self, action: str, o: FaceObservation) -> tuple[bool, bool]:
        """(past the enter level, back past the exit level) for ``action``."""
        rest, s = self._rest, self.settings
        assert rest is not None
        yaw, pitch = (o.yaw_deg or 0.0) - rest.yaw, (o.pitch_deg or 0.0) - rest.pitch
        if action == "blink":
            ratio = _eyes(o) / max(rest.eyes, 1e-3)
            return ratio < s.blink_closed_below, ratio > s.blink_open_above
        if action == "turn_left":
            return yaw > s.turn_enter_deg, yaw < s.turn_exit_deg
        if action == "turn_right":
            return yaw < -s.turn_enter_deg, yaw > -s.turn_exit_deg
        if action == "open_mouth":
            mouth = (o.mouth_openness or 0.0) - rest.mouth
            return mouth > s.mouth_open_delta, mouth < s.mouth_closed_delta
        if action == "nod":
            return pitch < -s.nod_enter_deg, pitch > -s.nod_exit_deg
        raise ValueError(action)


def verify_active(
    challenge: ActiveChallenge,
    frames: Sequence[Frame],
    session_id: str | None = None,
    *,
    settings: FaceSettings | None = None,
    store: NonceStore | None = None,
    timeout_multiplier: float = 1.0,
    now: float | None = None,
) -> LivenessVerdict:
    """Verdict on a recorded clip answering ``challenge`` (same rules as the live :class:`ActiveSession`)."""
    from barrierfree.vision.liveness.passive import passive_checks

    settings = settings or FaceSettings()
    store = store if store is not None else default_store()
    if session_id is not None and not secrets.compare_digest(challenge.session_id, session_id):
        return LivenessVerdict.refused("active", "liveness.challenge_other_session")
    if (time.time() if now is None else now) > challenge.expires_at:
        return LivenessVerdict.refused("active", "liveness.challenge_expired")
    if not store.claim(challenge.nonce, challenge.expires_at):
        return LivenessVerdict.refused("active", "liveness.challenge_reused")
    if not frames:
        return LivenessVerdict.refused("active", "liveness.too_few_frames")
    relaxed = settings.model_copy(update={"max_yaw_deg": max(settings.max_yaw_deg, 60.0)})
    screened = screen(frames, relaxed, identity="embedding")
    session = ActiveSession(challenge, settings, timeout_multiplier)
    for observation in screened.observations:
        if observation is not None:
            session.update(observation)
    reasons = list(screened.reasons)
    if session.failure:
        reasons.append(session.failure)
    elif not session.done:
        reasons.append("liveness.action_not_done")
    checks = list(screened.checks)
    checks.append(Check("active.actions_done", float(len(session.completed)), float(len(challenge.actions)), ">=", "actions"))
    if any(screened.usable):
        more_checks, more_reasons = passive_checks(frames, screened, settings)
        # Parallax needs a steady head to be measured against; the actions themselves move it, so
        # only moiré, glare and frame change (a static picture cannot act) are kept here.
        keep = {"passive.frame_change", "passive.moire", "passive.glare"}
        checks += [c for c in more_checks if c.name in keep]
        reasons += [r for r in more_reasons if r in {"liveness.static_picture", "liveness.screen_detected", "liveness.glare"}]
    details = {"actions": list(challenge.actions), "completed": [a for a, _ in session.completed]}
    return LivenessVerdict.from_checks("active", tuple(checks), tuple(reasons), details)
