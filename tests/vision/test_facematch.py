"""Face match with dlib's ResNet on real photos, ID-card versions of them, and live-camera versions.

Every test runs the real engines (mediapipe mesh and full-range detector, dlib
HOG, 5-point predictor and ResNet) on real photos that registry packages ship.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from pydantic import ValidationError

from barrierfree.errors import BadInput
from barrierfree.settings.face import FaceSettings
from testkit import faces, photos, portraits
from barrierfree.vision.face import match as facematch
from barrierfree.vision.idcard.reader import _portrait as reader_portrait
from barrierfree.vision.facequality import REFUSAL_CODES, best_frame
from barrierfree.voice import prompts


def card_portrait(name: str) -> np.ndarray:
    """The card reader's own portrait crop of a rendered resident ID card with this person's photo."""
    card = portraits.card_front(name, seed=3)
    return np.ascontiguousarray(reader_portrait(card, "cn_resident_id_front", portraits.READER_PX_PER_MM))


def selfie(name: str) -> np.ndarray:
    source = faces.prepare(name)
    rgb, posed = faces.warp(source, faces.FacePose(yaw_deg=10, pitch_deg=-5))
    return faces.render_screen_light(rgb, posed, (255, 255, 255), 0.5)


def refusal(selfie_rgb: np.ndarray, portrait_rgb: np.ndarray, settings: FaceSettings | None = None) -> BadInput:
    with pytest.raises(BadInput) as error:
        facematch.match(selfie_rgb, portrait_rgb, settings)
    return error.value


@pytest.mark.parametrize("a,b", [("obama", "obama2"), ("obama", "obama3"), ("obama2", "obama3")])
def test_the_same_man_in_different_photos_matches(a, b):
    result = facematch.match(photos.load(a), photos.load(b))
    assert result.outcome == "same" and result.same_person and result.similarity >= result.threshold
    assert result.threshold == pytest.approx(1 - FaceSettings().match_max_distance)


@pytest.mark.parametrize("a,b", [("obama", "biden"), ("astronaut", "obama"), ("astronaut", "biden"), ("hopper", "astronaut"),
                                 ("group_t1_face3", "group_t1_face4"), ("hanks", "obama2")])
def test_different_people_do_not_match(a, b):
    result = facematch.match(photos.load(a), photos.load(b))
    assert result.outcome == "different" and not result.same_person and result.similarity < result.band_low


def test_a_selfie_matches_the_card_readers_portrait_of_the_same_person_and_not_of_another():
    assert facematch.match(selfie("obama"), card_portrait("obama3")).outcome == "same"
    assert facematch.match(selfie("biden"), card_portrait("obama3")).outcome == "different"


@pytest.mark.parametrize("kind", ["halftone", "350dpi", "glare"])
def test_printed_card_versions_match_a_live_camera_version_of_the_same_person(kind):
    card = portraits.card_versions("astronaut", seed=1)[kind]
    live = portraits.live_versions("astronaut", seed=1)["lighting"]
    assert facematch.match(live, card).outcome == "same"
    assert facematch.match(portraits.live_versions("hopper", seed=1)["noise"], card).outcome == "different"


def test_a_group_photo_is_refused_never_matched_on_its_largest_face():
    group = photos.load("group_t1")
    error = refusal(group, card_portrait("obama"))
    assert error.code == "several-faces" and error.extra["image"] == "selfie" and error.extra["faces"] >= 2
    assert error.extra["message_id"] == "face.match.selfie.several_faces"
    error = refusal(photos.load("obama"), group)
    assert error.code == "several-faces" and error.extra["image"] == "ID portrait"


def test_two_people_side_by_side_are_refused_even_when_one_is_the_card_holder():
    left = cv2.resize(portraits.head_crop("obama"), (360, 480))
    right = cv2.resize(portraits.head_crop("biden"), (360, 480))
    error = refusal(np.hstack([left, right]), card_portrait("obama"))
    assert error.code == "several-faces"


def test_a_bystander_behind_the_person_is_refused():
    scene = cv2.resize(portraits.head_crop("obama"), (720, 960)).copy()
    scene[10:330, 470:710] = cv2.resize(portraits.head_crop("hopper"), (240, 320))
    assert refusal(scene, card_portrait("obama")).code == "several-faces"


def test_no_face_is_refused_naming_which_image():
    error = refusal(np.full((300, 300, 3), 128, np.uint8), photos.load("obama"))
    assert (error.code, error.extra["image"], error.extra["message_id"]) == ("no-face", "selfie", "face.match.selfie.no_face")
    error = refusal(photos.load("obama"), np.full((300, 300, 3), 128, np.uint8))
    assert (error.code, error.extra["image"], error.extra["message_id"]) == ("no-face", "ID portrait", "face.match.portrait.no_face")


def test_a_tiny_face_is_refused_as_too_small():
    tiny = cv2.resize(photos.load("obama"), None, fx=0.12, fy=0.12, interpolation=cv2.INTER_AREA)
    error = refusal(tiny, photos.load("obama2"))
    assert error.code == "face-too-small" and error.extra["image"] == "selfie"


def test_not_an_image_is_refused():
    with pytest.raises(BadInput) as error:
        facematch.embed(np.zeros((10, 10), np.float32))
    assert error.value.code == "bad-image-array"


def test_a_blurred_selfie_is_refused_as_blurred():
    blurred = cv2.GaussianBlur(photos.load("obama2"), (0, 0), 9)
    assert refusal(blurred, card_portrait("obama")).code == "face-blurred"


@pytest.mark.parametrize("gain, code", [(0.12, "face-too-dark"), (4.0, "face-too-bright")])
def test_a_badly_exposed_selfie_is_refused(gain, code):
    exposed = np.clip(photos.load("obama2").astype(np.float32) * gain, 0, 255).astype(np.uint8)
    error = refusal(exposed, card_portrait("obama"))
    assert error.code == code and error.extra["message_id"] == f"face.match.selfie.{code.replace('-', '_')}"


def test_a_turned_head_is_refused_and_the_limit_is_a_setting():
    turned = photos.load("group_t1_face5")  # a real photo: head turned about 45° to look at someone
    error = refusal(turned, card_portrait("obama"))
    assert error.code == "face-turned" and abs(error.extra["quality"]["yaw_deg"]) > FaceSettings().match_max_yaw_deg
    loose = FaceSettings(match_max_yaw_deg=80, match_max_pitch_deg=80)
    assert facematch.match(turned, card_portrait("obama"), loose).outcome in ("different", "unsure")


def test_eyes_looking_down_are_refused_as_closed():
    # In the group photo this person looks down at her cards: lids almost shut.
    error = refusal(photos.load("group_t1_face6"), card_portrait("obama"))
    assert error.code == "eyes-closed" and error.extra["quality"]["eye_openness"] < FaceSettings().match_min_eye_openness


def test_the_unsure_band_lies_between_same_and_different_and_is_reported():
    distance = facematch.match(photos.load("obama"), photos.load("obama3")).distance
    band = FaceSettings(match_max_distance=distance - 0.02, match_unsure_max_distance=distance + 0.02)
    result = facematch.match(photos.load("obama"), photos.load("obama3"), band)
    assert result.outcome == "unsure" and not result.same_person
    document = result.to_dict()
    assert document["outcome"] == "unsure" and document["unsure_band"] == [round(1 - distance - 0.02, 4), round(1 - distance + 0.02, 4)]
    strict = FaceSettings(match_max_distance=distance - 0.04, match_unsure_max_distance=distance - 0.02)
    assert facematch.match(photos.load("obama"), photos.load("obama3"), strict).outcome == "different"


def test_decide_uses_the_two_settings():
    settings = FaceSettings(match_max_distance=0.4, match_unsure_max_distance=0.55)
    assert [facematch.decide(d, settings) for d in (0.39, 0.4, 0.41, 0.55, 0.56)] == ["same", "same", "unsure", "unsure", "different"]
    with pytest.raises(ValidationError):
        FaceSettings(match_max_distance=0.6, match_unsure_max_distance=0.5)


def test_the_best_selfie_frame_is_chosen_by_the_gates_not_the_last_one():
    source = faces.prepare("obama")
    good, _ = faces.warp(source, faces.FacePose())
    blurred = cv2.GaussianBlur(good, (0, 0), 9)
    dark = (good * 0.12).astype(np.uint8)
    turned, _ = faces.warp(source, faces.FacePose(yaw_deg=45))
    frames = [blurred, turned, good, dark]
    assert best_frame(frames, FaceSettings()) == 2
    assert best_frame([np.full((200, 200, 3), 90, np.uint8), dark], FaceSettings()) == 1


def test_models_load_once_per_process():
    assert facematch._models() is facematch._models()


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_refusal_says_what_to_do_in_the_catalog_of_both_languages(lang):
    for code in REFUSAL_CODES:
        for side in ("selfie", "portrait"):
            assert prompts.render(f"face.match.{side}.{code.replace('-', '_')}", lang).strip()
    assert prompts.render("face.match.unsure_retry", lang) and prompts.render("face.match.staff_review", lang)


def test_a_party_photo_like_the_issues_is_refused_and_lookalike_strangers_are_not_the_same():
    # Issue 19: group photos of women of similar age and style; the largest face matched a stranger at 0.597.
    assert refusal(photos.load("party3"), card_portrait("party1_face3")).code == "several-faces"
    no_gates = FaceSettings(match_max_yaw_deg=90, match_max_pitch_deg=90, match_min_eye_openness=0, match_min_sharpness=0)
    strangers = facematch.match(photos.load("party5_face4"), photos.load("party6_face3"), no_gates)
    assert strangers.outcome != "same" and strangers.distance > FaceSettings().match_max_distance
    same_woman = facematch.match(photos.load("party1_face3"), photos.load("party3_face2"), no_gates)
    assert same_woman.outcome == "same"


def test_a_small_bystander_far_behind_the_person_is_refused():
    scene = cv2.resize(portraits.head_crop("biden"), (720, 960)).copy()
    scene[20:180, 560:680] = cv2.resize(portraits.head_crop("obama"), (120, 160))  # a face about 65 px wide
    error = refusal(scene, card_portrait("biden"))
    assert error.code == "several-faces" and error.extra["faces"] == 2
