"""The lamp's reflection on a card blows the camera out in any room light, as a real highlight does.

Painted before the room's light dimmed the picture, the highlight came out as a grey sheen
(164 against the paper's 150 at 0.6 × light) that wiped the text under it, yet no blown-out
pixel was left for the real card finder to see: every capture of such a card failed the
judge's glare criterion and the reader, while the guide heard of no glare at all.
"""

from __future__ import annotations

import numpy as np
import pytest

from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from barrierfree.vision.frames import Frame
from testkit import cards
from testkit.blind_users.setups import TODAY
from testkit.scenes import CardScene


@pytest.mark.parametrize("light", [1.0, 0.8, 0.6])
def test_the_real_finder_sees_the_glare_the_judge_counts_in_dim_light(light):
    rng = np.random.default_rng(7)
    holder = cards.random_cn_person(rng, TODAY)
    texture = cards.render_card(holder, "front", px_per_mm=12, seed=7)
    # The lamp straight above the card: its reflection falls on the card's middle (the address).
    scene = CardScene(texture, table=cards.background("wood", (480, 640), rng), lamp_mm=(0.0, 0.0, 700.0))
    frame, truth = scene.render(scene.pose_at(0.5, 0.5, 130), light=light)
    observation = Runtime.from_settings(Settings()).card_finder.observe(Frame(frame.pixels, 0.0))
    assert truth.glare_on_target and observation.found
    assert observation.glare_fraction > Settings().guidance.card_max_glare_fraction
    assert observation.glare_center is not None
    assert int(frame.pixels.max()) == 255  # blown out, whatever the room's light
