"""Clips for the face tests, rendered once per test process from real photos.

Rendering a 3-second clip takes a few seconds, so each distinct clip is
cached here and shared by the test modules that need it.
"""

from __future__ import annotations

import random
from functools import lru_cache

from barrierfree.synth import faces
from barrierfree.vision.liveness.flash import FlashChallenge, issue

#: Frame rate of the test clips (phones send 10-15 frames a second to the server).
FPS = 12.0


def light_of(challenge: FlashChallenge) -> faces.LightSchedule:
    return faces.flash_light([(c.rgb, c.start_ms / 1000, c.duration_ms / 1000) for c in challenge.colours])


@lru_cache(maxsize=None)
def flash_challenge(seed: int, session: str = "s-1") -> FlashChallenge:
    """A deterministic challenge (fresh nonce each seed) issued now."""
    return issue(session, rng=random.Random(seed))


def clip_length(challenge: FlashChallenge) -> float:
    return challenge.duration_ms / 1000 + 0.15


@lru_cache(maxsize=None)
def bona_fide_flash(name: str, seed: int, lag_s: float = 0.08) -> tuple:
    challenge = flash_challenge(seed)
    return tuple(faces.render_sequence(
        faces.prepare(name), clip_length(challenge), faces.idle_poses(seed), light_of(challenge),
        camera=faces.Camera(fps=FPS, lag_s=lag_s), seed=seed,
    ))


@lru_cache(maxsize=None)
def print_flash(name: str, seed: int) -> tuple:
    challenge = flash_challenge(seed)
    return tuple(faces.print_attack(faces.prepare(name), clip_length(challenge), light_of(challenge), faces.Camera(fps=FPS), seed=seed))


@lru_cache(maxsize=None)
def replay_flash(name: str, seed: int, recorded_under: int) -> tuple:
    """A replay of a bona fide recording made under challenge ``recorded_under``, shown while ``seed``'s flashes."""
    recording = bona_fide_flash(name, recorded_under)
    return tuple(faces.screen_replay(recording, light_of(flash_challenge(seed)), faces.Camera(fps=FPS), seed=seed))


@lru_cache(maxsize=None)
def idle(name: str, seed: int, seconds: float = 2.0) -> tuple:
    return tuple(faces.render_sequence(faces.prepare(name), seconds, faces.idle_poses(seed), camera=faces.Camera(fps=FPS), seed=seed))


@lru_cache(maxsize=None)
def acting(name: str, actions: tuple[str, ...], seed: int, fps: float = 12.0) -> tuple:
    seconds = 0.8 + 1.6 * len(actions) + 0.6
    return tuple(faces.render_sequence(
        faces.prepare(name), seconds, faces.action_poses(actions, seed), camera=faces.Camera(fps=fps), seed=seed,
    ))
