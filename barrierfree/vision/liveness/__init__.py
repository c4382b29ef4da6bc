"""Liveness: is a live person in front of the camera, answering now?

Three modes, each giving a :class:`LivenessVerdict`:

- :mod:`~barrierfree.vision.liveness.flash`: colour-flash reflection (the
  primary mode; the person only holds the phone still);
- :mod:`~barrierfree.vision.liveness.active`: blink / turn / open mouth / nod;
- :mod:`~barrierfree.vision.liveness.passive`: image evidence with no action.
"""

from barrierfree.vision.liveness.verdict import Check, LivenessVerdict

__all__ = ["Check", "LivenessVerdict"]
