"""How big in the capture still must a card be for the real reader to read every field right (issue 24 item 6)?

The guide's smallest card is ``card_min_coverage`` of the frame's area. This measures, on generated
cards (``testkit.cards``, the simulation's renderer and scenes) filmed at the SDK's still size with
sensor noise and JPEG at the SDK's still quality, the share read entirely right at a few coverages,
held still and moving (motion blur from a hand's sway). The simulation's judge settings are not used:
only the reader (:meth:`barrierfree.runtime.Runtime.read_document`) and the card's own fields.

    python benchmarks/card_reader_size.py --cards 6
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path as FilePath

sys.path.insert(0, str(FilePath(__file__).resolve().parents[1]))
sys.path.insert(0, str(FilePath(__file__).resolve().parent))

import numpy as np
from bounds import upper_bound

from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from testkit import cards
from testkit.blind_users.camera import STILL_SIZE, at_size, finish
from testkit.blind_users.phone import SDK_STILL_JPEG_QUALITY
from testkit.blind_users.setups import CARD_PX_PER_MM, TODAY
from testkit.scenes import CardScene

CARD_MM = (85.6, 54.0)


def distance_for(scene: CardScene, coverage: float) -> float:
    """The phone's height above the card that makes the card ``coverage`` of the frame's area."""
    width, height = scene.frame_size
    return scene.focal_px * math.sqrt(CARD_MM[0] * CARD_MM[1] / (coverage * width * height))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=6)
    parser.add_argument("--coverages", default="0.08,0.10,0.13,0.16,0.20")
    parser.add_argument("--sway-mm-s", type=float, default=25.0, help="the moving case's speed across the card")
    args = parser.parse_args()
    coverages = [float(c) for c in args.coverages.split(",")]
    runtime = Runtime.from_settings(Settings())
    rng = np.random.default_rng(2026)
    print(f"{args.cards} cards per row, still {STILL_SIZE[0]}x{STILL_SIZE[1]}, JPEG {SDK_STILL_JPEG_QUALITY}")
    print(f"{'coverage':>8} {'height':>7} {'card px':>7} {'still: right':>13} {'bad95':>6} {'moving: right':>14} {'bad95':>6}")
    people = [cards.random_cn_person(rng, TODAY) for _ in range(args.cards)]
    scenes = [at_size(CardScene(cards.render_card(p, "front", px_per_mm=CARD_PX_PER_MM, seed=i),
                                table=cards.background(["wood", "cloth", "desk"][i % 3], (480, 640), rng)), STILL_SIZE)
              for i, p in enumerate(people)]
    for coverage in coverages:
        right = {0.0: 0, args.sway_mm_s: 0}
        for person, scene in zip(people, scenes):
            pose = scene.pose_at(0.5, 0.5, distance_for(scene, coverage))
            for speed in right:
                frame, _ = scene.render(pose, (speed, 0.0))
                pixels = finish(frame.pixels, 1.0, SDK_STILL_JPEG_QUALITY, rng)
                reading = runtime.read_document(pixels, today=TODAY)
                right[speed] += all(reading.fields.get(k) == v for k, v in person.front_fields().items())
        n = len(people)
        card_px = STILL_SIZE[0] * math.sqrt(coverage * STILL_SIZE[1] / STILL_SIZE[0] * CARD_MM[0] / CARD_MM[1])
        height = distance_for(scenes[0], coverage)
        cells = [f"{k}/{n}".rjust(13 if i == 0 else 14) + f" {100 * upper_bound(n - k, n):>5.0f}%"
                 for i, k in enumerate(right.values())]
        print(f"{coverage:>8.2f} {height / 10:>5.1f}cm {card_px:>7.0f} {cells[0]} {cells[1]}", flush=True)
    print("right: every front field read exactly; bad95: 95 % upper bound of the share not read right; "
          "card px: the card's long side in the still's pixels")


if __name__ == "__main__":
    main()
