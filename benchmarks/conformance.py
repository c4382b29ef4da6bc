"""How well the JS Guide (the SDK's on-device guidance) agrees with the Python Guide.

Records the conformance corpus from this checkout's Python Guide (blind-user sessions of both
targets and every policy, replayed under several profiles and settings; see
``benchmarks/guidance_corpus.py``), replays it through the JS Guide under node, and prints the
agreement: the share of frames with the same phase, cue id and parameters; the share that agree
in everything said and shown; mismatches away from a cue change; the largest difference in a
signal value. Each rate is printed with its 95 % upper bound (about 3/n when nothing is seen on n),
per frame and, more cautiously since a session's frames are not independent, per session.

    python benchmarks/conformance.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import guidance_corpus
from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from bounds import upper_bound

ROOT = Path(__file__).resolve().parents[1]


def bound(errors: int, n: int) -> str:
    """The 95 % upper bound on a disagreement rate seen ``errors`` times in ``n`` frames."""
    return f"at most {100 * upper_bound(errors, n):.3f}% (95% upper bound, {errors} in {n})"


def main() -> None:
    node = shutil.which("node")
    if node is None:
        sys.exit("conformance: node is not on PATH (node 20 or later runs the JS Guide)")
    runtime = Runtime.from_settings(Settings())  # the Python Guide's settings: BARRIERFREE_GUIDANCE__* reach it
    with tempfile.TemporaryDirectory(prefix="barrierfree-conformance-") as folder:
        corpus = Path(folder) / "guidance.jsonl"
        frames = guidance_corpus.replay(guidance_corpus.SESSIONS, corpus, runtime.settings.guidance)
        result = subprocess.run([node, str(ROOT / "tests" / "js" / "conformance.mjs"), str(corpus)],
                                capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"conformance: the JS replay failed: {result.stderr.strip().splitlines()[-1:]}")
    f = json.loads(result.stdout)
    n = f["frames"]
    print(f"conformance corpus: {f['sessions']} sessions (both targets, 4 policies; profile, settings and sensor variants), {n} frames")
    for target, t in sorted(f["byTarget"].items()):
        print(f"  {target}: {t['frames']} frames, same phase+cue+params {100 * t['decisionAgree'] / t['frames']:.3f}%, "
              f"same in full {100 * t['fullAgree'] / t['frames']:.3f}%")
    print(f"same phase, cue id and parameters: {f['decisionAgree']}/{n} = {100 * f['decisionAgree'] / n:.3f}%; "
          f"disagreement {bound(n - f['decisionAgree'], n)}")
    sessions = f["sessions"]
    print(f"sessions that agree on every frame: {f['sessionsAllAgree']}/{sessions}; sessions with a disagreement "
          f"{bound(sessions - f['sessionsAllAgree'], sessions)} (frames of a session are not independent: this is the "
          "cautious figure)")
    print(f"same in full (also the utterance, its words and delay, offers, notes, language): {f['fullAgree']}/{n} "
          f"= {100 * f['fullAgree'] / n:.3f}%")
    print(f"mismatches more than one frame from a cue change: {f['farMismatches']}")
    print(f"signal: largest difference {f['signalMaxDiff']:.3g} (tolerance 1e-6); frames over it: {f['signalOver']}")
    print(f"introductions agree: {f['introductionsAgree']}/{f['sessions']}; failure counts agree: {f['failuresAgree']}/{n}")
    print(f"JS Guide per frame under node (policy only, in the replay): median {f['stepMs']['median']:.3f} ms, "
          f"p99 {f['stepMs']['p99']:.3f} ms (a shared machine: inflated by other load)")
    for m in f["mismatches"][:5]:
        print(f"  mismatch {m['session']} frame {m['frame']} (t={m['t']}): {', '.join(m['fields'])}")
    if frames != n:
        print(f"(the Python replay wrote {frames} frames)")


if __name__ == "__main__":
    main()
