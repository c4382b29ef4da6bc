"""Which card frames are worth sending as capture stills on the on-device path.

The server reads a capture's stills one by one and fuses the readings; a still blurred by the
hand, cut by the frame's edge, glared or of the other side reads as nothing, and a reading that
rests on one still is answered "read once more" (``card_frames_to_accept``). In the simulation
the stills the SDK took a frame interval after the captured one were blurred 5-7 px by a
trembling hand, again and again: the held frame read right, the two after it read nothing, and
the server asked for one more capture 11 times in a row.

So the SDK sends only frames its card finder judged usable (:func:`usable_still`): the captured
frame, usable frames of the same dwell before it, and usable frames after it within a time
budget (``device.still_budget_s``). The SDK's ``guidance/stills.js`` is the port of this module.
"""

from __future__ import annotations

from barrierfree.accessibility.guidance.assess_card import overexposed
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.card.observation import CardObservation

#: Phases in which a frame shows the card in place (the dwell before a capture, and the capture).
IN_PLACE_PHASES = frozenset({"hold_still", "captured"})


def usable_still(observation: CardObservation, expected_side: str | None, settings: GuidanceSettings) -> bool:
    """Whether the card finder's ``observation`` of a frame makes it worth sending as a still: the card
    found wholly in view (no edge cut), sharp (``card_still_min_sharpness``), no glare on what is read
    (``card_max_glare_fraction``, unless the whole card is evenly overexposed, as the guide's own glare
    check has it: such a card reads, and the guide captures it) and not seen as another side than
    ``expected_side``."""
    return bool(observation.found and not observation.cut_edges
                and observation.sharpness >= settings.card_still_min_sharpness
                and (observation.glare_fraction <= settings.card_max_glare_fraction or overexposed(observation, settings))
                and (expected_side is None or observation.side in ("unknown", expected_side)))
