// Replays the guidance conformance corpus (benchmarks/guidance_corpus.py: blind-user sessions
// through the Python Guide) through the JS Guide and measures how far the two agree.
// Used by guidance.test.mjs (which asserts) and benchmarks/conformance.py (which prints):
//   node tests/js/conformance.mjs [CORPUS]   -> one JSON object of figures on stdout
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { Catalogs, Guide, toWire } from "../../barrierfree/web/static/sdk/guidance/index.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Signal values may differ by this much (floating point of two languages' maths libraries). */
export const SIGNAL_TOLERANCE = 1e-6;

/** The catalogs as the server serves them: barrierfree/assets/prompts/*.json, read, not copied. */
export function loadCatalogs() {
  const folder = join(ROOT, "barrierfree", "assets", "prompts");
  const byLanguage = {};
  for (const name of readdirSync(folder)) {
    if (name.endsWith(".json")) byLanguage[name.slice(0, -5)] = JSON.parse(readFileSync(join(folder, name), "utf8"));
  }
  return new Catalogs(byLanguage);
}

/** Writes a fresh corpus with the Python Guide of this checkout (seconds) and returns its path. */
export function recordCorpus() {
  const out = join(mkdtempSync(join(tmpdir(), "barrierfree-conformance-")), "guidance.jsonl");
  const python = process.env.BARRIERFREE_PYTHON ?? join(ROOT, ".venv", "bin", "python");
  execFileSync(python, [join(ROOT, "benchmarks", "guidance_corpus.py"), "replay", "--out", out],
    { cwd: ROOT, env: { ...process.env, PYTHONPATH: ROOT }, stdio: ["ignore", "ignore", "inherit"] });
  return out;
}

/** The corpus: the default settings, then one session per line. */
export function readCorpus(path) {
  const lines = readFileSync(path, "utf8").split("\n").filter((line) => line.trim());
  const header = JSON.parse(lines[0]);
  return { settings: header.settings, haptics: header.haptics, arithmetic: header.arithmetic, sessions: lines.slice(1).map((line) => unplain(JSON.parse(line))) };
}

function unplain(value) {
  if (Array.isArray(value)) return value.map(unplain);
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "$float") return { nan: NaN, inf: Infinity, "-inf": -Infinity }[value.$float];
    return Object.fromEntries(keys.map((key) => [key, unplain(value[key])]));
  }
  return value;
}

/** The JS Guide's answer in the corpus's form (Python's `guidance_json`). */
function asRecorded(guidance, guide) {
  const data = guidance.toDict(guide.render);
  data.timestamp_s = guidance.timestampS;
  data.signal = { ...guidance.signal };
  if (guidance.speak !== null) data.speak.delay_s = guidance.speak.delayS;
  return data;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The fields that differ between two frames' guidance (signal values and the delay within the tolerance). */
function differences(python, js) {
  const out = [];
  for (const key of Object.keys(python)) {
    if (key === "signal") {
      for (const [name, value] of Object.entries(python.signal)) {
        const other = js.signal[name];
        const close = typeof value === "number" && typeof other === "number"
          ? Math.abs(value - other) <= SIGNAL_TOLERANCE : value === other;
        if (!close) out.push(`signal.${name}`);
      }
    } else if (key === "speak" && python.speak && js.speak) {
      for (const name of Object.keys(python.speak)) {
        const ok = name === "delay_s" ? Math.abs(python.speak.delay_s - js.speak.delay_s) <= SIGNAL_TOLERANCE
          : same(python.speak[name], js.speak[name]);
        if (!ok) out.push(`speak.${name}`);
      }
    } else if (key === "timestamp_s") {
      if (python.timestamp_s !== js.timestamp_s) out.push(key);
    } else if (!same(python[key], js[key])) out.push(key);
  }
  return out;
}

/** The decision of a frame: phase, cue id and the cue's parameters. */
const decision = (g) => [g.phase, g.cue?.id ?? null, g.cue?.params ?? null];

/**
 * Every session through a fresh JS Guide; per frame, whether the decision (phase, cue id,
 * parameters), everything else said and shown, and the signal agree with Python.
 */
export function replay(corpus, catalogs = loadCatalogs()) {
  const figures = { sessions: 0, sessionsAllAgree: 0, frames: 0, decisionAgree: 0, fullAgree: 0, signalMaxDiff: 0, signalOver: 0,
    introductionsAgree: 0, failuresAgree: 0, wireFrames: 0, wireAgree: 0, mismatches: [], farMismatches: 0, byTarget: {} };
  const stepMs = [];
  for (const session of corpus.sessions) {
    const guide = new Guide(session.target, {
      settings: { ...corpus.settings, ...session.settings }, catalogs, profile: session.profile,
      camera: session.options.camera ?? null, expectedSide: session.options.expected_side ?? null,
      explainTones: session.options.explain_tones ?? true,
    });
    figures.sessions += 1;
    if (same(guide.introduction().map((c) => c.toDict(guide.render)), session.introduction)
      && same(guide.introduction(true).map((c) => c.toDict(guide.render)), session.introduction_full)) figures.introductionsAgree += 1;
    const tally = (figures.byTarget[session.target] ??= { frames: 0, decisionAgree: 0, fullAgree: 0 });
    const frames = session.frames;
    const fullBefore = figures.fullAgree;
    frames.forEach((frame, i) => {
      if (i === 0 && session.options.introduce) guide.introduce(frame.t);  // as the journey does, before the first step
      const started = performance.now();
      const guidance = guide.step(frame.obs, frame.sensors, frame.t);
      stepMs.push(performance.now() - started);
      const js = asRecorded(guidance, guide);
      if (frame.wire !== undefined) {
        figures.wireFrames += 1;
        if (same(toWire(guide, guidance, { haptics: corpus.haptics, first: i === 0 }), frame.wire)) figures.wireAgree += 1;
      }
      const python = frame.out;
      if (guide.failures === frame.failures) figures.failuresAgree += 1;
      if (frame.after === "record_failure") guide.recordFailure(frame.after_reason ?? null);
      figures.frames += 1;
      tally.frames += 1;
      for (const [name, value] of Object.entries(python.signal)) {
        if (typeof value === "number") {
          const diff = Math.abs(value - js.signal[name]);
          figures.signalMaxDiff = Math.max(figures.signalMaxDiff, Number.isNaN(diff) ? Infinity : diff);
        }
      }
      const decided = same(decision(python), decision(js));
      const diffs = differences(python, js);
      if (diffs.some((d) => d.startsWith("signal."))) figures.signalOver += 1;
      if (decided) {
        figures.decisionAgree += 1;
        tally.decisionAgree += 1;
      }
      if (diffs.length === 0) {
        figures.fullAgree += 1;
        tally.fullAgree += 1;
        return;
      }
      // Within one frame of a cue change: Python's cue id changes into or out of this frame.
      const id = (k) => frames[k]?.out.cue?.id ?? null;
      const nearChange = (i > 0 && id(i - 1) !== id(i)) || (i + 1 < frames.length && id(i + 1) !== id(i));
      if (!nearChange) figures.farMismatches += 1;
      if (figures.mismatches.length < 20) {
        figures.mismatches.push({ session: `${session.target}/${session.policy}/user ${session.user}/${session.variant}`,
          frame: i, t: frame.t, fields: diffs, nearChange, python: decision(python), js: decision(js),
          pythonSpeak: python.speak?.message_id ?? null, jsSpeak: js.speak?.message_id ?? null });
      }
    });
    if (figures.fullAgree - fullBefore === frames.length) figures.sessionsAllAgree += 1;
  }
  stepMs.sort((a, b) => a - b);
  const at = (q) => stepMs[Math.min(stepMs.length - 1, Math.floor(q * stepMs.length))];
  figures.stepMs = { median: at(0.5), p99: at(0.99) };  // printed by benchmarks/conformance.py, never asserted
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? recordCorpus();
  process.stdout.write(`${JSON.stringify(replay(readCorpus(path)))}\n`);
}
