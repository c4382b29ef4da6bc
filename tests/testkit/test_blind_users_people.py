"""The user models: the main one is harder than the first; the held-out one differs from both."""

from __future__ import annotations

import statistics
from collections import Counter

import numpy as np

from testkit.blind_users.hand import Hand, Move, Shake
from testkit.blind_users.held_out import HeldOutPerson, WaitingListener, draw_held_out
from testkit.blind_users.listener import Listener
from testkit.blind_users.people import draw_legacy, draw_main, population
from testkit.scenes import FaceScene, PhonePose


def test_main_gain_varies_move_to_move_within_the_issue_range_and_the_legacy_gain_does_not():
    rng = np.random.default_rng(0)
    main = population(draw_main, 2026, 0, 20)
    gains = [p.gain(rng) for p in main for _ in range(50)]
    assert min(gains) >= 0.6 and max(gains) <= 1.6
    assert min(gains) < 0.75 and max(gains) > 1.45
    legacy = population(draw_legacy, 2026, 0, 5)
    for person in legacy:
        assert len({person.gain(rng) for _ in range(10)}) == 1


def test_main_people_confuse_axes_and_sides_not_only_reverse():
    person = population(draw_main, 2026, 0, 1)[0]
    listener = Listener(person, "face", "all", Hand(PhonePose(), person.shake, np.random.default_rng(1)), None,
                        np.random.default_rng(2))
    heard = Counter(listener.confuse("left") for _ in range(5000))
    assert heard["left"] > 4000 and heard["right"] > 50 and heard["up"] + heard["down"] > 20



def test_each_confusion_takes_its_own_share_only_where_it_applies():
    """"closer" has no side and no other axis: it is reversed at the person's flip share alone
    (it was reversed at the left/right + axis + flip shares together)."""
    person = population(draw_main, 2026, 0, 1)[0]
    listener = Listener(person, "face", "all", Hand(PhonePose(), person.shake, np.random.default_rng(1)), None,
                        np.random.default_rng(3))
    n = 20000
    closer = Counter(listener.confuse("closer") for _ in range(n))
    assert set(closer) <= {"closer", "farther"}
    share = closer["farther"] / n
    width = 4 * (person.flip * (1 - person.flip) / n) ** 0.5
    assert abs(share - person.flip) < width, (share, person.flip, person.lr_confusion, person.axis_confusion)
    up = Counter(listener.confuse("up") for _ in range(n))
    assert abs(up["down"] / n - person.flip) < 4 * (person.flip * (1 - person.flip) / n) ** 0.5 + 0.01

def test_held_out_people_are_drawn_differently_and_behave_differently():
    main = population(draw_main, 2026, 0, 200)
    held = population(draw_held_out, 2026, 0, 200)
    assert all(isinstance(p, HeldOutPerson) for p in held)
    assert statistics.mean(p.reaction_s for p in held) > statistics.mean(p.reaction_s for p in main) + 0.2
    assert {p.listen_wpm for p in held} <= {160, 250, 320, 450}
    assert 0.3 < statistics.mean(p.moves_card for p in held) < 0.7
    assert max(p.gain_limits[1] for p in held) > max(p.gain_limits[1] for p in main)


def test_a_waiting_person_never_steers_by_the_beeps_and_a_card_mover_moves_the_picture_the_other_way():
    person = population(draw_held_out, 2026, 0, 50)
    mover = next(p for p in person if p.moves_card)
    hand = Hand(PhonePose(distance_mm=150), mover.shake, np.random.default_rng(3))
    listener = WaitingListener(mover, "card", "all", hand, None, np.random.default_rng(4))
    listener.tick(10.0, speech_busy=False, pending=False)
    assert not hand.moving  # silence: the person waits, no beeps-led push
    listener.move("right", said_cm=3)
    assert isinstance(hand.move, Move)
    # The card is pushed: mostly the picture moves as the phone's move would (x > 0), sometimes the opposite.
    signs = []
    for seed in range(200):
        listener.rng = np.random.default_rng(seed)
        listener.move("right", said_cm=3)
        signs.append(np.sign(hand.move.vector[0]))
    assert 0 < signs.count(-1) < signs.count(1)


def test_a_wrist_turner_aims_by_rotation():
    person = next(p for p in population(draw_held_out, 2026, 0, 50) if p.turns_wrist)
    scene = FaceScene("astronaut")
    hand = Hand(scene.pose_at(0.5, 0.45, 400), person.shake, np.random.default_rng(5))
    listener = WaitingListener(person, "face", "all", hand, scene, np.random.default_rng(6))
    listener.move("left", said_cm=5)
    assert not np.any(hand.move.vector) and abs(hand.move.turn[0]) > 1.0


def test_a_tilt_once_straightened_does_not_undo_later_wrist_turns():
    # The tilt cue's target was kept for ever, pulling the phone back to it at every step: a wrist
    # turner's later aiming turns were undone as they were made.
    hand = Hand(PhonePose(distance_mm=400, pitch_deg=-30.0), Shake(0.0, 8.0, 0.0, 0.0), np.random.default_rng(7))
    hand.tilt_target = (0.0, 0.0)
    for step in range(60):
        hand.advance(step * 0.05, 0.05)
    assert abs(hand.pose.pitch_deg) < 0.5 and hand.tilt_target is None
    hand.start_move(Move(np.zeros(3), 1.0, turn=np.array([10.0, 0.0])))
    for step in range(60, 100):
        hand.advance(step * 0.05, 0.05)
    assert abs(hand.pose.yaw_deg - 10.0) < 0.5


def test_a_move_slows_to_a_stop_and_may_stop_short():
    move = Move(np.array([100.0, 0, 0]), 1.0)
    speeds = [move.rate(0.05)[0][0] for _ in range(20)]
    assert speeds[0] < speeds[10] and speeds[-1] < speeds[10] * 0.1
    short = Move(np.array([100.0, 0, 0]), 1.0, stop_share=0.6)
    travelled = sum(short.rate(0.05)[0][0] * 0.05 for _ in range(20))
    assert abs(travelled - 60) < 1
