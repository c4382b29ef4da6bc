"""The guidance conformance corpus: blind-user sessions through the Python Guide, for the JS Guide to replay.

Two stages, because they cost very differently:

``record`` runs the blind-user simulation (:mod:`testkit.blind_users`, main model: rendered scenes, the REAL
``FaceAnalyzer`` / ``CardFinder``, the REAL Guide, simulated people reacting to it) for both
targets and every policy, and writes what the Guide was given on each frame: the observation,
the sensor reading and the frame's time. That takes minutes of CPU, so its output is committed
(``tests/js/corpus/guidance-sessions.jsonl.gz``, a few hundred KiB).

``replay`` runs the Python Guide of the checkout over those inputs, once per session and
variant (profiles: the simulated person's, English, brief with a doubled timeout, a language
that falls back, screen reader; non-default settings; a card step with an expected side and
a rejected capture; a phone without motion sensors; a dim room; the introduction said through
``Guide.introduce`` before the first frame, as the journey does) and writes inputs and outputs as JSON lines. It takes seconds, so it runs
at test time and the JS Guide is always held to today's Python Guide, never to a stale copy.

    python benchmarks/guidance_corpus.py record --users 3
    python benchmarks/guidance_corpus.py replay --out .cache/conformance/guidance.jsonl

Numbers that JSON cannot hold (NaN, infinities) are written as ``{"$float": "nan"}``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from barrierfree.accessibility.guidance import Guide
from barrierfree.accessibility.profile import Profile
from barrierfree.accessibility.sensors import SensorReading
from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from barrierfree.settings.guidance import GuidanceSettings
from barrierfree.vision.card.observation import CardObservation
from barrierfree.vision.face.observation import FaceObservation

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = ROOT / "tests" / "js" / "corpus" / "guidance-sessions.jsonl.gz"
CORPUS = ROOT / ".cache" / "conformance" / "guidance.jsonl"

#: Observation fields the Guide reads, per target (the rest, landmarks and boxes, it never looks at).
FACE_FIELDS = ("face_count", "frame_size", "timestamp_s", "size_fraction", "center", "cut_edges", "sharpness",
               "exposure", "yaw_deg", "pitch_deg", "roll_deg")
CARD_FIELDS = ("found", "frame_size", "timestamp_s", "quad", "coverage", "center", "cut_edges", "skew_deg", "tilt_deg",
               "sharpness", "glare_fraction", "exposure", "side", "upside_down", "visible_fraction", "document_type",
               "aspect_ratio", "glare_center")
#: The policies recorded: speech, tones, speech with tones and vibration (the product's default), nothing.
POLICIES = ("speech", "tones", "all", "none")
#: Settings that differ from the defaults in the ``settings`` variant: every switch the Guide has, turned.
SETTINGS_VARIANT = {"learn_hand_gain": False, "straighten_phone_first": False, "farther_first": False,
                    "say_two_way_moves": False, "say_distance_with_move": False, "centre_for_new_distance": False,
                    "finish_move_first": False, "quiet_while_passing": False, "say_glare_escape": False,
                    "card_capture_needs_known_side": False, "cue_settle_s": 0.4, "hysteresis_fraction": 0.1,
                    "face_max_still_motion_per_s": 0.15, "short_introduction": False,
                    "say_move_with_tilt": False}


# --- JSON ------------------------------------------------------------------
def plain(value: Any) -> Any:
    """``value`` as plain JSON: numpy to lists and floats, sets sorted, non-finite floats tagged."""
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, (frozenset, set)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else {"$float": repr(number)}
    return value


#: The refusal codes a retried session's captures are refused with, in turn: one the guide answers with
#: "hold still" and a sharper capture, one with another cue, and none given.
REFUSALS = {"face": ("face-blurred", "face-turned", None), "card": ("reading-failed", "wrong-document", None)}


def unplain(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$float"}:
            return float(value["$float"])
        return {k: unplain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unplain(v) for v in value]
    return value


def rounded(value: Any) -> Any:
    """Plain JSON with every finite float to 7 significant digits: the corpus stays small, and
    both Guides replay the very same rounded inputs."""
    if isinstance(value, float):
        return float(f"{value:.7g}")
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def observation_json(observation: FaceObservation | CardObservation) -> dict[str, Any]:
    fields = FACE_FIELDS if isinstance(observation, FaceObservation) else CARD_FIELDS
    return {name: rounded(plain(getattr(observation, name))) for name in fields}


def observation_from(target: str, data: dict[str, Any]) -> FaceObservation | CardObservation:
    data = unplain(data)
    data["frame_size"] = tuple(data["frame_size"])
    data["cut_edges"] = frozenset(data["cut_edges"])
    for name in ("center", "glare_center"):
        if data.get(name) is not None:
            data[name] = tuple(data[name])
    if data.get("quad") is not None:
        data["quad"] = np.asarray(data["quad"], float)
    return FaceObservation(**data) if target == "face" else CardObservation(**data)


def guidance_json(guidance) -> dict[str, Any]:
    """The guidance of one frame: its JSON, with the signal and the utterance's delay unrounded."""
    data = guidance.to_dict()
    data["timestamp_s"] = guidance.timestamp_s
    data["signal"] = dataclasses.asdict(guidance.signal)
    if guidance.speak is not None:
        data["speak"]["delay_s"] = guidance.speak.delay_s
    return plain(data)


def wire_json(guide: Guide, guidance, first: bool) -> dict[str, Any]:
    """What the server's guidance path answers a frame with (``onboarding.journey.camera.Streams.guide``,
    without the journey's own ``ready_for_challenge``)."""
    from barrierfree.accessibility.haptics import pattern

    data = guidance.to_dict()
    data["introduction"] = [c.to_dict(guidance.language) for c in guide.introduction()] if first else []
    data["introduction_full"] = [c.to_dict(guidance.language) for c in guide.introduction(full=True)] if first else []
    if first:
        guide.introduced()  # as the SDK's toWire: the introduction is said now, the tones kept for later
    if guidance.signal.haptic:
        data["signal"]["haptic_pattern"] = list(pattern(guidance.signal.haptic))
    return plain(data)


# --- record ----------------------------------------------------------------
def record(users: int, first: int, seed: int, out: Path, runtime: Runtime) -> None:
    """Run the simulation (the main user model, server path without delay; both targets, every policy)
    with ``runtime``'s engines and write each session's inputs: what the Guide was given on each frame."""
    from testkit.blind_users.people import draw_main, population
    from testkit.blind_users.phone import Path as PhonePath
    from testkit.blind_users.session import Conditions, Session

    people = population(draw_main, seed, first, users)
    out.parent.mkdir(parents=True, exist_ok=True)
    frames = 0
    with gzip.open(out, "wt", encoding="utf-8") as sink:
        for target in ("face", "card"):
            for policy in POLICIES:
                for index, person in enumerate(people, start=first):
                    session = Session(person, target, Conditions(PhonePath("server", 0.0), policy=policy), index,
                                      runtime)
                    inputs = recording(session.guide)
                    outcome = session.run()
                    profile = session.profile.to_dict()
                    profile.pop("speech")
                    line = {"target": target, "policy": policy, "user": index, "profile": profile,
                            "captured_at": outcome.time_s,
                            "frames": [{"t": t, "obs": observation_json(o),
                                        "sensors": None if s is None else rounded(plain(dataclasses.asdict(s)))}
                                       for o, s, t in inputs]}
                    sink.write(json.dumps(line, separators=(",", ":")) + "\n")
                    frames += len(inputs)
                    print(f"{target} {policy} user {index}: {len(inputs)} frames, captured at {outcome.time_s}", flush=True)
    print(f"wrote {frames} frames to {out}")


def recording(guide: Guide) -> list[tuple[Any, Any, float]]:
    """Make ``guide`` note what each ``step`` is given (observation, sensor reading, time); returns the list it fills."""
    inputs: list[tuple[Any, Any, float]] = []
    step = guide.step

    def noted(observation, sensors=None, now_s=None):
        inputs.append((observation, sensors, now_s if now_s is not None else observation.timestamp_s))
        return step(observation, sensors, now_s=now_s)

    guide.step = noted  # type: ignore[method-assign]
    return inputs


# --- replay ----------------------------------------------------------------
def variants(session: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(name, profile, guide options, settings overrides) for one recorded session."""
    own = session["profile"]
    yield "simulated", own, {}, {}
    yield "english-detailed", {**own, "language": "en", "verbosity": "detailed", "tones": True, "haptics": True}, {}, {}
    yield "brief-slow", {**own, "verbosity": "brief", "timeout_multiplier": 2.0, "haptics": False}, {}, {}
    yield "fallback-screen-reader", {**own, "language": "fr", "screen_reader": True, "speech_enabled": None,
                                     "tones": False}, {}, {}
    yield "settings", own, {}, SETTINGS_VARIANT
    # As the journey runs a step: the introduction said through ``introduce`` at the first frame's time, the
    # first cues held until it ends (the product's detailed wording; a screen reader's, which the guide does
    # not time; and with the hold switched off).
    detailed = {**own, "verbosity": "detailed"}
    yield "introduced", detailed, {"introduce": True, "explain_tones": session["target"] == "card"}, {}
    yield "introduced-screen-reader", {**detailed, "screen_reader": True, "speech_enabled": None}, {"introduce": True}, {}
    yield "introduced-no-wait", detailed, {"introduce": True}, {"wait_for_introduction": False}
    yield "introduced-detailed", detailed, {"introduce": True}, {"short_introduction": False}
    if session["target"] == "card":
        yield "side-retry", own, {"expected_side": "portrait", "retry": True}, {}
    if session["policy"] in ("speech", "none"):
        yield "no-sensors", own, {"sensors": "none"}, {}
        yield "dim-room", own, {"sensors": "dim"}, {}


def sensors_for(frame: dict[str, Any], how: str | None, half_s: float) -> dict[str, Any] | None:
    """The frame's reading as a variant gives it: as recorded; ``none`` (a phone without motion
    sensors: the perspective tilt and an unknown posture are judged instead); ``dim`` (a light
    sensor reading 5 lx for the first half of the session, then a lamp is switched on: 300 lx)."""
    if how == "none":
        return None
    if how == "dim":
        return {**(frame["sensors"] or {}), "ambient_lux": 5.0 if frame["t"] < half_s else 300.0}
    return frame["sensors"]


def python_arithmetic(seed: int = 21) -> dict[str, list[list[float]]]:
    """Python's own results for the arithmetic the JS port must imitate (``round`` halves to even,
    ``round(x, 6)``, float ``//``), on the halves and near-integers the sessions rarely reach."""
    rng = np.random.default_rng(seed)
    halves = [k + 0.5 for k in range(-6, 26)] + [float(v) for v in rng.uniform(0, 200, 200)]
    decimals = [0.0078125, 0.1234565, 2.5e-7] + [float(v) for v in rng.uniform(0, 1, 200)]
    divisors = rng.choice([30.0, 60.0, 0.1, 7.5], 200)
    pairs = [(1.0, 0.1), (0.3, 0.1), (60.0, 30.0), (59.999999, 30.0), (-1.0, 30.0)] + \
        [(float(a), float(b)) for a, b in zip(rng.uniform(0, 300, 200), divisors, strict=True)]
    return {"round": [[x, round(x)] for x in halves], "round6": [[x, round(x, 6)] for x in decimals],
            "floordiv": [[a, b, a // b] for a, b in pairs]}


def replay_session(session: dict[str, Any], name: str, profile_data: dict[str, Any], options: dict[str, Any],
                   overrides: dict[str, Any], base: GuidanceSettings) -> dict[str, Any]:
    """One session through a fresh Python Guide: inputs, and what the Guide answered on each frame.
    The Guide's settings are ``base`` (the runtime's guidance section) with the variant's ``overrides``."""
    target = session["target"]
    settings = GuidanceSettings(**{**base.model_dump(), **overrides})
    guide = Guide(target, Profile.from_dict(profile_data), settings, camera=options.get("camera"),
                  expected_side=options.get("expected_side"), explain_tones=options.get("explain_tones", True))
    frames: list[dict[str, Any]] = []
    half_s = session["frames"][-1]["t"] / 2 if session["frames"] else 0.0
    for recorded in session["frames"]:
        frame = {**recorded, "sensors": sensors_for(recorded, options.get("sensors"), half_s)}
        observation = observation_from(target, frame["obs"])
        sensors = None if frame["sensors"] is None else SensorReading(**unplain(frame["sensors"]))
        if options.get("introduce") and not frames:
            guide.introduce(frame["t"])  # as the journey does, before the first step
        guidance = guide.step(observation, sensors, now_s=frame["t"])
        record_ = {**frame, "out": guidance_json(guidance), "failures": guide.failures}
        if name == "simulated":  # the wire form too, as the server's guidance path sends it
            record_["wire"] = wire_json(guide, guidance, first=not frames)
        if options.get("retry") and guidance.captured:
            # The server refused the capture, and says why: guide again (the reasons taken in turn).
            reasons = REFUSALS[target]
            reason = reasons[sum(f.get("after") == "record_failure" for f in frames) % len(reasons)]
            guide.record_failure(reason)
            record_["after"], record_["after_reason"] = "record_failure", reason
        frames.append(record_)
    return {"target": target, "policy": session["policy"], "user": session["user"], "variant": name,
            "profile": profile_data, "options": {k: v for k, v in options.items() if k not in ("retry", "sensors")},
            "retry": bool(options.get("retry")), "settings": overrides,
            "introduction": [c.to_dict(guide.language) for c in guide.introduction()],
            "introduction_full": [c.to_dict(guide.language) for c in guide.introduction(full=True)], "frames": frames}


def replay(sessions: Path, out: Path, base: GuidanceSettings) -> int:
    """Write the corpus (one JSON line per session and variant; the first line: ``base``, the settings
    every variant starts from: the runtime's guidance section, the defaults unless BARRIERFREE_GUIDANCE__* is set)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with gzip.open(sessions, "rt", encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        from barrierfree.accessibility.haptics import PATTERNS

        sink.write(json.dumps({"settings": base.model_dump(),
                               "haptics": {name: list(p) for name, p in PATTERNS.items()},
                               "arithmetic": python_arithmetic()}) + "\n")
        for line in source:
            session = json.loads(line)
            for name, profile, options, overrides in variants(session):
                replayed = replay_session(session, name, profile, options, overrides, base)
                sink.write(json.dumps(replayed, ensure_ascii=False, separators=(",", ":")) + "\n")
                count += len(replayed["frames"])
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    rec = commands.add_parser("record", help="run the blind-user simulation and write the Guide's inputs (slow)")
    rec.add_argument("--users", type=int, default=3, help="users per target and policy")
    rec.add_argument("--first", type=int, default=300, help="number of the first user (as in blind_users.py)")
    rec.add_argument("--seed", type=int, default=2026)
    rec.add_argument("--out", type=Path, default=SESSIONS)
    rep = commands.add_parser("replay", help="run the Python Guide over the recorded inputs (seconds)")
    rep.add_argument("--sessions", type=Path, default=SESSIONS)
    rep.add_argument("--out", type=Path, default=CORPUS)
    args = parser.parse_args()
    runtime = Runtime.from_settings(Settings())
    if args.command == "record":
        if args.users < 1 or args.first < 0:
            parser.error("--users must be at least 1 and --first at least 0")
        record(args.users, args.first, args.seed, args.out, runtime)
    else:
        if not args.sessions.is_file():
            parser.error(f"no recorded sessions at {args.sessions}; run the record command first")
        frames = replay(args.sessions, args.out, runtime.settings.guidance)
        print(f"wrote {frames} frames of guidance to {args.out}")


if __name__ == "__main__":
    main()
