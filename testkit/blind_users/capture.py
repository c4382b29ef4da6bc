"""What the phone takes when the on-device guide says "captured", and how the server judges it.

The SDK (``barrierfree/web/static/sdk/session.js``) on the device path:

- **Card** (``card()``): ``max_stills`` full-resolution stills (``captureWidth`` 1280 of the
  back camera's stream, JPEG 92), sent in one request that the server reads still by still and
  fuses (:func:`barrierfree.onboarding.journey.device.fuse_stills`): stills of another side or
  of no card are dropped, the rest fused; a valid fused reading resting on too few stills is
  answered ``reading-once-more`` (no failure: the guide guides again). The first still is the
  frame the guide judged, held at full resolution when it was grabbed (``Camera.hold``); then
  one still a frame interval (``1 / fps``) after each JPEG encoding. Without the held frame
  (``held=False``, the SDK before it kept it) the first still was drawn when the reply came.
- **Face** (``liveness()``): no still at all. The SDK asks for a liveness challenge (one round
  trip), says the flash introduction, waits 1.5 s, then records the clip (``grab(frameWidth
  640, 0.8)`` at the challenge's 12 fps while 6 colours of 400–600 ms are shown). The server
  keeps, of a passing clip, the frame :func:`barrierfree.vision.facequality.best_frame` picks,
  and the face match gates that one (:func:`~barrierfree.vision.facequality.one_face`).
  Not modelled: the colours' tint on the face (the verifier's and ``best_frame``'s tint
  penalty), and the liveness verdict itself.

The server's answer reaches the phone one round trip after the last shot (the upload and the
reading time are not added: a flattering simplification, the same for both SDK versions).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from barrierfree.onboarding.journey.device import fuse_stills
from barrierfree.onboarding.journey.results import card_refusal
from barrierfree.onboarding.journey.steps import Step
from barrierfree.settings import Settings
from testkit.blind_users.judge import Verdict, meets_criteria

#: Time the phone takes to draw and JPEG-encode one full-resolution still, seconds. ASSUMPTION (a
#: 720 × 1280 ``canvas.toBlob`` at 0.92 on a mid-range phone); it only spaces the stills apart.
ENCODE_S = 0.03
#: The SDK's pause before the flash colours start (``recordFlash``: ``sleep(1500)``), seconds.
FLASH_INTRO_S = 1.5
#: The liveness clip's frame size (width, height): ``frameWidth`` 640 of the front camera's 3:4 frames.
CLIP_SIZE = (640, 853)
#: JPEG quality of the clip's frames (``camera.grab(frameWidth, 0.8)``).
CLIP_JPEG_QUALITY = 80


@dataclass(frozen=True)
class Shot:
    """One picture the phone takes: when (session clock, s), and at which frame size (width, height)."""

    t: float
    size: tuple[int, int]
    quality: int
    held: bool = False  # the frame the guide judged, held since its grab (rendered from then)


@dataclass
class Capture:
    """One device-path capture in progress: its shots, the pictures taken so far, when the answer comes."""

    decided_s: float  # when the guide's "captured" reached the phone
    shots: tuple[Shot, ...]
    answer_delay_s: float  # from the last shot to the server's answer
    frames: int = 0  # the clip's frame count (face; 0 for the card's stills)
    pictures: list[tuple[np.ndarray, object]] = field(default_factory=list)  # (pixels, truth), in shot order

    @property
    def answer_at(self) -> float:
        return self.shots[-1].t + self.answer_delay_s

    def due(self, t: float) -> list[Shot]:
        """The shots not yet taken whose time has come."""
        return [s for s in self.shots[len(self.pictures):] if s.t <= t + 1e-9]


def card_shots(grabbed_s: float, replied_s: float, stills: int, fps: float, still_size: tuple[int, int],
               quality: int, held: bool = True) -> tuple[Shot, ...]:
    """The card stills' times: the held frame (at its grab) or a still at the reply, then one a frame
    interval after each encoding (``await sleep(1000 / fps)`` between ``capture`` calls)."""
    first = Shot(grabbed_s if held else replied_s, still_size, quality, held=held)
    shots, t = [first], replied_s
    for _ in range(1, stills):
        t += ENCODE_S + 1.0 / fps
        shots.append(Shot(t, still_size, quality))
    return tuple(shots)


def flash_shots(replied_s: float, challenge_rtt_s: float, settings: Settings, rng: np.random.Generator,
                fps: float) -> tuple[tuple[Shot, ...], int]:
    """The clip frames ``best_frame`` looks at (every ``len // match_selfie_candidates``-th, as it
    samples), and the clip's whole frame count."""
    face = settings.face
    colours_s = sum(rng.uniform(face.flash_min_colour_ms, face.flash_max_colour_ms) for _ in range(face.flash_colour_count)) / 1000
    start = replied_s + challenge_rtt_s + FLASH_INTRO_S
    count = max(1, math.ceil(colours_s * fps))
    step = max(1, count // face.match_selfie_candidates)
    return tuple(Shot(start + i / fps, CLIP_SIZE, CLIP_JPEG_QUALITY) for i in range(0, count, step)), count


def judge_card(capture: Capture, read: Callable[[np.ndarray], object], expected: dict[str, str],
               settings: Settings) -> Verdict:
    """The stills read and fused as the server does; good when accepted and every field reads right.
    ``meets``: the first still (the one the guide's decision is about) meets the criteria."""
    first_pixels, first_truth = capture.pictures[0]
    problem = meets_criteria("card", first_truth, (first_pixels.shape[1], first_pixels.shape[0]), settings)
    fused = fuse_stills(Step.CARD_FRONT, [read(pixels) for pixels, _ in capture.pictures], settings.onboarding)
    reading = fused.reading
    if fused.once_more:
        refusal = "reading-once-more"
    else:
        refusal = card_refusal(Step.CARD_FRONT, reading.document_type, reading.valid, reading.portrait is not None,
                               reading.reason_code)
    if refusal is None:
        wrong = sorted(name for name, value in expected.items() if reading.fields.get(name) != value)
        refusal = f"misread:{','.join(wrong)}" if wrong else None
    return Verdict(problem is None, refusal is None, problem or refusal,
                   None if refusal is None or refusal.startswith("misread") else refusal)


def judge_face(capture: Capture, settings: Settings) -> Verdict:
    """The clip frame the server keeps as the selfie (``best_frame``), through the criteria and the face-match gates."""
    from barrierfree.errors import BadInput
    from barrierfree.vision.facequality import SELFIE, best_frame, one_face

    # best_frame samples every (count // candidates)-th frame of the clip: only those were rendered,
    # and the others are never looked at, so any array stands in for them.
    step = max(1, capture.frames // settings.face.match_selfie_candidates)
    frames = [capture.pictures[min(i // step, len(capture.pictures) - 1)][0] for i in range(capture.frames)]
    pixels, truth = capture.pictures[best_frame(frames, settings.face) // step]
    problem = meets_criteria("face", truth, (pixels.shape[1], pixels.shape[0]), settings)
    try:
        one_face(pixels, SELFIE, settings.face)
        refused = None
    except BadInput as error:
        refused = error.code
    return Verdict(problem is None, refused is None, problem or refused, refused)
