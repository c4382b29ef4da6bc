"""The face synthesizer's screen-light model and warps, on real photos."""

from __future__ import annotations

import numpy as np

from testkit import faces
from barrierfree.vision.face.mesh import still_mesh


def _region(rgb, landmarks, index, half=4):
    x, y = (int(v) for v in landmarks[index, :2])
    return rgb[y - half:y + half, x - half:x + half].reshape(-1, 3).astype(np.float64).mean(axis=0)


def test_shading_faces_the_screen_on_the_nose_and_falls_off_towards_the_cheek_sides():
    source = faces.prepare("astronaut")
    maps = faces.screen_light_maps(source.rgb, source.landmarks)
    assert maps.albedo.shape == source.rgb.shape and maps.albedo.dtype == np.float32
    assert maps.shading.shape == source.rgb.shape[:2]
    assert 0.0 <= maps.shading.min() and maps.shading.max() <= 1.0
    x, y = (int(v) for v in source.landmarks[1, :2])  # nose tip
    cx, cy = (int(v) for v in source.landmarks[234, :2] * 0.85 + source.landmarks[1, :2] * 0.15)  # cheek side
    assert maps.shading[y, x] > 0.7
    assert maps.shading[cy, cx] < 0.75 * maps.shading[y, x]
    assert maps.shading[5, 5] == np.float32(faces.BACKGROUND_GAIN)


def test_screen_light_tints_the_face_in_the_screens_colour_and_barely_the_background():
    source = faces.prepare("obama")
    lit = faces.render_screen_light(source.rgb, source.landmarks, (0, 0, 255), 0.8)
    assert lit.shape == source.rgb.shape and lit.dtype == np.uint8
    nose_before, nose_after = _region(source.rgb, source.landmarks, 4), _region(lit, source.landmarks, 4)
    gain = nose_after - nose_before
    assert gain[2] > 10 and abs(gain[0]) < 2 and abs(gain[1]) < 2  # blue light adds blue only
    corner_change = np.abs(lit[:20, :20].astype(int) - source.rgb[:20, :20]).mean()
    assert corner_change < gain[2] / 4


def test_render_is_the_precomputed_maps_applied():
    source = faces.prepare("biden")
    maps = faces.screen_light_maps(source.rgb, source.landmarks)
    direct = faces.render_screen_light(source.rgb, source.landmarks, (255, 255, 0), 0.5)
    assert np.array_equal(direct, faces.apply_screen_light(maps, (255, 255, 0), 0.5))


def test_srgb_round_trip():
    values = np.arange(256, dtype=np.uint8)
    assert np.array_equal(faces.linear_to_srgb(faces.srgb_to_linear(values)), values)


def test_warped_faces_are_still_faces_with_the_mesh_where_the_warp_put_it():
    source = faces.prepare("obama3")
    rgb, posed = faces.warp(source, faces.FacePose(yaw_deg=20, mouth=0.5))
    found = still_mesh().landmarks(rgb)
    assert len(found) == 1
    # The nose tip is found within a few pixels of where the synthesizer moved it.
    assert np.linalg.norm(found[0][1, :2] - posed[1, :2]) < 0.06 * source.face_width


def test_sequences_are_deterministic_and_timed():
    source = faces.prepare("astronaut")
    a = faces.render_sequence(source, 0.4, faces.idle_poses(1), seed=7)
    b = faces.render_sequence(source, 0.4, faces.idle_poses(1), seed=7)
    assert [f.timestamp_s for f in a] == [k / 15.0 for k in range(6)]
    assert all(np.array_equal(x.pixels, y.pixels) for x, y in zip(a, b))


def test_static_frames_repeat_one_picture():
    frames = faces.static_frames(faces.prepare("astronaut"), 0.5, fps=10)
    assert len(frames) == 5 and all(np.array_equal(frames[0].pixels, f.pixels) for f in frames)
