"""Simulated blind users bringing their face, then their ID card, into the camera (issue 24).

The simulation lives in :mod:`testkit.blind_users` (read its modules'
docstrings for the people, the pacing and the judging); this script runs it and prints,
in one run, per target:

- the first user model as it was (``old``: no delay, listening at 250-350 words a
  minute with ``normal`` wording and no introduction, easy hands and scene, judged on
  the frame the guide saw);
- the main model (the product's profile, the SDK's pacing and speech queue, harder
  hands and scenes, judged on the capture still, the card read by the real reader, the
  face through the face-match gates) on the server path at 0, 0.3 and 0.8 s median
  round trip and on the on-device path (whose captures are the SDK's: the card's
  stills, on either path, read and fused as the server does, the face's liveness clip of which the
  server keeps the best frame; :mod:`testkit.blind_users.capture`);
- the held-out model, never tuned on, on the same paths.

Figures: median and p90 time to a GOOD capture with a failure counted as 60 s; the
share within 60 s with the 95 % upper bound of the failure share; capture photos
meeting the criteria, and meeting them and read right (with the bound of the bad
share); utterances a minute. Each target runs in its own process (``--jobs 2`` runs
both at once). Policy: ``all`` (speech, tones and vibration: the product's default).

    python benchmarks/blind_users.py --users 3

Seeds: the guidance was tuned on users 0-299 of the first model (seed 2026); the main
model's users from 300 are reported by default (``--first``); the held-out model's are
drawn from their own seed and never tuned on.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path as FilePath

sys.path.insert(0, str(FilePath(__file__).resolve().parents[1]))
sys.path.insert(0, str(FilePath(__file__).resolve().parent))

from bounds import upper_bound

from barrierfree.runtime import Runtime
from barrierfree.settings import Settings
from testkit.blind_users.held_out import draw_held_out
from testkit.blind_users.people import draw_legacy, draw_main, population
from testkit.blind_users.phone import DEVICE_COMPUTE_S, Path
from testkit.blind_users.report import Summary, silent_misreads, summarise
from testkit.blind_users.session import LIMIT_S, Conditions, Session
from testkit.blind_users.trace import breakdown, describe

MODELS = {"old": draw_legacy, "main": draw_main, "held-out": draw_held_out}
#: The held-out population's own seed offset (never the main one's people).
HELD_OUT_SEED_OFFSET = 500_000


def configurations(args: argparse.Namespace) -> list[tuple[str, Path]]:
    paths = [Path("server", rtt) for rtt in args.rtts] + ([Path("device", compute_s=args.device_ms / 1000)] if args.device else [])
    runs = [("old", Path("server", 0.0))] if args.old else []
    return runs + [(model, path) for model in args.models for path in paths]


def run_target(target: str, runs: list[tuple[str, Path]], args: argparse.Namespace) -> list[tuple[str, str, Summary, float]]:
    """Every configuration for one target (in its own process, with the engines of its own runtime)."""
    runtime = Runtime.from_settings(Settings())
    results = []
    for model, path in runs:
        seed = args.seed + (HELD_OUT_SEED_OFFSET if model == "held-out" else 0)
        people = population(MODELS[model], seed, args.first, args.users)
        conditions = Conditions(path, policy=args.policy, hard_scene=model != "old", legacy_clock=model == "old",
                                held_still=not args.no_held_still, blind_stills=args.blind_stills, one_still=args.one_still,
                                carry_stills=not args.no_carry)
        started = time.perf_counter()
        outcomes = [Session(person, target, conditions, args.first + i, runtime).run() for i, person in enumerate(people)]
        results.append((model, path.label, summarise(outcomes), time.perf_counter() - started))
        print(f"  done: {line(target, model, path.label, results[-1][2])} ({results[-1][3]:.0f} s)", flush=True)
        if args.trace:
            for i, o in enumerate(outcomes):
                ended = f" (failed: accepted at {o.ended_s:.1f} s)" if o.ended_s is not None else ""
                print(f"    user {args.first + i}: {_end(o):5.1f} s{ended}, {describe([breakdown(o.steps, _end(o))])}", flush=True)
            print(f"    all: {describe([breakdown(o.steps, _end(o)) for o in outcomes])}", flush=True)
            for user, fields in silent_misreads(outcomes, args.first):
                print(f"    silent misread: user {user}, fields {','.join(fields)}", flush=True)
    return results


def _end(outcome) -> float:
    """When a session's time stopped running: its good capture, the server's acceptance of a bad one, or the limit."""
    return outcome.time_s if outcome.time_s is not None else outcome.ended_s if outcome.ended_s is not None else LIMIT_S


def line(target: str, model: str, path: str, s: Summary) -> str:
    fail_bound = upper_bound(s.n - s.within, s.n)
    good = f"{s.good}/{s.captures}" if s.captures else "-"
    bad_bound = f"{100 * upper_bound(s.captures - s.good, s.captures):.0f}%" if s.captures else "-"
    meets = f"{100 * s.meeting / s.captures:.0f}%" if s.captures else "-"
    return (f"{target:<5} {model:<8} {path:<15} {s.n:>3} {s.median_s:>7.1f} {s.p90_s:>6.1f} "
            f"{s.within:>3}/{s.n:<3} {100 * fail_bound:>6.0f}% {meets:>6} {good:>7} {bad_bound:>7} {s.utterances_per_min:>7.1f} "
            f"{s.intro_s:>6.1f} {s.median_after_intro_s:>6.1f} {s.warned_misreads:>6} {s.silent_misreads:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=3, help="virtual users per model, path and target")
    parser.add_argument("--targets", default="face,card")
    parser.add_argument("--models", default="main,held-out", help="of main, held-out (the old model: --old/--no-old)")
    parser.add_argument("--old", action=argparse.BooleanOptionalAction, default=True, help="also run the first model as it was")
    parser.add_argument("--rtts", default="0,0.3,0.8", help="server-path median round trips, seconds")
    parser.add_argument("--device", action=argparse.BooleanOptionalAction, default=True, help="also run the on-device path")
    parser.add_argument("--device-ms", type=float, default=1000 * DEVICE_COMPUTE_S,
                        help="on-device compute per frame, ms (default: an assumption, see phone.DEVICE_COMPUTE_S)")
    parser.add_argument("--path", choices=("server", "device"), help="only this path (overrides --rtts/--device)")
    parser.add_argument("--policy", default="all", choices=("speech", "tones", "all"))
    parser.add_argument("--no-held-still", action="store_true",
                        help="device path: the SDK as it was before it held the judged frame (first card still drawn at the reply)")
    parser.add_argument("--blind-stills", action="store_true",
                        help="device path: the SDK as it was before it chose the card stills (the held frame, then fresh ones a frame apart)")
    parser.add_argument("--one-still", action="store_true",
                        help="server path: the SDK as it was before it sent chosen card stills (one still drawn at the reply a "
                             "capture, fused by the server with the step's earlier readings)")
    parser.add_argument("--no-carry", action="store_true",
                        help="device path: the SDK as it was before it sent a capture read once more again with the next")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--first", type=int, default=300, help="number of the first user (the first model was tuned on 0-299)")
    parser.add_argument("--trace", action="store_true",
                        help="print where each session's time went (introduction, speech, searching, centring, holding, refusals)")
    parser.add_argument("--jobs", type=int, default=1, help="targets run at once, each in its own process")
    args = parser.parse_args()
    try:
        args.rtts = [float(x) for x in args.rtts.split(",") if x.strip()]
    except ValueError:
        parser.error("--rtts must be numbers in seconds, separated by commas")
    args.models = [m for m in args.models.split(",") if m]
    targets = [t for t in args.targets.split(",") if t]
    if args.users < 1 or args.first < 0 or args.jobs < 1 or args.device_ms < 0 or any(r < 0 for r in args.rtts):
        parser.error("--users and --jobs must be at least 1; --first, --device-ms and --rtts at least 0")
    if set(args.models) - {"main", "held-out"} or set(targets) - {"face", "card"}:
        parser.error("--models: main, held-out; --targets: face, card")
    if args.path == "server":
        args.device = False
    elif args.path == "device":
        args.rtts, args.old = [], False
    runs = configurations(args)
    print(f"{args.users} users per model, path and target (from user {args.first}); limit {LIMIT_S:.0f} s; policy {args.policy}; "
          f"device compute {args.device_ms:.0f} ms/frame (assumed)", flush=True)
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with context.Pool(min(args.jobs, len(targets))) as pool:
        results = pool.starmap(run_target, [(target, runs, args) for target in targets])
    print(f"{'target':<5} {'model':<8} {'path':<15} {'n':>3} {'median':>7} {'p90':>6} {'<=60 s':>7} {'fail95':>7} "
          f"{'meets':>6} {'good':>7} {'bad95':>7} {'utt/min':>7} {'intro':>6} {'after':>6} {'warned':>6} {'silent':>6}")
    for target, rows in zip(targets, results):
        for model, path, summary, _ in rows:
            print(line(target, model, path, summary))
    print(f"median/p90: seconds to a good capture, a failure counted as {LIMIT_S:.0f} s; fail95/bad95: 95 % upper bound of the "
          "share failing / of capture photos not good; meets: capture photos meeting the criteria (old: the guided frame; "
          "server path: the still; device path: the card's first still / the clip frame the server keeps for the face); "
          "good: meeting them AND read right (card; on the device path its stills fused as the server does) / "
          "passing the face-match gates (face); "
          "intro: mean seconds the introduction takes to say; after: median seconds from its end (failures as 60 s minus it); "
          "warned/silent: card captures the server accepted with a wrong field, every wrong field flagged for the person "
          "to confirm / one with no flag (--trace lists them; an accepted capture ends the session, a failure if not good); "
          f"wall time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
