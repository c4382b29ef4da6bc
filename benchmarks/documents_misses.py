"""Every single-frame resident-ID field miss on TUNING seeds, one line each, to sort by cause (issue 18).

Run: ``.venv/bin/python benchmarks/documents_misses.py [--renderer cards] [--photos 300] [--seed 3000] [--side emblem]``

For each photo (half portrait side, half emblem side, as :mod:`documents_renderers` draws
them) that has a field read wrong, prints the seed, side, the reader's type, the field, the
truth, what was read, the failed checks and the rows of text the reader saw, so each
miss can be put in one category: card not found / side wrong, OCR character error, row or
label anchoring error, value cut or merged, renderer truth mismatch. Only seeds below
100 000 are accepted: the reported seeds are never looked at one by one.
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).parent))
import documents_renderers as renderers  # noqa: E402

from barrierfree.vision.idcard.rows import read_rows  # noqa: E402
from barrierfree.vision.card import geometry  # noqa: E402
from barrierfree.vision.card.layouts import ID1_MM  # noqa: E402
from barrierfree.vision.frames import from_array  # noqa: E402

TUNING_LIMIT = 100_000


def _rows_seen(pixels, reading) -> str:
    """The row texts of the card the reader kept (its first outline), for the cause of a miss."""
    runtime = renderers.RUNTIME
    seen = runtime.card_finder.observe(from_array(pixels))
    if seen.quad is None:
        return "(no card found)"
    settings = runtime.settings.document
    card = geometry.rectify(pixels, seen.quad, ID1_MM, settings.ocr_px_per_mm)
    rows = read_rows(card, settings.ocr_px_per_mm, runtime.ocr, det_max_side_px=settings.card_det_max_side_px)
    return " | ".join(f"{row.text}@{row.y:.1f}" for row in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renderer", choices=("cards", "alt"), default="cards")
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--seed", type=int, default=3000)
    parser.add_argument("--side", choices=("both", "portrait", "emblem"), default="both",
                        help="both alternates portrait and emblem photos; otherwise every photo shows that side")
    parser.add_argument("--rows", action="store_true", help="also print the rows of text seen on each missed card")
    args = parser.parse_args()
    if args.seed + args.photos > TUNING_LIMIT:
        parser.error(f"tuning seeds only: seed + photos must stay below {TUNING_LIMIT}")
    cv2.setNumThreads(1)
    today = date(2026, 12, 7)
    misses: Counter[str] = Counter()
    for index in range(args.photos):
        portrait = index % 2 == 0 if args.side == "both" else args.side == "portrait"
        kind = "cn_resident_id_front" if portrait else "cn_resident_id_back"
        seed = args.seed + index
        photo = renderers._photo(args.renderer, seed, kind, today)
        reading = renderers.RUNTIME.read_document(photo.pixels, today=today)
        wrong = {name: value for name, value in photo.fields.items() if reading.fields.get(name) != value}
        if not wrong:
            continue
        failed = ",".join(c.name for c in reading.checks if not c.passed)
        for name, value in wrong.items():
            misses[name] += 1
            print(f"{seed} {kind[15:]} type={reading.document_type} valid={reading.valid} {name}: "
                  f"truth={value!r} read={reading.fields.get(name)!r} failed=[{failed}]", flush=True)
        if args.rows:
            print(f"    rows: {_rows_seen(photo.pixels, reading)}", flush=True)
    print(f"\n{args.renderer}: {args.photos} photos ({args.side} side) from seed {args.seed}; misses per field: {dict(misses)}")


if __name__ == "__main__":
    main()
