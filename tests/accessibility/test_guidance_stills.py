"""The card's capture on either path: what the guide says when it decides one, and which frames the
on-device path sends as stills (:mod:`barrierfree.accessibility.guidance.stills`), on frames of
rendered cards seen by the real card finder."""

from __future__ import annotations

import numpy as np
import pytest

from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.guidance.stills import usable_still
from barrierfree.settings import Settings
from barrierfree.vision.card import CardFinder
from barrierfree.vision.frames import Frame
from testkit import cards
from testkit.blind_users.judge import SHARP_BLUR_PX
from testkit.blind_users.setups import TODAY
from testkit.scenes import CardScene


@pytest.fixture(scope="module")
def scene():
    rng = np.random.default_rng(7)
    holder = cards.random_cn_person(rng, TODAY)
    return CardScene(cards.render_card(holder, "front", px_per_mm=12, seed=7), table=cards.background("wood", (480, 640), rng))


def _seen(scene, pose, t: float = 0.0, **motion):
    frame, truth = scene.render(pose, timestamp_s=t, **motion)
    return CardFinder(Settings().document).observe(Frame(frame.pixels, t)), truth


def test_a_sharp_card_wholly_in_view_is_a_usable_still_and_a_blurred_cut_or_other_side_one_is_not(scene):
    s = Settings().guidance
    sharp, truth = _seen(scene, scene.pose_at(0.5, 0.5, 130))
    assert truth.blur_px <= SHARP_BLUR_PX and sharp.side == "portrait"
    assert usable_still(sharp, "portrait", s) and usable_still(sharp, None, s)
    assert not usable_still(sharp, "emblem", s)  # the other side reads as nothing for this step
    smeared, truth = _seen(scene, scene.pose_at(0.5, 0.5, 130), velocity_mm_s=(40.0, 10.0))
    assert truth.blur_px > SHARP_BLUR_PX and smeared.found and not usable_still(smeared, "portrait", s)
    cut, _ = _seen(scene, scene.pose_at(0.85, 0.5, 130))
    assert cut.found and cut.cut_edges and not usable_still(cut, "portrait", s)
    gone, _ = _seen(scene, scene.pose_at(3.0, 3.0, 130))
    assert not usable_still(gone, "portrait", s)


def test_the_card_guide_says_it_is_taking_the_photo_with_a_shutter_and_leaves_captured_to_the_answer(scene):
    """"Captured" only for a capture the server accepted (the SDK says it then): when the guide decides,
    it says "taking the photo, hold still" and plays the shutter, not the chime."""
    guide = Guide("card", Profile(language="zh-CN"), camera="back", expected_side="portrait")
    finder = CardFinder(Settings().document)
    frame, _ = scene.render(scene.pose_at(0.5, 0.5, 110))
    out = [guide.step(finder.observe(Frame(frame.pixels, i * 0.125)), None, now_s=i * 0.125) for i in range(40)]
    captured = [g for g in out if g.captured]
    assert len(captured) == 1, [g.phase for g in out]
    decided = captured[0]
    assert decided.speak is not None and decided.speak.cue.message_id == "card.capturing"
    assert decided.speak.text("zh-CN") == "拍照中，别动。" and decided.signal.earcon == "shutter"
    assert all(g.speak is None or g.speak.cue.message_id != "card.captured" for g in out)
