"""The device path's captures in the simulation: the SDK's stills at their real times, fused as the server fuses them;
the face's liveness clip, of which the server keeps one frame."""

from __future__ import annotations

import numpy as np
import pytest

from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from testkit.blind_users.camera import STILL_SIZE
from testkit.blind_users.capture import (
    CLIP_SIZE,
    ENCODE_S,
    FLASH_INTRO_S,
    Capture,
    CardStills,
    card_shots,
    flash_shots,
    judge_card,
)
from testkit.blind_users.phone import SDK_FPS, SDK_STILL_JPEG_QUALITY
from testkit.blind_users.setups import TODAY
from tests.testkit.test_blind_users_judge import card  # noqa: F401 - the module's rendered card fixture


def test_the_held_still_is_the_judged_frame_and_the_others_follow_a_frame_apart():
    shots = card_shots(10.0, 10.07, 3, SDK_FPS, STILL_SIZE, 92)
    assert [s.held for s in shots] == [True, False, False]
    assert shots[0].t == 10.0  # the frame the guide judged, when it was grabbed
    assert np.diff([10.07] + [s.t for s in shots[1:]]) == pytest.approx([ENCODE_S + 1 / SDK_FPS] * 2)
    earlier = card_shots(10.0, 10.07, 3, SDK_FPS, STILL_SIZE, 92, held=False)
    assert not any(s.held for s in earlier) and earlier[0].t == 10.07  # the SDK before: drawn at the reply


def test_chosen_card_stills_are_sent_after_their_encoding_and_answered_a_round_trip_later():
    capture = Capture(10.0, (), 0.3, until_s=11.1, most=3, next_frame_s=10.1)
    assert capture.collecting and capture.answer_at == float("inf")
    capture.pictures.extend([(np.zeros((2, 2, 3)), None)] * 2)
    capture.send(10.6)
    assert not capture.collecting
    assert capture.sent_s == pytest.approx(10.6 + 2 * ENCODE_S) and capture.answer_at == pytest.approx(10.6 + 2 * ENCODE_S + 0.3)


def test_the_stills_model_keeps_only_usable_frames_of_the_dwell_within_its_window():
    stills = CardStills(window_s=0.3, most=3)
    stills.note("hold_still", False, True, 1.0, "a")
    stills.note("adjusting", False, True, 1.1, "b")  # the card left its place: the dwell starts again
    stills.note("hold_still", False, True, 1.2, "c")
    stills.note("hold_still", False, False, 1.3, "d")  # not usable: not kept
    stills.note("hold_still", False, True, 1.4, "e")
    stills.note("captured", True, False, 1.6, "f")  # the captured frame always
    assert stills.chosen() == ["f", "e"]  # "c" is older than the window; the captured frame first
    assert stills.chosen() == []  # forgotten once chosen


def test_the_clip_frames_start_after_the_challenge_and_the_introduction_and_are_sampled_as_best_frame_samples():
    settings = Settings()
    shots, count = flash_shots(5.0, 0.4, settings, np.random.default_rng(1), settings.onboarding.flash_record_fps)
    face = settings.face
    fps = settings.onboarding.flash_record_fps
    low, high = (face.flash_colour_count * ms / 1000 * fps for ms in (face.flash_min_colour_ms, face.flash_max_colour_ms))
    assert low <= count <= high + 1
    step = max(1, count // face.match_selfie_candidates)
    assert shots[0].t == pytest.approx(5.0 + 0.4 + FLASH_INTRO_S)
    assert np.diff([s.t for s in shots]) == pytest.approx([step / fps] * (len(shots) - 1))
    assert len(shots) == len(range(0, count, step)) and all(s.size == CLIP_SIZE for s in shots)


@pytest.mark.slow
def test_card_stills_are_read_and_fused_as_the_server_does(card):  # noqa: F811 - the fixture
    holder, still = card
    settings = Settings()
    runtime = Runtime.from_settings(settings)
    sharp = still.render(still.pose_at(0.5, 0.5, 130))
    gone = still.render(still.pose_at(3.0, 3.0, 130))  # the card out of the picture
    shots = card_shots(1.0, 1.06, 3, SDK_FPS, STILL_SIZE, SDK_STILL_JPEG_QUALITY)

    def judged(pictures):
        capture = Capture(1.06, shots, 0.3, pictures=[(p.pixels, truth) for p, truth in pictures])
        return judge_card(capture, lambda pixels: runtime.read_document(pixels, today=TODAY), holder.front_fields(), settings)

    verdict = judged([sharp, sharp, sharp])
    assert verdict.good, verdict.problem
    # One readable still is not enough for the server (card_frames_to_accept): read once more, no misread.
    verdict = judged([sharp, gone, gone])
    assert verdict.meets and not verdict.read_right and verdict.problem == "reading-once-more"
    # No still of the card: the reader's own refusal, and the first still fails the criteria.
    verdict = judged([gone, gone, gone])
    assert not verdict.meets and not verdict.read_right and verdict.problem == "not-inside"


@pytest.mark.slow
def test_the_server_path_fuses_a_capture_with_the_steps_earlier_readings_as_its_streams_do(card):  # noqa: F811
    """The server path's ``read_card`` remembers the step's readings: the SDK that sent one still a
    capture had its first good still answered "read once more" (the simulation once judged that still
    alone, good at once: flattering), and the next good one accepted with it. One capture of two
    agreeing stills is accepted at once."""
    holder, still = card
    settings = Settings()
    runtime = Runtime.from_settings(settings)
    sharp = still.render(still.pose_at(0.5, 0.5, 130))

    def judged(count, remembered):
        capture = Capture(1.0, (), 0.0, pictures=[(sharp[0].pixels, sharp[1])] * count)
        return judge_card(capture, lambda pixels: runtime.read_document(pixels, today=TODAY), holder.front_fields(),
                          settings, remembered)

    remembered: list = []
    first = judged(1, remembered)
    assert first.meets and first.problem == "reading-once-more" and len(remembered) == 1
    assert judged(1, remembered).good and len(remembered) == 2  # fused with the earlier reading
    assert judged(2, []).good  # one capture, one decision
    assert judged(1, None).problem == "reading-once-more"  # the device path's check keeps nothing
