"""Where the on-device card finder's time goes, per stage, in headless Chromium.

Prints (never asserts) the milliseconds per frame spent in each stage of the SDK's card finder
(``static/sdk/perception/card.js``) on the conformance corpus's card frames (640×480): drawing
the frame and reading its pixels, then each of the finder's methods and each OpenCV.js call,
found by wrapping them on the page (the finder's code is not changed for it). Stages nest
(``candidates`` holds ``gradient`` and ``search``, which holds ``judge``), so the rows do not add up
to the total; the edge maps are made lazily (a generator) while ``search`` asks for them, so their
time counts in ``search``. The OpenCV.js rows are the time inside the WebAssembly calls, the rest is JavaScript.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/ondevice_card_stages.py [--rounds 3] [--corpus DIR] [--throttle 4]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.perception_harness import harness_app, harness_page, load_corpus, secrets_for_app

#: Runs on the harness page: wraps the finder's methods and OpenCV.js's functions with timers, then
#: times `rounds` passes over the frames after one warm-up pass. Returns {stage: [ms per frame]}.
PROFILE_JS = """async ([urls, rounds]) => {
  const { createCardFinder, CardFinder } = await import('/static/sdk/perception/card.js');
  const finder = await createCardFinder();
  const cv = finder.cv;
  const spent = new Map(), calls = new Map();
  let counting = false;
  const wrap = (owner, name, label) => {
    const original = owner[name];
    if (typeof original !== 'function' || original.__timed) return;
    const timed = function (...args) {
      const start = performance.now();
      try { return original.apply(this, args); }
      finally {
        if (counting) {
          spent.set(label, (spent.get(label) || 0) + performance.now() - start);
          calls.set(label, (calls.get(label) || 0) + 1);
        }
      }
    };
    timed.__timed = true;
    Object.setPrototypeOf(timed, original);
    timed.prototype = original.prototype;
    owner[name] = timed;
  };
  const { EdgePlanes } = await import('/static/sdk/perception/card_edges.js');
  for (const [prefix, owner] of [['finder.', CardFinder.prototype], ['planes.', EdgePlanes.prototype]]) {
    for (const name of Object.getOwnPropertyNames(owner)) if (name !== 'constructor') wrap(owner, name, prefix + name);
  }
  // OpenCV.js's functions; its classes (capitalised, called with `new`) are left alone but for these.
  for (const name of Object.keys(cv)) {
    if (/^[a-z]/.test(name) || ['GaussianBlur', 'Sobel', 'Laplacian', 'Canny'].includes(name)) wrap(cv, name, 'cv.' + name);
  }
  wrap(cv.MatVector.prototype, 'get', 'cv.MatVector.get');
  wrap(cv, 'matFromImageData', 'cv.matFromImageData');
  wrap(cv, 'matFromArray', 'cv.matFromArray');
  const frames = [];
  for (const url of urls) {
    const bitmap = await createImageBitmap(await (await fetch(url)).blob(), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    frames.push([bitmap, canvas, canvas.getContext('2d', { willReadFrequently: true })]);
  }
  const perFrame = {}, callsPerFrame = {};
  for (let round = 0; round <= rounds; round++) {
    for (const [bitmap, canvas, context] of frames) {
      spent.clear();
      calls.clear();
      counting = round > 0;
      const start = performance.now();
      const grabStart = performance.now();
      context.drawImage(bitmap, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
      const grabbed = performance.now() - grabStart;
      finder.observe(pixels, start / 1000);
      const total = performance.now() - start;
      if (!counting) continue;
      spent.set('(draw + getImageData)', grabbed);
      spent.set('(total)', total);
      for (const [label, ms] of spent) (perFrame[label] ??= []).push(ms);
      for (const [label, n] of calls) callsPerFrame[label] = (callsPerFrame[label] || 0) + n;
    }
  }
  return [perFrame, callsPerFrame];
}"""


def _print(label: str, stages: dict[str, list[float]], calls: dict[str, int]) -> None:
    frames = len(stages["(total)"])
    print(f"{label}: ms per frame over {frames} frames (mean, p50, calls per frame); stages nest; "
          "OpenCV.js rows are time in its calls")
    rows = []
    for stage, values in stages.items():
        padded = sorted(values + [0.0] * (frames - len(values)))  # a stage not run on a frame took 0 there
        rows.append((sum(padded) / frames, padded[frames // 2], calls.get(stage, 0) / frames, stage))
    for mean, p50, count, stage in sorted(rows, reverse=True):
        if mean >= 0.05:
            print(f"  {stage:<32} {mean:7.2f} {p50:7.2f} {count:8.1f}" if count else f"  {stage:<32} {mean:7.2f} {p50:7.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed passes over the card frames (after one warm-up)")
    parser.add_argument("--throttle", type=float, default=0.0, help="also profile with the CPU slowed this many times")
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder (default: record one now)")
    args = parser.parse_args(argv)
    secrets_for_app()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from testkit.conformance import record
    from tests.browser import launch, serve

    with tempfile.TemporaryDirectory() as scratch:
        corpus_dir = args.corpus
        if corpus_dir is None:
            corpus_dir = Path(scratch) / "corpus"
            record(corpus_dir)
        corpus = load_corpus(corpus_dir)
        urls = [f"/conformance/frames/{c['frame']}" for c in corpus["cards"]]
        app = harness_app(Path(scratch) / "data", corpus_dir)
        print(f"card finder stages in headless Chromium ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} "
              f"at start), frames {corpus['frame_size'][0]}x{corpus['frame_size'][1]}")
        with serve(app) as base, launch() as browser:
            for throttle in [None] + ([args.throttle] if args.throttle else []):
                with harness_page(browser, base, cpu_throttle=throttle) as page:
                    _print(f"CPU throttled {throttle:g}x" if throttle else "unthrottled",
                           *page.evaluate(PROFILE_JS, [urls, args.rounds]))
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
