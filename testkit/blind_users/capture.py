"""What the phone takes when the on-device guide decides a capture, and how the server judges it.

The SDK (``barrierfree/web/static/sdk/session.js``) on the device path, and for the card on the
server path too (where the server's guidance says which frames are usable, and the server fuses the
capture's readings with the step's earlier ones: ``judge_card``'s ``remembered``):

- **Card** (``card()`` and ``stills.js`` ``CardStills``): up to ``max_stills`` full-resolution
  stills (``captureWidth`` 1280 of the back camera's stream, JPEG 92), sent in one request that the
  server reads still by still and fuses (:func:`barrierfree.onboarding.journey.device.fuse_stills`;
  on the device path the stills of a capture answered ``reading-once-more`` are carried, sent again after
  the next capture's own, ``carry_stills``):
  stills of another side or of no card are dropped, the rest fused; a valid fused reading resting on
  too few stills is answered ``reading-once-more`` (no failure: the guide guides again). Every guided
  frame is held at full resolution when it is grabbed (``Camera.hold``). The stills (:class:`CardStills`):
  the frame the guide captured on; the frames of the same dwell (phase ``hold_still``) from
  ``still_window_s`` before it that the card finder judged usable
  (:func:`barrierfree.accessibility.guidance.stills.usable_still`), the latest first; then the frames
  observed after it (a frame interval apart, the guide frozen) that it judges usable, until there are
  as many as the server accepts on (``card_frames_to_accept``, the wire's ``stills_to_accept``) or
  ``still_budget_s`` has passed. Then each is JPEG-encoded (:data:`ENCODE_S`) and
  sent. Before the SDK chose them (``blind_stills``), the held frame was followed by fresh stills a
  frame interval after each encoding, usable or not; without the held frame (``held=False``, the SDK
  before it kept it) the first still was drawn when the reply came.
- **Face** (``liveness()``): no still at all. The SDK asks for a liveness challenge (one round
  trip), says the flash introduction, waits 1.5 s, then records the clip (``grab(frameWidth
  640, 0.8)`` at the challenge's 12 fps while 6 colours of 400–600 ms are shown). The server
  keeps, of a passing clip, the frame :func:`barrierfree.vision.facequality.best_frame` picks,
  and the face match gates that one (:func:`~barrierfree.vision.facequality.one_face`).
  Not modelled: the colours' tint on the face (the verifier's and ``best_frame``'s tint
  penalty), and the liveness verdict itself.

The server's answer reaches the phone one round trip after the request is sent (the upload and the
reading time are not added: a flattering simplification, the same for every SDK version).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from barrierfree.accessibility.guidance.stills import IN_PLACE_PHASES
from barrierfree.onboarding.journey.device import fuse_stills
from barrierfree.onboarding.journey.results import ACCEPTED_DOCUMENTS, card_refusal
from barrierfree.onboarding.journey.steps import Step
from barrierfree.settings import Settings
from testkit.blind_users.judge import Verdict, flagged, meets_criteria

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
    """One device-path capture in progress: its shots, the pictures taken so far, when the answer comes.

    Fixed ``shots`` (the face's clip, the card's stills before the SDK chose them), or, for the card's
    chosen stills, no shots: the session adds each usable frame's picture while ``collecting`` and
    then sets ``sent_s``."""

    decided_s: float  # when the guide's capture decision reached the phone
    shots: tuple[Shot, ...]
    answer_delay_s: float  # from the request's sending to the server's answer
    frames: int = 0  # the clip's frame count (face; 0 for the card's stills)
    pictures: list[tuple[np.ndarray, object]] = field(default_factory=list)  # (pixels, truth), in shot order
    until_s: float = 0.0  # chosen stills: usable frames are looked for until then...
    most: int = 0  # ...or until there are this many (the wire's ``stills_to_accept``)
    next_frame_s: float = 0.0  # when the SDK grabs the next frame to judge
    sent_s: float | None = None  # chosen stills: when the request went (after the stills' encoding)

    @property
    def collecting(self) -> bool:
        return not self.shots and self.sent_s is None

    @property
    def answer_at(self) -> float:
        if not self.shots:
            return math.inf if self.sent_s is None else self.sent_s + self.answer_delay_s
        return self.shots[-1].t + self.answer_delay_s

    def due(self, t: float) -> list[Shot]:
        """The shots not yet taken whose time has come."""
        return [s for s in self.shots[len(self.pictures):] if s.t <= t + 1e-9]

    def send(self, t: float) -> None:
        """The SDK stops looking at ``t`` and encodes the stills (one after another) and sends them."""
        self.sent_s = t + ENCODE_S * len(self.pictures)


class CardStills:
    """The SDK's ``CardStills`` (``stills.js``): the guided card frames it keeps as stills of one dwell."""

    def __init__(self, window_s: float, most: int) -> None:
        self.window_s, self.most = window_s, most
        self.kept: list[tuple[float, bool, object]] = []  # (t, captured, the frame's grab)
        self.carried: list[object] = []  # the stills of a capture answered "read once more" (device path)

    def carry(self, stills: list[object]) -> None:
        """A capture answered "read once more": its stills go again after the next capture's own."""
        self.carried = list(stills)

    def note(self, phase: str, captured: bool, usable: bool, t: float, grab: object) -> None:
        """After each guided frame: keep it when captured on, or in place and usable; forget the dwell once out of place."""
        if not captured and phase not in IN_PLACE_PHASES:
            self.kept = []
            return
        if captured or usable:
            self.kept = [k for k in [*self.kept, (t, captured, grab)] if k[0] >= t - self.window_s - 1e-6][-self.most:]

    def chosen(self) -> list[object]:
        """The capture's kept frames, the captured one first, then the dwell's latest first, then the carried
        stills (and forgets them all)."""
        kept, self.kept = self.kept, []
        carried, self.carried = self.carried, []
        ordered = [grab for _, _, grab in [*(k for k in kept if k[1]), *reversed([k for k in kept if not k[1]])]]
        return [*ordered, *carried][:self.most]


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
               settings: Settings, remembered: list | None = None) -> Verdict:
    """The stills read and fused as the server does; good when accepted and every field reads right.
    ``meets``: the first still (the one the guide's decision is about) meets the criteria.

    ``remembered``: the server path's memory of the step's readings (``Streams.remember``, updated
    here): the readings of the wanted side are fused with the last ``card_frames_fused`` of earlier
    captures, as :func:`barrierfree.onboarding.journey.camera.read_card` does. ``None``: the device
    path's check, which keeps nothing between requests."""
    first_pixels, first_truth = capture.pictures[0]
    problem = meets_criteria("card", first_truth, (first_pixels.shape[1], first_pixels.shape[0]), settings)
    readings = [read(pixels) for pixels, _ in capture.pictures]
    wanted = [r for r in readings if r.document_type in ACCEPTED_DOCUMENTS[Step.CARD_FRONT]]
    if remembered is not None and wanted:
        remembered[:] = [*remembered, *wanted][-settings.onboarding.card_frames_fused:]
        readings = list(remembered)
    fused = fuse_stills(Step.CARD_FRONT, readings, settings.onboarding)
    reading = fused.reading
    if fused.once_more:
        refusal = "reading-once-more"
    else:
        refusal = card_refusal(Step.CARD_FRONT, reading.document_type, reading.valid, reading.portrait is not None,
                               reading.reason_code)
    warned: tuple[str, ...] = ()
    silent: tuple[str, ...] = ()
    if refusal is None:
        wrong = sorted(name for name, value in expected.items() if reading.fields.get(name) != value)
        refusal = f"misread:{','.join(wrong)}" if wrong else None
        warned = tuple(name for name in wrong if flagged(reading, name, settings))
        silent = tuple(name for name in wrong if name not in warned)
    return Verdict(problem is None, refusal is None, problem or refusal,
                   None if refusal is None or refusal.startswith("misread") else refusal, warned, silent)


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
