"""When the :class:`~.guide.Guide` captures: the target held in place, and which frame is the photo.

Moved out of the guide (issue 24, item 6) with four changes, all judged by what the photo is
for downstream (the card reader, the face-match gates), not by the guide's own motion figure:

- **The sharpest recent frame**, not the sharpest since the target came into place. A card
  held in place for 56 s by a simulated user with a shaky hand was never captured: one frame
  early in the dwell read 1 233 (0.9 px of blur), its others 100-450, and the capture waited
  for a frame at 0.85 of that one. The captured frame is now at least
  ``capture_sharpest_fraction`` of the sharpest over the last ``capture_sharpest_window_s``.
- **A swaying card is judged by the stream's own sharpness bar.** A card going nowhere over
  ``card_sway_window_s`` is captured on a frame at the guide's sharpness bar (``card_min_sharpness``,
  or the share ``sharpness_relative_fraction`` of this stream's sharpest: 2.5 px of motion
  blur, the judge's limit, drops the measure below 0.6 of the still value), where it used to
  need ``card_min_sharpness`` itself, which a card seen from 15-20 cm never reaches.
- **A sharp frame is not refused for the motion between frames.** Kept from the tolerance only by
  "hold still" (the picture moved past the still limit since the last frame, 1/8 s before), a frame
  at the sharpness bar of a target swaying in place is captured: the photo is that one exposure.
- **The face's margin is given up for someone who cannot give it.** In place for
  ``face_capture_patience_s`` without a frame at ``face_capture_min_sharpness`` (25: the gate's
  20 with a margin), the face is captured on one at ``face_capture_patient_min_sharpness`` (the
  gate's own 20). A simulated user held the phone in place 7 s, frames at 15-24, before a 25.

A refused capture (:meth:`AutoCapture.refused`, with the server's reason) that says the photo was
blurred takes the margin back for the next one: the face's full floor, and the card's sharpest
frame of the window itself. "Hold still" and "hold it there" are one instruction here: said once
while the target stays in place, the steady tone carries it (the two alternated every 2 s as a
tremor blurred every other frame: a person heard them 20 times in a minute).
"""

from __future__ import annotations

import math
from collections import deque

from barrierfree.accessibility.guidance.assess import Assessment, cue
from barrierfree.accessibility.guidance.clock import lasted
from barrierfree.accessibility.guidance.model import Cue, Phase
from barrierfree.accessibility.guidance.motion import TargetMotion
from barrierfree.settings.guidance import GuidanceSettings

#: Cue kinds that ask the person to hold the target where it is.
HOLD_KINDS = ("blur", "hold")
#: The face-match gates' refusals, each with the cue that fixes it (blurred: hold still). A card the reader could not
#: read, or read with a failed check (a hand's motion blur, most often), is answered with "hold still" too
#: (:func:`refusal_cue`).
_REFUSAL_CUES = {
    "face": {"face-blurred": ("hold_still", "blur"), "face-turned": ("look_at_phone", "tilt"),
             "face-too-dark": ("too_dark", "light"), "face-too-bright": ("too_bright", "light")},
    "card": {},
}
#: Card refusals that are no reading failure (another document, no portrait found): not answered with "hold still".
_CARD_NOT_BLUR = frozenset({"wrong-document", "wrong-side", "portrait-not-found"})


def refusal_cue(target: str, reason: str | None) -> Cue | None:
    """The cue that answers a capture refused for ``reason`` (the server's code), or ``None`` for a reason the
    guide cannot answer better than by guiding again. A card that was not read right is held still."""
    if not reason:
        return None
    found = _REFUSAL_CUES[target].get(reason)
    if found is None and target == "card" and reason not in _CARD_NOT_BLUR:
        found = ("hold_still", "blur")
    return cue(target, *found) if found else None


class AutoCapture:
    """The hold-and-capture decision of one :class:`~.guide.Guide` (see the module docstring)."""

    def __init__(self, target: str, settings: GuidanceSettings, motion: TargetMotion, multiplier: float = 1.0) -> None:
        self.target, self.settings, self._motion, self._m = target, settings, motion, multiplier
        self._since: float | None = None  # since when the target has been in place
        self._recent: deque[tuple[float, float]] = deque()  # (t, sharpness) in place, over capture_sharpest_window_s
        self._hold_said = False  # a hold cue was said since the target came into place
        self._strict = False  # the last capture was refused as blurred: no margin given up
        self._answer: Cue | None = None  # the cue answering the last refusal, said once guidance resumes

    def reset(self) -> None:
        """Guide again (after a capture, accepted or not): the dwell starts over."""
        self._since, self._hold_said = None, False
        self._recent.clear()

    def refused(self, reason: str | None) -> None:
        """A capture was refused downstream for ``reason``: answer it with its cue, and after a blurred
        one take the next capture with the full margin."""
        self.reset()
        self._answer = refusal_cue(self.target, reason)
        self._strict = self._answer is not None and self._answer.kind == "blur"

    def answer(self) -> Cue | None:
        """The cue answering the last refusal, once (``None`` when there is none left to say)."""
        answer, self._answer = self._answer, None
        return answer

    def decide(self, assessment: Assessment, current: Cue, t: float, sharpness: float | None,
               bar: float) -> tuple[Phase, str | None]:
        """The phase for this frame, and its earcon ("lock" on coming into place, "captured").
        ``bar``: the guide's sharpness bar on this frame (:meth:`TargetMotion.sharpness_bar`)."""
        if not assessment.found or not assessment.in_place:
            self.reset()
            if not assessment.found:
                return ("searching" if current.kind == "searching" else "adjusting"), None
            return "adjusting", None
        # The dwell counts while the target stays in place; a smeared frame does not restart it, it is
        # just not the one captured: the capture is a frame about as sharp as the sharpest recent one (a
        # tremor blurs every other frame by 1-3 px), of a target not on its way somewhere (a hand gliding
        # at 0.12 of the frame a second is under the still limit, yet blurs the picture by 2.4 px).
        earcon = None
        if self._since is None:
            self._since, earcon = t, "lock"
        sharp = sharpness if sharpness is not None and math.isfinite(sharpness) else 0.0
        self._remember(t, sharp)
        sharpest = max(v for _, v in self._recent)
        fraction = 1.0 if self._strict else self.settings.face_capture_sharpest_fraction if self.target == "face" \
            else self.settings.capture_sharpest_fraction
        among_sharpest = sharp >= fraction * sharpest and sharp >= self._floor(t)
        steady = (not self._motion.travelling(photo=True) or self._sharp_despite_sway(sharp, bar)) \
            and not self._motion.turning()
        if self._in_tolerance(assessment, sharp, bar) and among_sharpest and steady and \
                lasted(self._since, t, self.settings.capture_dwell_s * self._m):
            self._strict = False
            return "captured", "captured"
        return "hold_still", earcon

    def _in_tolerance(self, assessment: Assessment, sharpness: float, bar: float) -> bool:
        """Within tolerance, or kept from it only by "hold still" on a frame that is itself sharp (at the
        guide's bar), of a target swaying in place (going nowhere over ``card_sway_window_s``): the motion
        figure goes frame to frame, 1/8 s apart, and a hand's sway moves the picture past the still limit
        between two frames while the one exposure is sharp. A simulated user's card read 3 300-3 600 (0.4-0.9 px
        of blur) every 5 s, always with "hold still" from the motion, and was never captured in 30 s in place."""
        return assessment.in_tolerance or (bool(assessment.cues) and sharpness >= bar
                                           and all(c.kind == "blur" for c in assessment.cues)
                                           and self._motion.swaying_in_place())

    def quiet(self, current: Cue) -> bool:
        """Whether ``current``, a hold cue, goes unsaid: one was said since the target came into place."""
        return current.kind in HOLD_KINDS and self._since is not None and self._hold_said

    def said(self, spoken: Cue) -> None:
        """The guide said ``spoken``: a hold cue said in place is not said again while it stays there."""
        if spoken.kind in HOLD_KINDS and self._since is not None:
            self._hold_said = True

    def _remember(self, t: float, sharpness: float) -> None:
        recent = self._recent
        recent.append((t, sharpness))
        window = self.settings.capture_sharpest_window_s * self._m
        while len(recent) > 1 and lasted(recent[0][0], t, window):
            recent.popleft()

    def _floor(self, t: float) -> float:
        """The least sharpness a face is captured at (0 for a card): the gate's with its margin, or, in place
        for ``face_capture_patience_s`` and no blurred capture refused since, the gate's own."""
        s = self.settings
        if self.target != "face":
            return 0.0
        patient = not self._strict and self._since is not None and lasted(self._since, t, s.face_capture_patience_s * self._m)
        return s.face_capture_patient_min_sharpness if patient else s.face_capture_min_sharpness

    def _sharp_despite_sway(self, sharpness: float, bar: float) -> bool:
        """Whether a card frame is sharp enough to be the photo though the picture sways
        (``card_capture_sharp_despite_sway``): at the guide's sharpness bar, of a card that goes nowhere."""
        s = self.settings
        return self.target == "card" and s.card_capture_sharp_despite_sway and sharpness >= bar \
            and self._motion.swaying_in_place()
