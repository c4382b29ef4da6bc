"""Whether a capture is good: the criteria on the scene's ground truth, the card reader, the face-match gates.

The criteria are fixed here and never read from the guide's settings (the guide aims
inside them with a margin for what the vision mismeasures and the hand sways).

Face: what the still is for, and nothing more. It feeds the face match, whose quality
gates (run here for real) refuse a face too small in pixels, turned, with closed eyes,
badly lit or blurred, and the liveness flash, which needs the face in view at least
``face.min_face_width_fraction`` of the frame wide. Neither needs the face centred: a
face wholly in the photo with room around it is as good a match anywhere in it. So a
face still meets the criteria when the face's outline (:attr:`Truth.corners`: 140 mm
wide, 1.3 widths either side of its centre tall, forehead to chin) lies wholly inside
the frame with :data:`FACE_MARGIN` of the frame to spare on every side, and the face is
between the liveness minimum (and :data:`FACE_WIDTH`'s low end, whichever is higher)
and :data:`FACE_WIDTH`'s high end of the frame's width (closer, the lens distorts the
face). Until issue 24's guide work it also had to be centred within 0.12 of (0.5, 0.45):
the guide's own aim, which nothing downstream uses.

Card: wholly inside, sharp (motion blur at most :data:`SHARP_BLUR_PX`), no glare on it.

On the capture still (the photo the phone really takes), a card also goes through the
real reader (:func:`barrierfree.vision.idcard.read_document`) and counts only when
every field reads right; a face must pass the face-match quality gates
(:func:`barrierfree.vision.facequality.one_face`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from barrierfree.errors import BadInput
from barrierfree.settings import Settings
from testkit.scenes import FRAME_SIZE

#: Face: room to spare between the face's outline and every edge of the frame, as a share of the frame's
#: width (left, right) and height (top, bottom): 0.03 is 1.4-2.4 cm at arm's length.
FACE_MARGIN = 0.03
#: Face: width as a share of the frame's, lowest (raised to the liveness minimum if that is higher) and highest.
FACE_WIDTH = (0.20, 0.65)
#: Largest motion blur, in pixels of the streamed 480-wide frame, for a card photo to count as sharp
#: (text strokes are 3-4 px wide there). On a larger still, scaled with its width.
SHARP_BLUR_PX = 2.5
#: The width the blur limit is stated at, pixels.
BLUR_REFERENCE_WIDTH = 480


@dataclass(frozen=True)
class Verdict:
    """One capture photo judged: ``meets`` the criteria; ``read_right`` (card: every field; face: the gates
    passed); ``problem``: why not (a criterion, the reader's reason or the gate's refusal code), else ``None``;
    ``refusal``: the server's own refusal code, when the photo was read and the server would refuse it (a
    criterion is the simulation's, known from the scene; the server answers with what its reader or gates found)."""

    meets: bool
    read_right: bool
    problem: str | None = None
    refusal: str | None = None
    #: Card, a misread the server accepts: its wrong fields that carried a flag the person is asked to confirm
    #: at review (``warned``), and those that carried none (``silent``: issue 18's worst failure).
    warned: tuple[str, ...] = ()
    silent: tuple[str, ...] = ()

    @property
    def good(self) -> bool:
        return self.meets and self.read_right

    @property
    def misread(self) -> bool:
        return bool(self.warned or self.silent or (self.problem and self.problem.startswith("misread")))


def meets_criteria(target: str, truth, frame_size: tuple[int, int] = FRAME_SIZE, settings: Settings | None = None) -> str | None:
    """The first criterion ``truth`` (a :class:`~testkit.scenes.Truth` of a picture ``frame_size``
    (width, height) pixels) fails, or ``None``."""
    settings = settings or Settings()
    if not truth.inside:
        return "not-inside"
    if target == "face":
        if not _inside_with_margin(truth.corners, frame_size, FACE_MARGIN):
            return "near-edge"
        low, high = FACE_WIDTH
        return None if max(low, settings.face.min_face_width_fraction) <= truth.size <= high else "wrong-size"
    if truth.blur_px > SHARP_BLUR_PX * frame_size[0] / BLUR_REFERENCE_WIDTH:
        return "blurred"
    return "glare" if truth.glare_on_target else None


def _inside_with_margin(corners: np.ndarray, frame_size: tuple[int, int], margin: float) -> bool:
    """Whether every corner (pixels) lies ``margin`` of the frame's width or height inside its edges."""
    width, height = frame_size
    x, y = corners[:, 0] / width, corners[:, 1] / height
    return bool(np.all((x >= margin) & (x <= 1 - margin) & (y >= margin) & (y <= 1 - margin)))


#: The criteria's own problems: the simulation knows them from the scene's ground truth, the server never does.
CRITERIA_PROBLEMS = frozenset({"not-inside", "near-edge", "wrong-size", "blurred", "glare"})


def server_reason(verdict: Verdict) -> str | None:
    """The refusal code the server would answer a refused capture with, as far as the simulation knows it: the
    reader's or the face-match gates' code; ``None`` for a still that was not read (it failed a criterion) or a
    misread (the server accepts it, and only the simulation knows the fields are wrong)."""
    if verdict.refusal is not None:
        return verdict.refusal
    problem = verdict.problem
    if problem is None or problem in CRITERIA_PROBLEMS or problem.startswith("misread"):
        return None
    return problem


def flagged(reading, name: str, settings: Settings) -> bool:
    """Whether the review step asks the person to look at field ``name`` of an accepted ``reading``: a failed
    check about it (by its ``field`` or, as the journey does, by its name), a value its rules refuse, or a
    confidence under ``review_unsure_confidence`` (:mod:`barrierfree.onboarding.journey.review`)."""
    from barrierfree.onboarding.journey.fields import IDENTITY, check_field, flagged_by_check

    value = reading.fields.get(name)
    if value is None:
        return True
    if any(not c.passed and (c.field == name or name in flagged_by_check(c.name)) for c in reading.checks):
        return True
    if name in IDENTITY and check_field(name, value) is not None:
        return True
    return reading.field_confidence.get(name, 0.0) < settings.onboarding.review_unsure_confidence


class Judge:
    """Judges capture photos for one session."""

    def __init__(self, target: str, settings: Settings, expected: dict[str, str] | None = None,
                 today: date | None = None, read: bool = True) -> None:
        self.target, self.settings, self.expected, self.today, self.read = target, settings, expected or {}, today, read

    def frame(self, truth) -> Verdict:
        """The first model's judgement: the criteria on the frame the guide judged, nothing read."""
        problem = meets_criteria(self.target, truth, settings=self.settings)
        return Verdict(problem is None, True, problem)

    def still(self, pixels: np.ndarray, truth) -> Verdict:
        """The capture still: the criteria, then the reader (card) or the face-match gates (face).

        A still that fails the criteria is not read (``read_right`` False): it is no good
        capture whatever the reader makes of it, and reading costs seconds of the simulation.
        """
        problem = meets_criteria(self.target, truth, (pixels.shape[1], pixels.shape[0]), self.settings)
        if not self.read:
            return Verdict(problem is None, True, problem)
        if problem is not None:
            return Verdict(False, False, problem)
        read_problem = self._card(pixels) if self.target == "card" else self._face(pixels)
        return Verdict(problem is None, read_problem is None, problem or read_problem)

    def _card(self, pixels: np.ndarray) -> str | None:
        from barrierfree.vision.idcard import read_document

        reading = read_document(pixels, settings=self.settings, today=self.today)
        if reading.document_type == "unknown":
            return (reading.reason or "unread").split(":")[0]
        wrong = sorted(name for name, value in self.expected.items() if reading.fields.get(name) != value)
        return f"misread:{','.join(wrong)}" if wrong else None

    def _face(self, pixels: np.ndarray) -> str | None:
        from barrierfree.vision.facequality import SELFIE, one_face

        try:
            one_face(pixels, SELFIE, self.settings.face)
        except BadInput as refused:
            return refused.code
        return None
