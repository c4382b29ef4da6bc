"""A piece of the card taken for the whole card does not steer anyone, nor measure a move."""

from __future__ import annotations

from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.vision.card.observation import CardObservation
from tests.guidance_helpers import FRAME, outlined

FPS = 10
FLAT = SensorReading(beta_deg=0.0, gamma_deg=0.0)


#: The card in place, 330 px long in a 480 px wide frame (about 14 cm above it with a 26 mm lens).
WHOLE = outlined((250, 330), 330)
#: A strip along the right edge taken for the card: a third as long, so "three times as far", and cut off.
PIECE = outlined((450, 320), 110, cut=("right",))


def test_a_piece_of_the_card_seen_every_third_frame_is_skipped_and_the_card_is_captured():
    """The card finder outlined a strip of the card at the frame's edge on one frame in three
    (in the simulation it did for seconds on end). Taken as the card, each of those frames said
    "cut off on the right, move 9 cm" and restarted the half-second hold, so the card in place
    was never captured."""
    guide = Guide("card", Profile(speech_rate_wpm=300, verbosity="normal"))
    frames = [PIECE if i % 3 == 2 else WHOLE for i in range(3 * FPS)]
    out = [guide.step(o, FLAT, now_s=i / FPS) for i, o in enumerate(frames)]
    captured = next(i for i, g in enumerate(out) if g.captured)
    pieces = [g for g, o in zip(out[:captured], frames) if o is PIECE]
    assert pieces and all("card-fragment" in g.notes and g.speak is None for g in pieces)
    assert not any(g.cue is not None and g.cue.kind == "partly_out" for g in out)


def test_a_card_that_really_goes_farther_or_comes_back_after_a_while_is_followed():
    """Raising the phone from 14 to 21 cm in half a second (14 cm/s, a brisk move) shrinks the
    card smoothly: every frame counts. A card seen again after a second out of sight counts at
    whatever size it has: the phone may have gone anywhere in between."""
    guide = Guide("card", Profile(speech_rate_wpm=300, verbosity="normal"))
    rising = [outlined((240, 320), 330 * 14 / (14 + 7 * i / 5)) for i in range(6)]
    gone = [CardObservation(found=False, frame_size=FRAME)] * FPS
    far = [outlined((240, 320), 110)] * 5  # a third as long as at first: the phone three times as high
    frames = [WHOLE] * 3 + rising + gone + far
    out = [guide.step(o, FLAT, now_s=i / FPS) for i, o in enumerate(frames)]
    assert not any("card-fragment" in g.notes for g in out)
    assert out[-1].cue is not None and out[-1].cue.message_id.startswith("card.move_closer")


def test_a_piece_of_a_cut_card_after_a_gap_is_not_measured():
    """A card cut off on the right, then out of sight for half a second, then found again as a
    piece of itself at the frame's edge: its scale puts the phone three times as far as the card
    just seen did. A move measured on it ("9 cm to your right" for 3) sent a simulated user past
    the card, so the way is said without a distance."""
    obs = ([outlined((360, 320), 300, ("right",))] * 10             # 0.0-0.9 s: cut off on the right
           + [CardObservation(found=False, frame_size=FRAME)] * 6   # 1.0-1.5 s: out of sight
           + [outlined((440, 320), 100, ("right",))] * 50)          # 1.6-6.5 s: a piece of it, at the edge
    guide = Guide("card", Profile(speech_rate_wpm=450))
    said = [(round(i / FPS, 1), g.speak.cue) for i, g in
            enumerate(guide.step(o, None, now_s=i / FPS) for i, o in enumerate(obs)) if g.speak]
    assert said[0][1].message_id == "card.partly_out_right_by"
    later = [cue for t, cue in said if t >= 1.6]
    assert later and all(cue.message_id == "card.partly_out_right" for cue in later), said
