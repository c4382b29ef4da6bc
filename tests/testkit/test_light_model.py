"""The independent light model's physics: what its clips must show before they can judge a verifier."""

from __future__ import annotations

import numpy as np

from testkit.light.camera import CameraModel
from testkit.light.head import load_head
from testkit.light.lighting import Room, light_maps
from testkit.light.render import Display, film
from testkit.light.scene import HeadPose, Optics, Surfaces, place_head, room

SMALL = Optics(width=120, height=160)
DARK = Room(ambient_lux=20.0, key_lux=0.0)


def _wall(distance_mm: float, optics: Optics = SMALL) -> Surfaces:
    wall = room(optics, distance_mm, seed=1)
    return Surfaces(wall.xyz, wall.normal, np.full_like(wall.albedo, 0.5), wall.gloss, 1.0, wall.skin)


def test_the_screen_lights_a_surface_by_the_inverse_square_of_its_distance():
    near = light_maps(_wall(300.0), SMALL, DARK).screen[80, 60]
    far = light_maps(_wall(600.0), SMALL, DARK).screen[80, 60]
    assert 3.5 < near / far < 4.5


def test_skin_facing_the_screen_gets_more_of_its_light_than_the_cheek_sides():
    head = load_head("astronaut")
    optics = Optics()
    surfaces = place_head(head, HeadPose(distance_mm=350.0), room(optics, 1500.0, 1), optics)
    maps = light_maps(surfaces, optics, DARK)
    facing = (surfaces.normal[..., 2] < -0.95) & surfaces.skin
    oblique = (surfaces.normal[..., 2] > -0.6) & (surfaces.normal[..., 2] < -0.3) & surfaces.skin
    assert facing.sum() > 100 and oblique.sum() > 100
    assert np.median(maps.screen[oblique]) < 0.75 * np.median(maps.screen[facing])


def test_only_a_glossy_surface_mirrors_the_screen():
    matte = _wall(300.0)
    glossy = Surfaces(matte.xyz, matte.normal, matte.albedo, np.full(matte.gloss.shape, 0.05, np.float32), 200.0, matte.skin)
    assert light_maps(matte, SMALL, DARK).screen_gloss.max() == 0.0
    shine = light_maps(glossy, SMALL, DARK).screen_gloss
    # The mirror image of a screen below the camera lies below the image centre.
    row = int(np.argmax(shine.max(axis=1)))
    assert shine.max() > 0 and row > SMALL.height // 2


def _blue_over_green(awb: bool) -> tuple[float, float]:
    """Blue/green of a wall early and late in a 1.5 s blue flash after 0.5 s of white."""
    camera = CameraModel(fps=10.0, awb=awb, awb_tau_s=0.3, drop_rate=0.0, jitter_s=0.0)
    schedule = [((255, 255, 255), 0.0, 0.5), ((0, 0, 255), 0.5, 1.5)]
    wall = _wall(250.0)
    shots = film(lambda t: wall, schedule, 2.0, optics=SMALL, room=DARK, camera=camera, display=Display(latency_s=0.0), seed=3)
    ratio = [float(s.pixels[..., 2].mean() / max(s.pixels[..., 1].mean(), 1.0)) for s in shots]
    return ratio[6], ratio[-1]


def test_auto_white_balance_partly_cancels_a_colour_flash_and_a_locked_one_does_not():
    early_on, late_on = _blue_over_green(awb=True)
    early_off, late_off = _blue_over_green(awb=False)
    assert late_on < 0.8 * early_on
    assert abs(late_off - early_off) < 0.05 * early_off
    assert late_off > late_on


def test_the_rolling_shutter_shows_a_colour_change_on_the_bottom_rows_first_when_it_comes_during_read_out():
    camera = CameraModel(fps=10.0, readout_s=0.05, max_exposure_s=0.005, awb=False, drop_rate=0.0, jitter_s=0.0)
    # The frame at 0.5 s reads its rows out from 0.5 to 0.55 s; the screen turns blue at 0.525 s.
    schedule = [((255, 255, 0), 0.0, 0.525), ((0, 0, 255), 0.525, 0.5)]
    wall = _wall(200.0)
    shots = film(lambda t: wall, schedule, 0.6, optics=SMALL, room=DARK, camera=camera, display=Display(latency_s=0.0), seed=4)
    frame = shots[5].pixels.astype(float)
    top, bottom = frame[10:40].mean(axis=(0, 1)), frame[-40:-10].mean(axis=(0, 1))
    assert top[0] > top[2] and bottom[2] > bottom[0]


def test_clips_are_deterministic_given_the_seed():
    wall = _wall(300.0)
    schedule = [((0, 255, 0), 0.0, 0.3)]
    a = film(lambda t: wall, schedule, 0.3, optics=SMALL, room=DARK, camera=CameraModel(fps=10.0), display=Display(), seed=5)
    b = film(lambda t: wall, schedule, 0.3, optics=SMALL, room=DARK, camera=CameraModel(fps=10.0), display=Display(), seed=5)
    assert len(a) == len(b) and all(np.array_equal(x.pixels, y.pixels) and x.timestamp_s == y.timestamp_s for x, y in zip(a, b))
