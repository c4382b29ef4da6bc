"""What a guide says before the first frame: the task, and how the tones work (:meth:`.Guide.introduction`).

Apart from :mod:`.guide` so that module stays about the frames; the SDK's ``guide.js`` keeps it
as one method, with the same choices.
"""

from __future__ import annotations

from barrierfree.accessibility.guidance.assess import RANKS
from barrierfree.accessibility.guidance.model import Cue
from barrierfree.accessibility.profile import Profile
from barrierfree.settings.guidance import GuidanceSettings


def introduction_cues(target: str, expected_side: str | None, profile: Profile, settings: GuidanceSettings,
                      explain_tones: bool, full: bool = False) -> tuple[Cue, ...]:
    """The introduction's cues for ``target`` (see :meth:`.Guide.introduction` for the choices)."""
    if profile.verbosity == "brief" and not full:
        return ()
    start = "face.start" if target == "face" else f"card.start_{'emblem' if expected_side == 'emblem' else 'portrait'}"
    if full or not settings.short_introduction:
        cues = [Cue(start, "notice", RANKS["notice"])]
        if profile.tones and (full or (profile.verbosity == "detailed" and explain_tones)):
            cues.append(Cue("guide.tones_explained", "notice", RANKS["notice"]))
        return tuple(cues)
    cues = [Cue(start + ".short", "notice", RANKS["notice"])]
    if profile.tones and explain_tones and not settings.tones_when_first_needed:
        cues.append(Cue("guide.tones_short", "notice", RANKS["notice"]))
    return tuple(cues)
