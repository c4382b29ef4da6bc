"""Passive liveness: no action asked; image evidence only."""

from __future__ import annotations

import numpy as np
import pytest

from barrierfree.settings.face import FaceSettings
from testkit import faces, photos
from barrierfree.vision.frames import Frame
from barrierfree.vision.liveness.passive import moire, verify_passive
from barrierfree.vision.face import FaceAnalyzer
from tests import face_clips as clips


def test_a_live_person_holding_the_phone_passes():
    verdict = verify_passive(list(clips.idle("obama", 3)))
    assert verdict.passed, verdict.to_dict()
    parallax = next(c for c in verdict.checks if c.name == "passive.parallax")
    assert parallax.figure > parallax.threshold


def test_a_printed_photo_moving_as_one_plane_fails():
    frames = faces.print_attack(faces.prepare("obama"), 2.0, camera=faces.Camera(fps=clips.FPS), seed=3)
    verdict = verify_passive(frames)
    assert not verdict.passed and "liveness.flat_face" in verdict.reasons


def test_a_screen_replay_shows_moire():
    replay = faces.screen_replay(list(clips.idle("astronaut", 3)), seed=2)
    verdict = verify_passive(replay)
    assert not verdict.passed and "liveness.screen_detected" in verdict.reasons
    with FaceAnalyzer() as analyzer:
        live, shown = clips.idle("astronaut", 3)[0].pixels, replay[0].pixels
        assert moire(shown, analyzer.observe(shown)) > 2 * moire(live, analyzer.observe(live))


@pytest.mark.parametrize("name", ["obama", "astronaut"])
def test_a_glossy_print_catching_a_lamp_is_refused_by_the_glare_check(name):
    frames = faces.glossy_print_attack(faces.prepare(name), 2.0, camera=faces.Camera(fps=clips.FPS), seed=1)
    verdict = verify_passive(frames)
    glare = next(c for c in verdict.checks if c.name == "passive.glare")
    assert not glare.passed and glare.figure > glare.threshold, verdict.to_dict()
    assert not verdict.passed and "liveness.glare" in verdict.reasons


def test_the_same_print_without_the_lamp_passes_the_glare_check():
    # The glare check must catch the highlight, not the print: the matte print passes it
    # (and is refused for its flatness instead).
    verdict = verify_passive(faces.print_attack(faces.prepare("obama"), 2.0, camera=faces.Camera(fps=clips.FPS), seed=1))
    assert next(c for c in verdict.checks if c.name == "passive.glare").passed
    assert "liveness.glare" not in verdict.reasons and not verdict.passed


@pytest.mark.parametrize("name", ["obama", "astronaut", "biden"])
def test_live_faces_pass_the_glare_check(name):
    verdict = verify_passive(list(clips.idle(name, 3)))
    glare = next(c for c in verdict.checks if c.name == "passive.glare")
    assert glare.passed and glare.figure < glare.threshold / 2, verdict.to_dict()
    assert "liveness.glare" not in verdict.reasons


def test_a_looped_still_image_fails():
    verdict = verify_passive(faces.static_frames(faces.prepare("biden"), 2.0, fps=10))
    assert not verdict.passed and "liveness.static_picture" in verdict.reasons


def test_a_single_photo_never_passes():
    verdict = verify_passive([Frame(photos.load("astronaut"), 0.0)])
    assert not verdict.passed and "liveness.too_few_frames" in verdict.reasons


def test_an_empty_scene_never_passes():
    rng = np.random.default_rng(0)
    frames = [Frame(rng.integers(40, 60, (640, 480, 3), dtype=np.uint8), k / 10) for k in range(20)]
    verdict = verify_passive(frames)
    assert not verdict.passed and "liveness.no_face" in verdict.reasons


def test_no_frames_never_pass():
    assert verify_passive([]).reasons == ("liveness.too_few_frames",)


@pytest.mark.parametrize("reason", sorted(clips.bad_clips()))
def test_every_bad_clip_gets_its_reason_never_a_pass(reason):
    settings = FaceSettings()
    verdict = verify_passive(list(clips.bad_clips()[reason]), settings)
    assert not verdict.passed and reason in verdict.reasons, verdict.to_dict()
