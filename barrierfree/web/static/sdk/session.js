// One mounted SDK: runs the journey's camera steps (card portrait side, emblem side, liveness,
// face match) and turns guidance into speech, live-region text, tones and vibration.
//
// Guidance comes from the on-device engine when the phone can run it (see device.js), else from
// the server, frame by frame; the person hears the same either way. On the device path only the
// card stills, the liveness clip and a small telemetry batch go to the server, and a capture
// taken while the network is down waits (the person is told) and is sent when it returns.

import { CardStills } from "./stills.js";
import { Sound } from "./audio.js";
import { Camera, CameraUnavailable } from "./camera.js";
import { answerForm, recordActions, recordFlash } from "./clips.js";
import { Probe, openDeviceEngine } from "./device.js";
import { Help } from "./help.js";
import { Telemetry } from "./telemetry.js";
import { ApiError, Transport, sleep } from "./transport.js";
import { Ui } from "./ui.js";

/** @typedef {import("./barrierfree").Options} Options */
/** @typedef {import("./barrierfree").Journey} Journey */
/** @typedef {import("./barrierfree").Wire} Wire */

const DEFAULTS = { fps: 8, frameWidth: 640, captureWidth: 1280, jpegQuality: 0.7, liveRegion: null, speech: null, deviceEngine: null };

export class Session {
  /** @param {HTMLElement} element @param {Options} options */
  constructor(element, options) {
    this.element = element;
    this.options = { ...DEFAULTS, ...options };
    this.transport = new Transport(this.options);
    this.api = this.transport.api;
    this.lang = this.options.lang || "zh-CN";
    // Texts the host already has (e.g. the button labels) are usable before the catalog arrives.
    this.messages = { ...(this.options.messages || {}) };
    /** @type {Journey|null} */
    this.journey = null;
    /** @type {Wire|null} */
    this.wire = null;
    this.running = false;
    this.rtt = 120;
    this.sensors = {};
    this.queue = [];
    this.introduced = new Set();
    // A page load is a new camera run with its own clock: the server starts a fresh guide for it.
    this.streamId = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2);
    this.ui = new Ui(element, this.options, (id, params) => this.t(id, params));
    this.sound = new Sound(this.api, this.lang);
    this.camera = new Camera(this.ui.video);
    this.stills = new CardStills(this.camera);
    this.help = new Help(this);
    this.transport.onWaiting = () => this.enqueue({ id: "journey.sdk_waiting_network", kind: "notice" });
    this.startButton = this.ui.button("bf-start", "journey.sdk_start", () => this.start());
    this.captureButton = this.ui.button("bf-capture", "journey.sdk_capture", () => { this.manualRequested = true; });
    this.repeatButton = this.ui.button("bf-repeat", "journey.sdk_repeat", () => this.say(this.lastCue, true));
    // The short introduction is said by default; the detailed one whenever the person asks.
    this.fullIntroduction = [];
    this.explainButton = this.ui.button("bf-explain", "journey.sdk_explain", () => this.explain());
    this.extendButton = this.ui.button("bf-extend", "journey.sdk_extend", () => this.help.extend());
    this.captureButton.hidden = true;
    this.repeatButton.hidden = true;
    this.explainButton.hidden = true;
    this.ui.controls.append(this.startButton, this.captureButton, this.repeatButton, this.explainButton, this.extendButton);
  }

  /** A catalog message with its ``{name}`` parameters filled in. */
  t(id, params = {}) {
    const text = this.messages[id] || id;
    return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? params[name] : `{${name}}`));
  }

  emit(name, detail) { this.ui.emit(name, detail); }

  request(method, path, options) { return this.transport.request(method, path, options); }

  journeyPath(suffix = "") { return this.transport.journeyPath(suffix); }

  // ---- cues: one queue, the live region always, speech when self-voicing ---------------------
  get selfVoice() {
    if (this.options.speech !== null) return this.options.speech;
    return !this.journey || this.journey.assistance !== "screen_reader";
  }

  // Cues wait in one queue so that a cue the guide delayed for pacing is still said before
  // the SDK's own news that follows it ("captured" before "the card is read").
  enqueue(cue, delayMs = 0) {
    this.queue.push({ cue, due: performance.now() + delayMs });
    if (!this.pump) this.pump = setInterval(() => this.drain(), 50);
    this.drain();
  }

  drain() {
    while (this.queue.length && this.queue[0].due <= performance.now()) this.say(this.queue.shift().cue);
  }

  dropStale(step) {
    // Directions for a step that is over are no longer true; what was captured or decided still is.
    this.queue = this.queue.filter((item) => item.cue.step !== step || ["captured", "notice"].includes(item.cue.kind));
  }

  say(cue, force = false) {
    if (!cue) return;
    const text = cue.text || this.t(cue.message_id || cue.id, cue.params || {});  // message_id: the brief wording, when brief
    this.lastCue = cue;
    this.ui.write(text);
    const spoken = this.selfVoice ? this.sound.speak(text, cue, force) : false;
    // ``at``: when the guide meant it said; ``said``: when it reached the live region (stream clock, s).
    this.emit("cue", { id: cue.id, text, spoken, at: cue.at === undefined ? null : cue.at, said: this.clock(),
                       step: cue.step || (this.journey && this.journey.step) });
  }

  /** The current step's detailed introduction (task and tones), said and written again on request. */
  explain() {
    for (const cue of this.fullIntroduction) this.enqueue({ ...cue, step: this.journey && this.journey.step });
  }

  // ---- lifecycle --------------------------------------------------------------------------------
  async load() {
    const catalog = await fetch(`${this.api}/prompts/${this.lang}`).then((r) => r.json()).catch(() => ({ messages: {} }));
    this.messages = { ...(catalog.messages || {}), ...(this.options.messages || {}) };
    this.ui.relabel();
    this.wire = await this.request("GET", "/sdk/wire");
    this.telemetry = new Telemetry(this.transport, this.wire.limits.max_telemetry_events);
    // The guide's failures may pause the step (help after repeated failures): the run loop then offers help.
    this.telemetry.onJourney = (journey) => { if (journey.paused_reason && journey.step === this.journey.step) this.update(journey); };
    this.journey = await this.request("GET", this.journeyPath());
    this.ui.write(this.t("journey.sdk_ready"));
    this.help.watchDeadline();
    this.emit("ready", { journey: this.journey });
  }

  async start() {
    this.sound.unlock(this.selfVoice);  // first, while the tap still counts as a user gesture (iOS)
    if (typeof DeviceOrientationEvent !== "undefined" && typeof DeviceOrientationEvent.requestPermission === "function") {
      try { await DeviceOrientationEvent.requestPermission(); } catch (error) { /* sensors stay optional */ }
    }
    await this.loaded;
    window.addEventListener("deviceorientation", (event) => { this.sensors.beta = event.beta; this.sensors.gamma = event.gamma; });
    window.addEventListener("devicemotion", (event) => {
      const a = event.acceleration;
      if (a && a.x !== null) this.sensors.accel = Math.hypot(a.x, a.y, a.z);
    });
    this.startButton.hidden = true;
    this.repeatButton.hidden = false;
    this.explainButton.hidden = false;
    this.running = true;
    this.captureButton.hidden = false;
    this.run().catch((error) => { if (!(error instanceof CameraUnavailable)) this.fail(error); });
  }

  stop() {
    this.running = false;
    this.camera.close();
  }

  fail(error) {
    const problem = error.problem || { detail: String(error) };
    this.emit("error", { status: error.status || 0, type: problem.type, detail: problem.detail });
    this.ui.write(problem.detail || this.t("journey.sdk_error"));
  }

  async refresh() {
    this.journey = await this.request("GET", this.journeyPath());
    this.help.watchDeadline();
    return this.journey;
  }

  /** Takes a journey the server returned (after a capture, a verdict, a match). */
  update(journey) {
    this.journey = journey;
    this.help.watchDeadline();
  }

  async run() {
    let shown = null;
    while (this.running) {
      const journey = this.journey;
      if (journey.step !== shown) {
        if (shown) this.dropStale(shown);
        shown = journey.step;
        this.introduced.clear();  // a step come back to (a card taken again) is introduced again
        this.stills.drop();
        this.telemetry.begin(journey.step);
        this.emit("step", { step: journey.step, journey });
      }
      if (!this.wire.camera_steps.includes(journey.step)) { this.stop(); return; }
      if (journey.paused_reason === "staff-review") { this.help.waitForStaff(); return; }
      if (journey.paused_reason) { this.help.showHelp(); return; }
      if (journey.expired) { this.enqueue({ id: "journey.sdk_expired" }); await this.waitFor(() => !this.journey.expired); continue; }
      try {
        if (journey.step === "face_match") await this.faceMatch();
        else if (journey.step === "liveness") await this.liveness();
        else await this.card();
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.code === "step-expired" || error.code === "wrong-step" || error.code === "step-paused" || error.status === 0) {
          await this.refresh();
          continue;
        }
        this.fail(error);
        await sleep(1000);
        await this.refresh();
      }
    }
  }

  async waitFor(condition) {
    while (this.running && !condition()) await sleep(250);
  }

  // ---- camera and guidance --------------------------------------------------------------------
  async openCamera(facing) {
    try {
      await this.camera.open(facing, () => this.running);
    } catch (error) {
      if (!(error instanceof CameraUnavailable)) throw error;
      // No camera, or the person (or an iframe without allow="camera") refused it: say so, offer to try again.
      this.running = false;
      this.enqueue({ id: "journey.sdk_camera_denied" });
      this.startButton.hidden = false;
      this.startButton.focus();
      this.emit("error", { status: 0, type: "/problems/camera-unavailable", detail: error.message });
      throw error;
    }
  }

  clock() { return (performance.now() - (this.t0 || (this.t0 = performance.now()))) / 1000; }

  /** The path this step's guidance takes: the on-device engine, or the server (with the reason). */
  async pathFor(step) {
    if (this.path && this.path.step === step) return this.path;
    if (this.path && this.path.engine && this.path.engine.close) this.path.engine.close();
    const target = step === "liveness" ? "face" : "card";
    const spec = {
      target, camera: target === "face" ? "front" : "back", lang: this.lang, api: this.api,
      screenReader: this.journey.assistance === "screen_reader", timeoutMultiplier: this.journey.timeout_multiplier || 1,
      ...(target === "card" ? { side: step === "card_back" ? "emblem" : "portrait" } : {}),
    };
    const { engine, reason } = await openDeviceEngine(this.options.deviceEngine, spec);
    const device = this.wire.device;
    this.path = { step, engine, reason, probe: engine ? new Probe(device.frame_budget_ms, device.probe_s) : null };
    this.emit("path", { step, path: engine ? "device" : "server", reason });
    return this.path;
  }

  /** One frame's guidance, from the device or the server, handled (said, beeped) before it is returned. */
  async guideFrame() {
    const path = await this.pathFor(this.journey.step);
    if (!path.engine) return this.serverFrame();
    const started = performance.now();
    const t = this.clock();
    // A card step holds the full-resolution frame: a capture on it sends that frame as its first still.
    const canvas = this.journey.step === "liveness"
      ? this.camera.draw(this.options.frameWidth) : this.camera.hold(this.options.captureWidth, this.options.frameWidth);
    const guidance = await path.engine.observe({ canvas, t, sensors: { ...this.sensors } });
    const ms = performance.now() - started;
    this.telemetry.add({ kind: "timing", t, name: "frame", ms: Math.round(ms * 10) / 10 });
    if (path.probe.record(ms, performance.now()) === "too-slow") {
      // Slower than the budget over the first second: the server guides from the next frame on.
      if (path.engine.close) path.engine.close();
      path.engine = null;
      path.reason = "too-slow";
      this.emit("path", { step: path.step, path: "server", reason: "too-slow" });
    }
    this.handle(guidance);
    if (guidance.speak) this.telemetry.add({ kind: "cue", t, id: guidance.speak.message_id || guidance.speak.id });
    if (guidance.failure) {
      this.telemetry.add({ kind: "failure", t, code: guidance.failure });
      this.telemetry.flush();  // now: the server decides whether to pause the step and offer help
    }
    await sleep(Math.max(0, 1000 / this.options.fps - (performance.now() - started)));
    return guidance;
  }

  async serverFrame() {
    const started = performance.now();
    // A card step holds the full-resolution frame here too: a capture on it sends that frame as its first still.
    const canvas = this.journey.step === "liveness"
      ? this.camera.draw(this.options.frameWidth) : this.camera.hold(this.options.captureWidth, this.options.frameWidth);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", this.options.jpegQuality));
    const query = { t: this.clock().toFixed(3), stream: this.streamId };
    for (const [key, value] of Object.entries(this.sensors)) if (Number.isFinite(value)) query[key] = value.toFixed(2);
    const guidance = await this.request("POST", this.journeyPath("/frames"), { body: blob, type: "image/jpeg", query });
    this.rtt = 0.8 * this.rtt + 0.2 * (performance.now() - started);
    this.handle(guidance);
    // Adaptive rate: the target fps, slowed down when the server or the network is slower.
    await sleep(Math.max(1000 / this.options.fps, this.rtt * 1.2) - (performance.now() - started));
    return guidance;
  }

  handle(guidance) {
    const step = this.journey.step;
    // The introduction is said once per step, whichever path guided first.
    if (!this.introduced.has(step) && (guidance.introduction || []).length) {
      this.introduced.add(step);
      for (const cue of guidance.introduction) this.enqueue({ ...cue, step });
    }
    if ((guidance.introduction_full || []).length) this.fullIntroduction = guidance.introduction_full;
    if (guidance.speak) {
      // ``at``: when the guide meant it to be said, on the stream's clock (seconds).
      const delay = (guidance.speak.delay_s || 0) * 1000;
      this.enqueue({ ...guidance.speak, step, at: guidance.timestamp_s + (guidance.speak.delay_s || 0) }, delay);
    }
    this.sound.signal(guidance.signal);
    if (guidance.manual_capture_offered && !this.manualOffered) { this.manualOffered = true; this.captureButton.focus(); }
    if (guidance.human_help_offered && !this.helpOffered) { this.helpOffered = true; this.help.offerHelp(); }
  }

  // ---- the steps --------------------------------------------------------------------------------
  async card() {
    await this.openCamera("environment");
    const step = this.journey.step;
    const guidance = await this.guideFrame();
    if (this.pending) return;
    const limits = this.wire.limits;
    this.stills.note(guidance, limits);
    if (!(guidance.captured || this.manualRequested)) return;
    this.manualRequested = false;
    const query = { t: this.clock().toFixed(3) };
    if (this.typeFields) { query.type_fields = "1"; this.typeFields = false; }
    // Either path: a few full-resolution stills, read and fused by the server in one request (one
    // capture, one decision): the frame the guide captured on and the frames the card finder judged
    // usable (stills.js; on the server path the server's guidance says which). A manual capture (no
    // judged frame): fresh frames a frame interval apart. On the device path guidance goes on while
    // they are sent; without a network they wait, and the person is told.
    const form = new FormData();
    const chosen = guidance.captured
      ? await this.stills.collect(() => this.guideFrame(), limits, () => this.running && this.journey.step === step) : [];
    for (const [i, canvas] of chosen.entries()) {
      form.append("still", await this.camera.encode(canvas, 0.92, limits.max_frame_bytes), `still-${i}.jpg`);
    }
    if (!chosen.length) {
      for (let i = 0; i < limits.max_stills; i += 1) {
        if (i) await sleep(1000 / this.options.fps);
        form.append("still", await this.camera.capture(this.options.captureWidth, 0.92, limits.max_frame_bytes), `still-${i}.jpg`);
      }
    }
    if (!this.path.engine) {
      this.cardResult(step, await this.request("POST", this.journeyPath("/capture"), { body: form, query }));
      return;
    }
    this.telemetry.flush();  // in the background: the stills do not wait for it
    this.pending = this.request("POST", this.journeyPath("/device/capture"), { body: form, query, patient: true })
      .then((result) => {
        if (this.journey.step !== step) return;
        // Read once more: these stills go again with the next capture's (the server keeps nothing on this path).
        if (result.code === "reading-once-more" && chosen.length) this.stills.carry(chosen);
        this.cardResult(step, result);
      })
      .catch((error) => this.fail(error))
      .finally(() => { this.pending = null; });
  }

  /** Tells the on-device guide the server's answer, so it guides again or counts a failure (as the server's Streams do). */
  answered(accepted, code) {
    const engine = this.path && this.path.engine;
    if (engine && engine.answered) engine.answered({ accepted, code: code || null });
  }

  cardResult(step, result) {
    this.emit("captured", { step, accepted: result.accepted, code: result.code });
    this.answered(result.accepted, result.code);
    if (this.telemetry) this.telemetry.add({ kind: "capture", t: this.clock(), code: result.code || null });
    if (result.accepted) this.sound.earcon("captured");
    // The server names what to say: "read", "turn it over", "hold still" (read once more) or a plain retry.
    // It is news about this step: kept, and told as this step's, even once the journey has moved on.
    this.enqueue({ id: result.message_id || "journey.sdk_card_retry", step, kind: result.accepted ? "captured" : "notice" });
    // Readings refused again and again: the person may type the failing fields, or ask for a person.
    if (result.choices && !this.typeOffered) { this.typeOffered = true; this.help.offerTyping(); }
    this.update(result.journey);
  }

  async liveness() {
    await this.openCamera("user");
    const guidance = await this.guideFrame();
    if (!(guidance.captured || this.manualRequested)) return;
    this.manualRequested = false;
    const patient = Boolean(this.path.engine);
    if (patient) this.telemetry.flush();
    const challenge = await this.request("POST", this.journeyPath("/liveness/challenge"), { patient });
    const how = { frameWidth: this.options.frameWidth, minFlashMs: this.wire.min_flash_ms, say: (cue) => this.enqueue(cue) };
    const frames = challenge.mode === "flash"
      ? await recordFlash(this.camera, this.ui.flash, challenge, how) : await recordActions(this.camera, challenge, how);
    this.enqueue({ id: "journey.sdk_checking" });
    const result = await this.request("POST", this.journeyPath("/liveness/answer"), { body: answerForm(challenge.nonce, frames), patient });
    this.emit("liveness", { passed: result.passed, reasons: result.reasons });
    this.answered(result.passed, result.passed ? null : (result.reasons || [])[0]);
    if (result.passed) this.sound.earcon("captured");
    if (!result.passed) {
      // The verifier's first reason is a message id saying what the person can do about it.
      const reason = (result.reasons || []).find((id) => id in this.messages);
      if (reason) this.enqueue({ id: reason });
      this.enqueue({ id: "journey.sdk_liveness_retry" });
    }
    this.update(result.journey);
  }

  async faceMatch() {
    this.stop();
    this.running = true;
    this.enqueue({ id: "journey.sdk_matching" });
    const result = await this.request("POST", this.journeyPath("/face-match"));
    this.emit("match", { same_person: result.same_person, outcome: result.outcome });
    const back = result.journey.step === "card_front" ? "journey.sdk_card_again" : "journey.sdk_not_matched";
    // The server names what to say: a refusal's advice, one more selfie, or staff review.
    this.enqueue({ id: result.message_id || (result.same_person ? "journey.sdk_matched" : back) });
    this.update(result.journey);
  }
}
