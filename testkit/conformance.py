"""A conformance corpus for the SDK's on-device perception: frames and the Python engines' observations.

The Python engines are the reference (DESIGN.md); the JS engines under
``barrierfree/web/static/sdk/perception/`` must agree with them. :func:`record`
renders a small set of 640×480 frames with the virtual phone
(:mod:`testkit.scenes` for faces held in sequences, as a stream is;
:func:`testkit.cards.random_photo` for cards of every kind on varied
tables, plus empty tables), stores each as a JPEG, decodes it back (so both
engines see the same pixels), and writes what :class:`FaceAnalyzer` and
:class:`CardFinder` observe as ``corpus.json``. The corpus is generated (a few
MB; the face photos are third-party and never committed), by the conformance
test and by ``python -m testkit.conformance OUT``.
"""

from __future__ import annotations

import argparse
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from testkit.cards import (SIZES_MM, Faults, apply_faults, background, dim_card, empty_table, random_cn_person,
                           random_photo, random_pose, render_card, render_scene)
from testkit.cards_alt import alt_photo
from testkit.scenes import FaceScene, PhonePose
from barrierfree.vision.card import CardObservation
from barrierfree.vision.face.observation import FaceObservation
from barrierfree.vision.frames import from_array

#: Frame size of the corpus (width, height): what the SDK streams.
FRAME_SIZE = (640, 480)
#: Real portraits (scikit-image's astronaut ships with the package; the rest come from scripts/setup).
FACE_PHOTOS = ("astronaut", "obama", "biden", "hanks")
CARD_TYPES = ("cn_resident_id_front", "cn_resident_id_back", "mrz_td1", "mrz_td3")
JPEG_QUALITY = 90
#: Frames of a face sequence are this far apart, seconds (a 6 fps guidance stream).
FACE_FRAME_S = 1 / 6
#: Coffee-cup photos (one each side) whose card only the finder's straight-edge fallback finds.
CUP_RIM_SEEDS = (12, 11)
#: Second-renderer emblem sides whose emblem a highlight washes out (told only by its relative colour).
FADED_EMBLEM_SEEDS = (1029, 1113)
#: Dim cards on a white page (one each side) found only by the finder's dim-frame edge maps.
DIM_CARD_SEEDS = (22, 23)
#: A fixed day for valid documents, so that the corpus is the same every day.
TODAY = date(2026, 1, 15)


def _num(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def face_json(seen: FaceObservation) -> dict[str, Any]:
    """A face observation as plain JSON, with the field names of the SDK's face.js (landmarks left out)."""
    return {
        "face_count": seen.face_count, "frame_size": list(seen.frame_size), "timestamp_s": seen.timestamp_s,
        "box": None if seen.box is None else [float(v) for v in seen.box],
        "yaw_deg": _num(seen.yaw_deg), "pitch_deg": _num(seen.pitch_deg), "roll_deg": _num(seen.roll_deg),
        "left_eye_openness": _num(seen.left_eye_openness), "right_eye_openness": _num(seen.right_eye_openness),
        "mouth_openness": _num(seen.mouth_openness), "size_fraction": _num(seen.size_fraction),
        "center": None if seen.center is None else [float(v) for v in seen.center],
        "cut_edges": sorted(seen.cut_edges), "sharpness": _num(seen.sharpness), "exposure": _num(seen.exposure),
        "all_boxes": [[float(v) for v in box] for box in seen.all_boxes],
    }


def card_json(seen: CardObservation) -> dict[str, Any]:
    """A card observation as plain JSON, with the field names of the SDK's card.js."""
    return {
        "found": seen.found, "frame_size": list(seen.frame_size), "timestamp_s": seen.timestamp_s,
        "quad": None if seen.quad is None else np.asarray(seen.quad, float).tolist(),
        "coverage": seen.coverage, "center": None if seen.center is None else list(seen.center),
        "cut_edges": sorted(seen.cut_edges), "skew_deg": seen.skew_deg, "tilt_deg": seen.tilt_deg,
        "sharpness": seen.sharpness, "glare_fraction": seen.glare_fraction, "exposure": seen.exposure,
        "side": seen.side, "upside_down": seen.upside_down, "visible_fraction": seen.visible_fraction,
        "document_type": seen.document_type, "aspect_ratio": seen.aspect_ratio,
        "glare_center": None if seen.glare_center is None else list(seen.glare_center),
    }


def _store(rgb: np.ndarray, path: Path) -> np.ndarray:
    """Write ``rgb`` as a JPEG and return the pixels decoded back from it."""
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    assert ok, path
    path.write_bytes(data.tobytes())
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _face_poses(scene: FaceScene, count: int) -> list[PhonePose]:
    """A hand drifting towards the face: centre, distance and phone rotation change frame to frame."""
    poses = []
    for k in range(count):
        t = k / max(count - 1, 1)
        base = scene.pose_at(0.35 + 0.3 * t, 0.6 - 0.2 * t, 520 - 180 * t)
        poses.append(PhonePose(base.x_mm, base.y_mm, base.distance_mm, yaw_deg=12 - 24 * t, pitch_deg=-8 + 14 * t,
                               roll_deg=6 * math.sin(3 * t)))
    return poses


def highlighted_card(seed: int) -> np.ndarray:
    """A resident ID card on a pale page or desk with the lamp's highlight across one of its edges.

    Where the highlight crosses the edge, card and table are both washed out and the edge ring
    has a gap; the finder's glare barriers close it (tests/vision/test_document_finder.py renders
    the same scenes at 1280 px). Seeds take the top, right, bottom and left edge in turn.
    """
    rng = np.random.default_rng([seed, 18])
    texture = render_card(random_cn_person(rng, TODAY), "front" if seed % 2 == 0 else "back", seed=seed)
    pose = random_pose(rng, SIZES_MM["id1"], FRAME_SIZE)
    kind = ("page", "desk")[seed // 2 % 2]
    frame, quad = render_scene(texture, SIZES_MM["id1"], pose, FRAME_SIZE, background(kind, FRAME_SIZE, rng))
    edge = seed % 4
    middle = (quad[edge] + quad[(edge + 1) % 4]) / 2
    width = FRAME_SIZE[0]
    faults = Faults(noise_sigma=2.0, glare=((float(middle[0] / width), float(middle[1] / width), 0.05),), jpeg_quality=85)
    return apply_faults(frame, faults, rng)


def record(out: Path, *, frames_per_face: int = 6, cards_per_type: int = 5, highlighted: int = 4, empty: int = 2,
           runtime: Runtime | None = None) -> Path:
    """Render the corpus into ``out`` (``frames/*.jpg`` and ``corpus.json``); returns the JSON's path.

    The engines (and the document settings recorded with them) are ``runtime``'s, by default one
    built from the process's settings, so ``BARRIERFREE_DOCUMENT__*`` reaches the finder."""
    runtime = runtime or Runtime.from_settings(Settings())
    frames = out / "frames"
    frames.mkdir(parents=True, exist_ok=True)
    corpus: dict[str, Any] = {"frame_size": list(FRAME_SIZE), "document_settings": runtime.settings.document.model_dump(),
                              "face_sequences": [], "cards": []}
    for photo in FACE_PHOTOS:
        scene = FaceScene(photo, frame_size=FRAME_SIZE)
        sequence = []
        with runtime.face_analyzer() as analyzer:  # a tracker per sequence, as per stream
            for k, pose in enumerate(_face_poses(scene, frames_per_face)):
                frame, _ = scene.render(pose)
                name = f"face-{photo}-{k}.jpg"
                pixels = _store(frame.pixels, frames / name)
                seen = analyzer.observe(from_array(pixels), timestamp_s=round(k * FACE_FRAME_S, 6))
                sequence.append({"frame": name, "observation": face_json(seen)})
        corpus["face_sequences"].append({"photo": photo, "frames": sequence})
    finder = runtime.card_finder
    shots = [(f"card-{kind}-{seed}.jpg", random_photo(seed, kind, frame_size=FRAME_SIZE, today=TODAY).pixels)
             for kind in CARD_TYPES for seed in range(cards_per_type)]
    shots += [(f"highlight-{seed}.jpg", highlighted_card(seed)) for seed in range(highlighted)]
    # Cards across a white cup's rim: no closed edge ring, found only from four straight edges (lines.py).
    shots += [(f"cup-rim-{seed}.jpg", random_photo(seed, CARD_TYPES[seed % 2], frame_size=FRAME_SIZE,
                                                     background_kind="coffee", today=TODAY).pixels) for seed in CUP_RIM_SEEDS]
    # The second renderer's emblem sides with a highlight washing the emblem out (side.py's _faded_emblem).
    shots += [(f"faded-emblem-{seed}.jpg", alt_photo(seed * 10, "cn_resident_id_back", TODAY, card_seed=seed,
                                                       frame_size=FRAME_SIZE).pixels) for seed in FADED_EMBLEM_SEEDS]
    # Dim cards on a white page: edge rings closed only at thresholds lowered with the exposure (finder.py's _dim_maps).
    shots += [(f"dim-card-{seed}.jpg", dim_card(seed, ("front", "back")[seed % 2], TODAY, frame_size=FRAME_SIZE)[0])
              for seed in DIM_CARD_SEEDS]
    shots += [(f"table-{seed}.jpg", empty_table(seed, FRAME_SIZE)) for seed in range(empty)]
    for name, rgb in shots:
        pixels = _store(rgb, frames / name)
        corpus["cards"].append({"frame": name, "observation": card_json(finder.observe(from_array(pixels)))})
    path = out / "corpus.json"
    path.write_text(json.dumps(corpus, indent=1), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record the on-device perception conformance corpus.")
    parser.add_argument("out", type=Path, help="folder to write frames/ and corpus.json into")
    args = parser.parse_args(argv)
    path = record(args.out, runtime=Runtime.from_settings(Settings()))
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"conformance corpus: {path} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
