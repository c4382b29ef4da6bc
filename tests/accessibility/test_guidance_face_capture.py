"""The face is captured only as the face-match gates will take it (issue 24, item 6).

The gates judge the capture still's head turn and nod (``face.match_max_yaw_deg`` /
``match_max_pitch_deg``); a guide that captured a face seen from above (its nod was never
checked, its turn only at 30°) had its still refused 29 times in one simulated session.
"""

from __future__ import annotations

from barrierfree.accessibility.guidance import Guide
from barrierfree.settings import Settings
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.face.observation import FaceObservation


def _face(yaw: float = 0.0, pitch: float = 0.0) -> FaceObservation:
    return FaceObservation(face_count=1, frame_size=(480, 640), center=(0.5, 0.45), size_fraction=0.42,
                           sharpness=420.0, exposure=0.5, yaw_deg=yaw, pitch_deg=pitch, roll_deg=0.0)


def _run(observation: FaceObservation, seconds: float = 4.0):
    guide = Guide("face")
    return [guide.step(observation, None, now_s=i / 8) for i in range(int(seconds * 8))]


def test_a_face_the_gates_would_refuse_for_its_nod_or_turn_is_not_captured_and_is_told_to_look_at_the_phone():
    for yaw, pitch in ((0.0, -28.0), (0.0, 27.0), (27.0, 0.0), (-24.0, -24.0)):
        frames = _run(_face(yaw, pitch))
        assert not any(g.captured for g in frames), (yaw, pitch)
        assert {g.speak.cue.message_id for g in frames if g.speak} == {"face.look_at_phone"}, (yaw, pitch)


def test_a_face_within_the_gates_with_their_margin_is_captured():
    for yaw, pitch in ((0.0, -18.0), (18.0, 0.0), (-15.0, 15.0)):
        assert any(g.captured for g in _run(_face(yaw, pitch))), (yaw, pitch)


def test_the_guides_pose_limits_sit_inside_the_face_match_gates():
    face, guidance = Settings().face, GuidanceSettings()
    assert guidance.face_max_yaw_deg < face.match_max_yaw_deg
    assert guidance.face_max_pitch_deg < face.match_max_pitch_deg


def test_once_told_to_look_at_the_phone_a_head_just_inside_the_limit_is_captured():
    # Photographed at 19 degrees of nod (a head some people hold that way): within the gates' margin.
    # Hysteresis of the general 0.25 would ask for under 16.5 degrees once told, which that head never reaches.
    guide = Guide("face")
    steps = [guide.step(_face(pitch=-26.0), None, now_s=i / 8) for i in range(8)]
    steps += [guide.step(_face(pitch=-19.0), None, now_s=1 + i / 8) for i in range(24)]
    assert steps[0].cue.message_id == "face.look_at_phone"
    assert any(g.captured for g in steps)


def _sharp(sharpness: float) -> FaceObservation:
    return FaceObservation(face_count=1, frame_size=(480, 640), center=(0.5, 0.45), size_fraction=0.42,
                           sharpness=sharpness, exposure=0.5, yaw_deg=0.0, pitch_deg=0.0, roll_deg=0.0)


def test_a_face_softer_than_the_face_match_blur_gate_is_not_captured_however_long_it_is_held():
    # A dim room: the camera is never sharper than this, so the guide's own bar comes down to it,
    # yet the gate refuses it: it waits for a sharper frame instead of taking a still that is refused.
    assert not any(g.captured for g in _run(_sharp(18.0), seconds=6.0))
    assert any(g.captured for g in _run(_sharp(30.0), seconds=6.0))


def test_the_capture_sharpness_floor_sits_above_the_face_match_blur_gate():
    assert GuidanceSettings().face_capture_min_sharpness > Settings().face.match_min_sharpness
