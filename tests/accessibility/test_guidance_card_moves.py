"""How the guide watches a person carry out a move over a card: when they are at rest, and
what their moves teach it about their hand (issue 24, the card target: fewer, surer moves)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.guidance.assess_card import assess_card
from barrierfree.accessibility.guidance.model import Cue
from barrierfree.accessibility.guidance.response import Response
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.card import CardFinder
from testkit import cards
from testkit.scenes import CardScene
from tests.guidance_helpers import outlined

FPS = 10
FLAT = SensorReading(beta_deg=2.0, gamma_deg=1.0)
BRISK = Profile(speech_rate_wpm=450)
CLOSER = Cue("card.move_closer_by", "distance", 4, "closer", (("cm", 6),))
HOLD = Cue("card.hold_still", "blur", 8)


def _swaying_far_card(seconds: float) -> list:
    """A card too far (coverage 0.07), held by a hand that does not move but wobbles: the picture
    swings 20 px either way at 0.7 Hz, past the still limit (0.15 frame widths a second) at each swing."""
    return [outlined((240 + 20 * math.sin(2 * math.pi * 0.7 * i / FPS), 320), 190) for i in range(int(seconds * FPS))]


@pytest.mark.parametrize("at_rest", [True, False])
def test_a_wobbling_hand_that_did_not_move_hears_the_move_again_at_the_repeat(at_rest):
    """Told "closer", the person did nothing (forgot, or missed it) and holds the phone, which
    wobbles in place: they are at rest, and hear the move again at the 4 s repeat. Taken for a
    hand on the move (``card_still_despite_sway`` off), they waited twice as long."""
    settings = GuidanceSettings(card_still_despite_sway=at_rest, learn_hand_gain=False)
    guide = Guide("card", BRISK, settings)
    said = [(g.timestamp_s, g.speak.cue.message_id) for i, obs in enumerate(_swaying_far_card(10.0))
            if (g := guide.step(obs, FLAT, now_s=i / FPS)).speak]
    assert said[0] == (0.0, "card.move_closer_by")
    assert said[1][1] == "card.move_closer_by"
    assert said[1][0] == pytest.approx(4.0 if at_rest else 8.0)


def _frame(response: Response, t: float, needed_z: float, moving: bool) -> None:
    response.saw(t, moving, True)
    response.learn(t, (0.0, 0.0, needed_z))
    response.now(((0.5, 0.5), 0.3), (0.0, 0.0, needed_z))


@pytest.mark.parametrize("cut_short", [True, False])
def test_a_move_cut_short_by_the_guide_teaches_nothing_about_the_hand(cut_short):
    """Half-way through "6 cm closer" the guide says "hold still" (the card is in place): the
    person stops there, at 3 cm, and that is not how far their hand goes for 6. A move they
    stopped themselves at 3 cm is: a gain of 0.5."""
    response = Response("card", GuidanceSettings())
    response.now(((0.5, 0.5), 0.3), (0.0, 0.0, -60.0))
    response.told(CLOSER, 0.0)
    t, needed = 0.0, -60.0
    while t < 0.9:
        t += 0.1
        _frame(response, t, needed, False)
    for _ in range(5):  # 1.0-1.4 s: half the move
        t, needed = t + 0.1, needed + 6.0
        _frame(response, t, needed, True)
    if not cut_short:
        t += 0.5  # they stopped by themselves, and were still for a while before anything was said
        _frame(response, t, needed, False)
    response.told(HOLD, t)
    while t < 4.0:
        t += 0.1
        _frame(response, t, needed, False)
    assert response.hand.value == pytest.approx(1.0 if cut_short else 0.5)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_card_cut_off_at_the_right_distance_is_sized_by_its_whole_outline(seed):
    """A card rendered at 17 cm (0.104 of the frame, inside the band that starts at 0.10), its centre
    at 0.82 of the frame's width: the real card finder sees a part of it cut off by the frame's
    right edge. The guide says "partly out", and not "too far" with it: sized by the part in view
    (``card_size_from_whole_outline`` off) the card reads too far, and once the move has centred it,
    "too far"'s hysteresis asks the card to come closer still, a round the reader does not need."""
    rng = np.random.default_rng(seed)
    person = cards.random_cn_person(rng, date(2026, 11, 29))
    scene = CardScene(cards.render_card(person, "front", px_per_mm=8, seed=seed),
                      table=cards.background("wood", (480, 640), rng))
    finder = CardFinder()
    cut = finder.observe(scene.render(scene.pose_at(0.82, 0.5, 170.0))[0])
    centred = finder.observe(scene.render(scene.pose_at(0.5, 0.5, 170.0))[0])
    assert cut.cut_edges == frozenset({"right"}) and cut.coverage < 0.1 <= centred.coverage
    whole, in_view = GuidanceSettings(), GuidanceSettings(card_size_from_whole_outline=False)
    said = assess_card(cut, FLAT, whole)
    assert said.cues[0].message_id == "card.partly_out_right_by" and "too_far" not in said.keys
    assert assess_card(centred, FLAT, whole, said.keys).in_tolerance
    before = assess_card(cut, FLAT, in_view)
    assert "too_far" in before.keys
    assert "too_far" in assess_card(centred, FLAT, in_view, before.keys).keys
