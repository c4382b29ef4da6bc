// The card stills of the on-device path: the JS usableStill (guidance/stills.js) against the Python
// usable_still it ports, and the SDK's CardStills (sdk/stills.js) against the simulation's model of it
// (testkit/blind_users/capture.py CardStills), on the same observations and frame sequences.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

import { usableStill } from "../../barrierfree/web/static/sdk/guidance/stills.js";
import { CardStills } from "../../barrierfree/web/static/sdk/stills.js";
import { ROOT } from "./conformance.mjs";

/** Runs ``code`` (Python, reading the JSON on stdin, printing JSON) in this checkout's venv. */
function python(code, input) {
  const exe = process.env.BARRIERFREE_PYTHON ?? join(ROOT, ".venv", "bin", "python");
  const out = execFileSync(exe, ["-c", code], { cwd: ROOT, env: { ...process.env, PYTHONPATH: ROOT }, input: JSON.stringify(input) });
  return JSON.parse(out.toString());
}

const SETTINGS = python("import json; from barrierfree.settings import Settings; print(json.dumps(Settings().guidance.model_dump()))", null);

const card = (over) => ({ found: true, frame_size: [480, 640], cut_edges: [], sharpness: 3000, glare_fraction: 0.0, side: "portrait",
  exposure: 0.6, center: [0.5, 0.5], glare_center: null, ...over });
// An evenly overexposed card: its blown-out paper is no glare (the guide captures it, and it reads).
const OVEREXPOSED = { glare_fraction: 0.84, exposure: 0.95, glare_center: [0.5, 0.5] };
const OBSERVATIONS = [
  [card({}), "portrait"], [card({}), null], [card({}), "emblem"], [card({ side: "unknown" }), "portrait"],
  [card({ sharpness: SETTINGS.card_still_min_sharpness - 1 }), "portrait"], [card({ sharpness: SETTINGS.card_still_min_sharpness }), "portrait"],
  [card({ cut_edges: ["left"] }), "portrait"], [card({ glare_fraction: SETTINGS.card_max_glare_fraction + 0.01 }), "portrait"],
  [card({ found: false, sharpness: 0 }), "portrait"], [card({ side: "emblem" }), "emblem"],
  [card(OVEREXPOSED), "portrait"], [card({ ...OVEREXPOSED, glare_center: [0.8, 0.5] }), "portrait"],
];

test("usableStill agrees with the Python usable_still it ports", () => {
  const expected = python(`
import json, sys
from barrierfree.accessibility.guidance.stills import usable_still
from barrierfree.settings import Settings
from barrierfree.vision.card.observation import CardObservation
s = Settings().guidance
out = []
for obs, side in json.load(sys.stdin):
    o = CardObservation(found=obs["found"], frame_size=tuple(obs["frame_size"]), cut_edges=frozenset(obs["cut_edges"]),
                        sharpness=obs["sharpness"], glare_fraction=obs["glare_fraction"], side=obs["side"],
                        exposure=obs["exposure"], center=tuple(obs["center"]),
                        glare_center=None if obs["glare_center"] is None else tuple(obs["glare_center"]))
    out.append(usable_still(o, side, s))
print(json.dumps(out))`, OBSERVATIONS);
  const got = OBSERVATIONS.map(([obs, side]) => usableStill(obs, side, SETTINGS));
  assert.deepEqual(got, expected);
  assert.deepEqual(got, [true, true, false, true, false, true, false, false, false, true, true, false]);
});

// A dwell: frames (phase, captured, usable) a frame apart; the card leaves its place once, and a second dwell captures.
const FRAMES = [
  ["adjusting", false, true], ["hold_still", false, true], ["hold_still", false, false], ["adjusting", false, true],
  ["hold_still", false, true], ["hold_still", false, false], ["hold_still", false, true], ["hold_still", false, true],
  ["hold_still", false, false], ["hold_still", false, true], ["captured", true, false],
];
const LIMITS = { max_stills: 3, still_window_s: 0.5, still_budget_s: 0 };

test("the SDK's CardStills keeps and orders the stills as the simulation's model of it does", async () => {
  let taken = 0;
  const camera = { take: () => (taken += 1) };  // each guided frame's held canvas, numbered in frame order
  const stills = new CardStills(/** @type {any} */ (camera));
  FRAMES.forEach(([phase, captured, usable], i) => {
    stills.note({ phase, captured, still_usable: usable, timestamp_s: i * 0.125 }, LIMITS);
  });
  const chosen = await stills.collect(async () => ({}), LIMITS, () => true);
  const model = python(`
import json, sys
from testkit.blind_users.capture import CardStills
frames, window, most = json.load(sys.stdin)
stills = CardStills(window, most)
for i, (phase, captured, usable) in enumerate(frames):
    stills.note(phase, captured, usable, i * 0.125, i)
print(json.dumps(stills.chosen()))`, [FRAMES, LIMITS.still_window_s, LIMITS.max_stills]);
  // The JS canvases are numbered in the order they were taken; map them back to the frames' indexes.
  const takenFrames = FRAMES.map((f, i) => i).filter((i) => FRAMES[i][1] || (FRAMES[i][2] && FRAMES[i][0] !== "adjusting"));
  assert.deepEqual(chosen.map((n) => takenFrames[n - 1]), model);
  // The captured frame first, then the dwell's usable frames within the window, the latest first.
  assert.deepEqual(model, [10, 9, 7]);
});

test("after the capture, CardStills adds only frames judged usable, until max_stills or the budget is spent", async () => {
  let taken = 0;
  const camera = { take: () => (taken += 1) };
  const stills = new CardStills(/** @type {any} */ (camera));
  stills.note({ phase: "captured", captured: true, still_usable: false, timestamp_s: 1.0 }, LIMITS);
  let observed = 0;
  const guideFrame = async () => ({ still_usable: (observed += 1) % 3 === 0 });  // every third frame usable
  const chosen = await stills.collect(guideFrame, { ...LIMITS, still_budget_s: 10 }, () => true);
  assert.equal(chosen.length, LIMITS.max_stills);
  assert.equal(observed, 6);  // frames 3 and 6 were usable: then there were three
  stills.note({ phase: "captured", captured: true, still_usable: false, timestamp_s: 2.0 }, LIMITS);
  observed = 0;
  const spent = await stills.collect(guideFrame, { ...LIMITS, still_budget_s: 0 }, () => true);
  assert.equal(spent.length, 1);  // no time to look: the captured frame alone
  assert.equal(observed, 0);
  // Nothing captured was noted (a manual capture): no still chosen, the SDK takes fresh ones.
  assert.deepEqual(await stills.collect(guideFrame, LIMITS, () => true), []);
  // An engine that does not judge stills (no still_usable): the frames after the capture are taken as they come.
  stills.note({ phase: "captured", captured: true, timestamp_s: 2.5 }, LIMITS);
  assert.equal((await stills.collect(async () => ({}), { ...LIMITS, still_budget_s: 10 }, () => true)).length, LIMITS.max_stills);
  // Once there are as many as the server accepts on, no more are looked for.
  stills.note({ phase: "captured", captured: true, still_usable: false, timestamp_s: 3.0 }, LIMITS);
  observed = 0;
  const accepted = await stills.collect(guideFrame, { ...LIMITS, still_budget_s: 10, stills_to_accept: 2 }, () => true);
  assert.equal(accepted.length, 2);
  assert.equal(observed, 3);
});

test("a capture read once more is carried: its stills go after the next capture's own, as the simulation's model has it", async () => {
  let taken = 0;
  const camera = { take: () => (taken += 1) };
  const stills = new CardStills(/** @type {any} */ (camera));
  stills.carry(["a", "b"]);
  stills.note({ phase: "captured", captured: true, still_usable: false, timestamp_s: 1.0 }, LIMITS);
  let observed = 0;
  const guideFrame = async () => ({ still_usable: (observed += 1) > 0 });
  // The new captured frame first, then the carried ones (max_stills in all): enough to accept on, so nothing more is looked for.
  const chosen = await stills.collect(guideFrame, { ...LIMITS, still_budget_s: 10, stills_to_accept: 2 }, () => true);
  assert.deepEqual(chosen, [1, "a", "b"]);
  assert.equal(observed, 0);
  // Carried once only, and forgotten with everything else at a new step.
  stills.note({ phase: "captured", captured: true, still_usable: false, timestamp_s: 2.0 }, LIMITS);
  assert.deepEqual(await stills.collect(guideFrame, { ...LIMITS, still_budget_s: 0 }, () => true), [2]);
  stills.carry(["c"]);
  stills.drop();
  stills.note({ phase: "captured", captured: true, still_usable: false, timestamp_s: 3.0 }, LIMITS);
  assert.deepEqual(await stills.collect(guideFrame, { ...LIMITS, still_budget_s: 0 }, () => true), [3]);
  const model = python(`
import json
from testkit.blind_users.capture import CardStills
stills = CardStills(0.5, 3)
stills.carry(["a", "b"])
stills.note("captured", True, False, 1.0, 1)
first = stills.chosen()
stills.note("captured", True, False, 2.0, 2)
print(json.dumps([first, stills.chosen()]))`, null);
  assert.deepEqual(model, [chosen, [2]]);
});
