"""Face match with dlib's ResNet on real photos, selfies warped from them and ID-style portraits."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from barrierfree.errors import BadInput
from barrierfree.settings.face import FaceSettings
from barrierfree.synth import faces, photos
from barrierfree.vision import facematch


def id_portrait(name: str) -> np.ndarray:
    """An ID-card-style portrait: tight crop, small (about 100 px face), washed colour, JPEG."""
    source = faces.prepare(name, face_width_fraction=0.55)
    small = cv2.resize(source.rgb, (180, 240), interpolation=cv2.INTER_AREA)
    grey = small.mean(axis=2, keepdims=True)
    washed = np.clip(0.6 * small + 0.4 * grey + 15, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", washed, [cv2.IMWRITE_JPEG_QUALITY, 60])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def selfie(name: str) -> np.ndarray:
    source = faces.prepare(name)
    rgb, posed = faces.warp(source, faces.FacePose(yaw_deg=10, pitch_deg=-5))
    return faces.render_screen_light(rgb, posed, (255, 255, 255), 0.5)


@pytest.mark.parametrize("a,b", [("obama", "obama2"), ("obama", "obama3"), ("obama2", "obama3")])
def test_the_same_man_in_different_photos_matches(a, b):
    result = facematch.match(photos.load(a), photos.load(b))
    assert result.same_person and result.similarity > result.threshold
    assert result.threshold == pytest.approx(0.4)


@pytest.mark.parametrize("a,b", [("obama", "biden"), ("astronaut", "obama"), ("astronaut", "biden")])
def test_different_people_do_not_match(a, b):
    result = facematch.match(photos.load(a), photos.load(b))
    assert not result.same_person and result.similarity < result.threshold


def test_a_selfie_matches_the_id_portrait_of_the_same_person_and_not_of_another():
    assert facematch.match(selfie("obama"), id_portrait("obama3")).same_person
    assert not facematch.match(selfie("biden"), id_portrait("obama3")).same_person


def test_a_partial_face_still_matches_its_owner():
    assert facematch.match(photos.load("obama_partial_face"), photos.load("obama2")).same_person


def test_no_face_is_bad_input_naming_which_image():
    with pytest.raises(BadInput) as error:
        facematch.match(np.full((300, 300, 3), 128, np.uint8), photos.load("obama"))
    assert error.value.code == "no-face-in-selfie"
    with pytest.raises(BadInput) as error:
        facematch.match(photos.load("obama"), np.full((300, 300, 3), 128, np.uint8))
    assert error.value.code == "no-face-in-ID portrait"


def test_a_tiny_face_is_bad_input():
    tiny = cv2.resize(photos.load("obama"), None, fx=0.08, fy=0.08, interpolation=cv2.INTER_AREA)
    with pytest.raises(BadInput):
        facematch.embed(tiny, "selfie")


def test_not_an_image_is_bad_input():
    with pytest.raises(BadInput) as error:
        facematch.embed(np.zeros((10, 10), np.float32))
    assert error.value.code == "bad-image-array"


def test_the_threshold_is_a_setting():
    strict = FaceSettings(match_max_distance=0.2)
    result = facematch.match(photos.load("obama"), photos.load("obama2"), strict)
    assert not result.same_person and result.threshold == pytest.approx(0.8)
    assert result.to_dict()["same_person"] is False


def test_models_load_once_per_process():
    assert facematch._models() is facematch._models()
