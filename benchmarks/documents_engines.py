"""OCR engines side by side on the same card photos (issue 18 item 7): PP-OCRv4 vs PP-OCRv6 small.

Run: ``.venv/bin/python benchmarks/documents_engines.py [--photos 40]``

``pp-ocrv4``: rapidocr-onnxruntime 1.4.4 (PP-OCRv4 det/rec bundled); ``pp-ocrv6``: rapidocr 3.10
(PP-OCRv6 small det/rec bundled in its wheel, nothing downloaded). Both read the same photos of
both renderers in one run, on one thread; printed per field (exact match) and CPU per photo
(``read_document``, and plain full-frame OCR of the photo with each engine).
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from documents_renderers import _photo  # noqa: E402

from barrierfree.settings import Settings  # noqa: E402
from barrierfree.runtime import Runtime  # noqa: E402
from barrierfree.vision.ocr.engine import default_engine  # noqa: E402

ENGINES = ("pp-ocrv4", "pp-ocrv6")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=40, help="per renderer")
    parser.add_argument("--seed", type=int, default=300_000)
    args = parser.parse_args()
    cv2.setNumThreads(1)
    today = date(2026, 12, 7)
    runtimes = {name: Runtime.from_settings(Settings(ocr_engine=name)) for name in ENGINES}  # one reader per engine
    warm = _photo("cards", args.seed - 1, "cn_resident_id_front", today).pixels
    for name in ENGINES:  # load each engine's models once
        runtimes[name].read_document(warm, today=today)
    exact = {name: defaultdict(int) for name in ENGINES}
    counts: dict[str, int] = defaultdict(int)
    cpu = {name: [] for name in ENGINES}
    plain = {name: [] for name in ENGINES}
    for renderer in ("cards", "alt"):
        for index in range(args.photos):
            kind = "cn_resident_id_front" if index % 2 == 0 else "cn_resident_id_back"
            photo = _photo(renderer, args.seed + index, kind, today)
            for name in photo.fields:
                counts[f"{renderer}:{name}"] += 1
            for name in ENGINES:
                started = time.process_time()
                reading = runtimes[name].read_document(photo.pixels, today=today)
                cpu[name].append((time.process_time() - started) * 1000)
                started = time.process_time()
                default_engine(1, name).read(photo.pixels)
                plain[name].append((time.process_time() - started) * 1000)
                for field, value in photo.fields.items():
                    exact[name][f"{renderer}:{field}"] += reading.fields.get(field) == value
        print(f"... {renderer} done", file=sys.stderr, flush=True)
    print(f"{args.photos} photos per renderer (seeds {args.seed}..), both engines on the same photos, one thread, today={today}")
    print(f"{'field':<30}" + "".join(f"{name:>16}" for name in ENGINES))
    for key, n in counts.items():
        print(f"  {key:<28}" + "".join(f"{exact[name][key] / n:>10.1%} ({exact[name][key]:>3})" for name in ENGINES))
    for name in ENGINES:
        total = sum(exact[name].values())
        print(f"{name}: all fields {total}/{sum(counts.values())}; read_document CPU p50 {np.percentile(cpu[name], 50):.0f} ms "
              f"p95 {np.percentile(cpu[name], 95):.0f} ms; plain full-frame OCR CPU p50 {np.percentile(plain[name], 50):.0f} ms")


if __name__ == "__main__":
    main()
