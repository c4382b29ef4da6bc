"""Flash liveness judged by the independent light model (:mod:`testkit.light`). Prints; asserts nothing.

Run: ``.venv/bin/python benchmarks/liveness_light.py [--quick] [--tuning]``
(``benchmarks/face.py`` calls :func:`run` too).

The clips come from a model that shares no code or constants with the
verifier: 3-D heads from real photos' meshes, the phone screen as an area
light, room light, a camera with auto-exposure, auto-white-balance, rolling
shutter, noise and JPEG; attacks with their own physics (see
:mod:`testkit.light.attacks`).

Seeds: thresholds are looked at on the *tuning* seeds (``--tuning`` prints
each check's figures per species there); the error rates are reported on
the *report* seeds, which never overlap them (:data:`TUNING_SEEDS`,
:data:`REPORT_SEEDS`). Each seed is one bona fide clip answering challenge A,
and on attack seeds one clip of each attack species answering challenge B
(the replays play the bona fide recording of A). Conditions are spread
evenly: skin tone cycles with the seed, the room and white balance with
seed // 3 and seed // 6, the distance is drawn in 25-60 cm.

Rates (ISO/IEC 30107-3): APCER per attack species, BPCER per condition,
each with its clip count and a one-sided 95% Clopper-Pearson upper bound
(about 3/n when no error is seen).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("GLOG_minloglevel", "2")

import argparse
import random
import sys
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
cv2.setNumThreads(1)

from testkit.light import attacks  # noqa: E402
from bounds import upper_bound  # noqa: E402
from testkit.light.live import ROOMS, SKIN_TONES, Condition, live_clip, random_condition  # noqa: E402
from testkit.light.render import Shot  # noqa: E402
from barrierfree.vision.frames import Frame  # noqa: E402
from barrierfree.runtime import Runtime  # noqa: E402
from barrierfree.settings import load_settings  # noqa: E402
from barrierfree.vision.liveness.flash import FlashChallenge, FlashVerifier, InMemoryNonceStore, issue  # noqa: E402

#: The face settings under test, from BARRIERFREE_* as the app's runtime takes them (the verifier is built here
#: with the challenge's own clock, which the runtime's mode does not take).
FACE = Runtime.from_settings(load_settings()).settings.face

NAMES = ("astronaut", "obama", "obama2", "obama3", "biden")
#: Seeds the thresholds may be looked at on, and the disjoint seeds the rates are reported on.
TUNING_SEEDS = range(100)
REPORT_SEEDS = range(1000, 1100)
ATTACKS = ("matte print", "glossy print", "curved print (cylinder)", "cut-out print, real eyes behind",
           "screen replay of a genuine answer to another challenge", "injected replay of a genuine answer to another challenge")


def condition_for(seed: int) -> Condition:
    """The seed's condition: skin, room and white balance cycle evenly; the rest is drawn from the seed."""
    rng = np.random.default_rng(seed)
    skins, rooms = list(SKIN_TONES), list(ROOMS)
    return random_condition(rng, skin=skins[seed % 3], room=rooms[(seed // 3) % 2], awb=(seed // 6) % 2 == 0)


def schedule_of(challenge: FlashChallenge) -> list[tuple[tuple[int, int, int], float, float]]:
    return [(c.rgb, c.start_ms / 1000, c.duration_ms / 1000) for c in challenge.colours]


def distance_bin(mm: float) -> str:
    return "25-35 cm" if mm < 350 else "35-45 cm" if mm < 450 else "45-60 cm"


@dataclass(frozen=True)
class Outcome:
    """One clip's verdict and the figures of its flash checks."""

    species: str
    seed: int
    condition: Condition
    passed: bool
    reasons: tuple[str, ...]
    figures: dict[str, float | None]


def judge(challenge: FlashChallenge, shots: list[Shot], species: str, seed: int, condition: Condition) -> Outcome:
    frames = [Frame(s.pixels, s.timestamp_s) for s in shots]
    fresh = replace(challenge, nonce=f"{challenge.nonce}-{zlib.crc32(species.encode())}")
    # Rendering takes longer than a challenge lives on a busy machine: judge on the challenge's own clock.
    verdict = FlashVerifier(FACE, store=InMemoryNonceStore(), clock=lambda: challenge.issued_at).verify(fresh, frames)
    figures = {c.name: c.figure for c in verdict.checks}
    return Outcome(species, seed, condition, verdict.passed, tuple(verdict.reasons), figures)


def clips_for(seed: int, with_attacks: bool) -> list[Outcome]:
    """The bona fide clip of ``seed`` and, when asked, one clip of each attack species."""
    name = NAMES[seed % len(NAMES)]
    condition = condition_for(seed)
    first = issue("light", FACE, rng=random.Random(seed))
    second = issue("light", FACE, rng=random.Random(seed + 500_000))
    length_a, length_b = first.duration_ms / 1000 + 0.15, second.duration_ms / 1000 + 0.15
    genuine = live_clip(name, schedule_of(first), length_a, condition, seed)
    out = [judge(first, genuine, "bona fide", seed, condition)]
    if not with_attacks:
        return out
    rng = np.random.default_rng(seed + 7)
    b = schedule_of(second)
    makers: dict[str, Callable[[], list[Shot]]] = {
        ATTACKS[0]: lambda: attacks.print_clip(name, b, length_b, condition, seed),
        ATTACKS[1]: lambda: attacks.print_clip(name, b, length_b, condition, seed, glossy=True),
        ATTACKS[2]: lambda: attacks.print_clip(name, b, length_b, condition, seed, radius_mm=float(rng.uniform(60, 110))),
        ATTACKS[3]: lambda: attacks.print_clip(name, b, length_b, condition, seed, cut_out=True),
        ATTACKS[4]: lambda: attacks.replay_clip(genuine, b, length_b, condition, seed),
        ATTACKS[5]: lambda: attacks.injected_clip(genuine),
    }
    return out + [judge(second, make(), species, seed, condition) for species, make in makers.items()]


def evaluate(seeds: range, attack_every: int) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for k, seed in enumerate(seeds):
        outcomes += clips_for(seed, with_attacks=k % attack_every == 0)
    return outcomes


def _rate(label: str, errors: int, n: int, what: str) -> str:
    share = 100 * errors / n if n else 0.0
    return f"  {what} {label:<58} {errors}/{n} = {share:5.1f}%  (95% upper bound {100 * upper_bound(errors, n):.0f}%)"


def report(outcomes: list[Outcome], title: str) -> None:
    print(f"\n[flash liveness, independent light model: {title}]")
    bona = [o for o in outcomes if o.species == "bona fide"]
    for species in ATTACKS:
        group = [o for o in outcomes if o.species == species]
        print(_rate(species, sum(o.passed for o in group), len(group), "APCER"))
    print(_rate("bona fide, all conditions", sum(not o.passed for o in bona), len(bona), "BPCER"))
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in bona:
        c = o.condition
        for key in (f"skin {c.skin}", f"distance {distance_bin(c.distance_mm)}", f"{c.room} room", f"AWB {'on' if c.awb else 'off'}"):
            groups[key].append(o)
    for key in sorted(groups):
        print(_rate(key, sum(not o.passed for o in groups[key]), len(groups[key]), "BPCER"))
    for o in bona:
        if not o.passed:
            print(f"    bona fide refused (seed {o.seed}, {NAMES[o.seed % len(NAMES)]}, {o.condition.label()}): {', '.join(o.reasons)}")
    for o in outcomes:
        if o.species != "bona fide" and o.passed:
            print(f"    attack accepted (seed {o.seed}, {o.species}, {o.condition.label()})")


def figures(outcomes: list[Outcome]) -> None:
    """Each flash check's figures per species (min / median / max): what thresholds are set from."""
    names = ("flash.sequence_correlation", "flash.segment_match", "flash.relief_ratio", "flash.background_ratio")
    print("\n  figures per species (min / median / max):")
    for species in ("bona fide", *ATTACKS):
        group = [o for o in outcomes if o.species == species]
        cells = []
        for name in names:
            values = [o.figures.get(name) for o in group if o.figures.get(name) is not None]
            cells.append(f"{name.split('.')[1]} " + ("-" if not values else
                         f"{min(values):.2f}/{float(np.median(values)):.2f}/{max(values):.2f}"))
        print(f"    {species[:40]:<40} " + "; ".join(cells))


def run(quick: bool = False, tuning: bool = False) -> None:
    """Print the rates on the report seeds (``tuning``: also the figures on the tuning seeds)."""
    bona, attack_every = (6, 3) if quick else (24, 3)
    if tuning:
        tuned = evaluate(TUNING_SEEDS[:bona], attack_every)
        report(tuned, f"TUNING seeds {TUNING_SEEDS.start}-{TUNING_SEEDS.start + bona - 1} (thresholds looked at here)")
        figures(tuned)
    reported = evaluate(REPORT_SEEDS[:bona], attack_every)
    report(reported, f"REPORT seeds {REPORT_SEEDS.start}-{REPORT_SEEDS.start + bona - 1} (never used for tuning)")
    figures(reported)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="6 bona fide clips and 2 of each attack")
    parser.add_argument("--tuning", action="store_true", help="also run the tuning seeds and print their figures")
    args = parser.parse_args()
    run(args.quick, args.tuning)
