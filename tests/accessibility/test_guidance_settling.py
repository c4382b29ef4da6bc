"""Which cue the Guide stands by while the reading of the picture changes from frame to frame."""

from __future__ import annotations

from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.profile import Profile
from tests.guidance_helpers import outlined

FPS = 10
NORMAL = Profile(speech_rate_wpm=300, verbosity="normal")


def spoken(observations, profile=NORMAL):
    """(time, message id, params) of each cue said, card guide, no sensor reading."""
    guide = Guide("card", profile)
    out = [guide.step(obs, None, now_s=i / FPS) for i, obs in enumerate(observations)]
    return [(round(g.timestamp_s, 1), g.speak.cue.message_id, dict(g.speak.cue.params)) for g in out if g.speak]


def test_a_cue_no_frame_shows_any_more_is_not_said_and_gives_way():
    """Told "closer", the person passes through the spot and stops too close, where the reading
    jumps every 0.2 s between "too close" and "cut off on the right by a hair". Neither lasts
    the 0.2 s a new cue needs to replace the current one, so "hold there", heard on the way
    through, stayed the cue, and was said again to a person who was not in place. A simulated
    user was told "3 cm closer" that way, already too close, did it and lost the card. A cue no
    frame has shown for 0.2 s gives way to the newest problem."""
    def at(x_px, long_px, cut=()):
        return outlined((x_px, 320), long_px, cut)
    obs = ([at(240, 190)] * 15                                # 0.0-1.4 s: far, told "closer"
           + [at(240, 250), at(240, 310), at(240, 370)]       # 1.5-1.7 s: the move, through the spot
           + [at(240, 400), at(240, 400), at(300, 370, ("right",)), at(300, 370, ("right",))] * 15)
    said = spoken(obs)
    assert said[0][:2] == (0.0, "card.move_closer_by")
    later = [message for t, message, _ in said if t >= 1.8]
    assert later and "card.hold_there" not in later, said
    assert set(later) <= {"card.move_farther_by", "card.move_farther", "card.partly_out_right_by",
                          "card.partly_out_right"}, said


def test_a_still_card_whose_outline_jumps_on_single_frames_is_not_told_to_hold_still():
    """Told to move left, the person overshoots and stops with the card off to the right, cut
    off by a hair: its outline is extrapolated past the frame's edge one frame and not the next.
    Those single jumps are not a hand on the move: the person hears which way to go, not "hold
    still" again and again while holding still."""
    def at(x_px, cut=()):
        return outlined((x_px, 320), 260, cut)
    obs = ([at(140)] * 15 + [at(200), at(260), at(320), at(350)]   # told "left", the move past the spot
           + [at(362, ("right",)), at(362, ("right",)), at(354), at(354)] * 15)  # 1.9-7.8 s: still
    said = spoken(obs)
    assert said[0][:2] == (0.0, "card.move_left_by")
    later = [message for _, message, _ in said[1:]]
    assert later and "card.hold_still" not in later, said
    assert later[0] in ("card.move_right_by", "card.partly_out_right_by"), said

