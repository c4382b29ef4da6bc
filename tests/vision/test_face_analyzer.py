"""FaceAnalyzer on real photos and on faces warped from them with known poses."""

from __future__ import annotations

import math

import numpy as np
import pytest

from testkit import faces, photos
from barrierfree.vision.face import FaceAnalyzer
from barrierfree.vision.face.analyzer import _MODEL_POINTS, _PNP_LANDMARKS, head_pose
from barrierfree.vision.frames import from_array


def observe(rgb, timestamp_s=None):
    with FaceAnalyzer() as analyzer:
        return analyzer.observe(rgb, timestamp_s)


def test_real_photo_gives_a_full_observation():
    seen = observe(photos.load("astronaut"), 1.5)
    assert seen.face_count == 1 and seen.found
    assert seen.landmarks.shape == (478, 3)
    assert seen.timestamp_s == 1.5 and seen.frame_size == (512, 512)
    x, y, w, h = seen.box
    assert 150 < x < 200 and 50 < y < 100 and 70 < w < 120 and 80 < h < 130  # her face, not the suit
    assert seen.size_fraction == pytest.approx(w / 512)
    assert seen.cut_edges == frozenset()
    assert 0.2 < seen.left_eye_openness < 0.6 and 0.2 < seen.right_eye_openness < 0.6
    assert seen.sharpness > 50 and 0.3 < seen.exposure < 0.9
    assert len(seen.all_boxes) == 1


def test_frame_objects_carry_their_timestamp():
    seen = observe(from_array(photos.load("astronaut"), 2.25))
    assert seen.timestamp_s == 2.25


def _project(yaw: float, pitch: float, roll: float) -> np.ndarray:
    y, p, r = map(math.radians, (yaw, pitch, roll))
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    points = _MODEL_POINTS @ (ry @ rx @ rz).T + [0, 0, 600]
    landmarks = np.zeros((478, 3))
    for row, index in enumerate(_PNP_LANDMARKS):
        landmarks[index, :2] = points[row, :2] / points[row, 2] * 640 + [320, 240]
    return landmarks


@pytest.mark.parametrize("yaw,pitch,roll", [(25, 0, 0), (-25, 0, 0), (0, 15, 0), (0, -15, 0), (0, 0, 20), (10, -8, 5)])
def test_solvepnp_recovers_known_rotations_in_the_persons_own_convention(yaw, pitch, roll):
    # Camera-axis rotation (x right, y down): +yaw about y moves the nose to the image left,
    # which is the person's RIGHT in an unmirrored frame, so the person's yaw is the negative.
    got = head_pose(_project(yaw, pitch, roll), 640, 480)
    assert got == pytest.approx((-yaw, -pitch, roll), abs=1.0)


def test_turning_to_the_persons_left_is_positive_yaw_on_a_warped_real_face():
    source = faces.prepare("obama")
    rest = observe(source.rgb)
    left = observe(faces.warp(source, faces.FacePose(yaw_deg=32))[0])
    right = observe(faces.warp(source, faces.FacePose(yaw_deg=-32))[0])
    # The nose moved to the image right for the person's left turn.
    assert left.landmarks[1, 0] > rest.landmarks[1, 0] + 5
    assert left.yaw_deg > rest.yaw_deg + 8
    assert right.yaw_deg < rest.yaw_deg - 8


def test_chin_down_is_negative_pitch():
    source = faces.prepare("astronaut")
    rest = observe(source.rgb)
    down = observe(faces.warp(source, faces.FacePose(pitch_deg=-24))[0])
    assert down.pitch_deg < rest.pitch_deg - 6


def test_eye_and_mouth_openness_follow_the_face():
    source = faces.prepare("obama")
    rest = observe(source.rgb)
    closed = observe(faces.warp(source, faces.FacePose(eyelids=0.95))[0])
    mouth = observe(faces.warp(source, faces.FacePose(mouth=1.0))[0])
    assert closed.left_eye_openness < 0.7 * rest.left_eye_openness
    assert closed.right_eye_openness < 0.7 * rest.right_eye_openness
    assert mouth.mouth_openness > rest.mouth_openness + 0.2


def test_no_face_gives_an_empty_observation():
    room = np.full((480, 640, 3), 90, np.uint8)
    seen = observe(room)
    assert seen.face_count == 0 and not seen.found
    assert seen.box is None and seen.landmarks is None and seen.yaw_deg is None


def test_two_faces_are_counted():
    left = faces.prepare("astronaut").rgb
    right = faces.prepare("biden").rgb
    seen = observe(np.hstack([left, right]))
    assert seen.face_count == 2
    assert len(seen.all_boxes) == 2


def test_a_face_cut_by_the_frame_edge_is_reported():
    seen = observe(photos.load("obama_partial_face"))
    assert seen.face_count == 1
    assert "left" in seen.cut_edges


def test_blur_lowers_sharpness():
    import cv2

    sharp = faces.prepare("astronaut").rgb
    blurred = cv2.GaussianBlur(sharp, (0, 0), 4)
    assert observe(blurred).sharpness < 0.3 * observe(sharp).sharpness


def test_one_analyzer_follows_a_stream():
    frames = [faces.warp(faces.prepare("biden"), faces.FacePose(yaw_deg=y))[0] for y in (0, 10, 20, 30)]
    with FaceAnalyzer() as analyzer:
        yaws = [analyzer.observe(f).yaw_deg for f in frames]
    assert yaws == sorted(yaws)
