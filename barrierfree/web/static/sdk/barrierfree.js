// barrierfree mobile-web SDK: one ES module, no build step.
//
//   import { BarrierFree } from "/static/sdk/barrierfree.js";
//   const sdk = BarrierFree.mount(element, { api: "/api/v1", journeyId, token, lang: "zh-CN" });
//   element.addEventListener("barrierfree:step", (e) => console.log(e.detail.step));
//
// It runs the camera steps of a journey (card portrait side, emblem side,
// liveness, face match): opens the camera (playsinline, muted, front or back as
// the step needs), sends downscaled JPEG frames at an adaptive rate, and turns
// the server's guidance into speech (speechSynthesis, started from a tap as iOS
// requires, or the server's WAV), text in an ARIA live region (always), tones
// through Web Audio and vibration where the Vibration API exists. When the
// person uses their own screen reader it never speaks: the live region is read.
// The colour flash keeps every colour on screen >= 334 ms, however the page stalls
// (WCAG 2.3.1: at most 3 flashes a second) and is never shown to a photosensitive person (the server issues an
// active challenge instead). Every control is a real <button>.
//
// Events (CustomEvent on the mounted element, detail in brackets):
//   barrierfree:ready {journey}      barrierfree:step {step, journey}
//   barrierfree:cue {id, text, spoken}  barrierfree:captured {step, accepted, code}
//   barrierfree:liveness {passed, reasons}  barrierfree:match {same_person, outcome}
//   barrierfree:paused {journey}     barrierfree:help {journey}     barrierfree:warning {deadline}
//   barrierfree:staff-review {journey}  (an unsure face match waits for a member of staff: nothing to do but wait)
//   barrierfree:error {status, type, detail}
//
// Embedding in another origin's page: <iframe src="https://bank.example/journey/step"
//   allow="camera; autoplay; accelerometer; gyroscope; vibrate"> (see README).

const CAMERA_STEPS = ["card_front", "card_back", "liveness", "face_match"];
const MIN_FLASH_MS = 334; // WCAG 2.3.1: no more than three flashes in any one second
const DEFAULTS = { fps: 8, frameWidth: 640, captureWidth: 1280, jpegQuality: 0.7, liveRegion: null, speech: null };

class CameraUnavailable extends Error {}

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.code = (problem.type || "").replace("/problems/", "");
  }
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Shows ``colours`` full screen on ``layer``, each for at least its duration (and MIN_FLASH_MS),
// in elapsed time: a colour's time starts at the first animation frame after the one that drew
// it (by then it has been painted) and it is replaced only when that much frame time has passed.
// A stalled main thread paints nothing, so a stall lengthens the colour on screen and never
// shortens the next one (WCAG 2.3.1). ``started`` resolves with the frame time the first colour
// was drawn in; ``done`` with the frame time each colour was drawn in and the one the last was
// taken down in (performance.now() ms): what was really shown, for the server's verifier.
function showColours(layer, colours) {
  let begin;
  const started = new Promise((resolve) => { begin = resolve; });
  const done = new Promise((resolve) => {
    const drawn = [];
    let index = -1;
    let since = null; // frame time from which colour ``index`` is known to be on screen
    const tick = (now) => {
      if (index >= 0 && since === null) since = now;
      const least = index >= 0 ? Math.max(MIN_FLASH_MS, colours[index].duration_ms) : 0;
      if (index < 0 || now - since >= least) {
        index += 1;
        drawn.push(now);
        since = null;
        if (index === colours.length) {
          layer.hidden = true;
          layer.style.background = "";
          resolve(drawn);
          return;
        }
        layer.style.background = colours[index].css;
        if (index === 0) { layer.hidden = false; begin(now); }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return { started, done };
}

class Session {
  constructor(element, options) {
    this.element = element;
    this.options = { ...DEFAULTS, ...options };
    this.api = this.options.api.replace(/\/$/, "");
    this.lang = this.options.lang || "zh-CN";
    // Texts the host already has (e.g. the button labels) are usable before the catalog arrives.
    this.messages = { ...(this.options.messages || {}) };
    this.journey = null;
    this.stream = null;
    this.facing = null;
    this.running = false;
    this.busy = false;
    this.rtt = 120;
    this.sensors = {};
    this.audio = null;
    this.lastSpoken = 0;
    // A page load is a new camera run with its own clock: the server starts a fresh guide for it.
    this.streamId = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2);
    this.buildUi();
  }

  // ---- user interface ------------------------------------------------------
  t(id, params = {}) {
    const text = this.messages[id] || id;
    return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? params[name] : `{${name}}`));
  }

  buildUi() {
    const root = el("div", { class: "bf-sdk" });
    this.cueText = el("p", { class: "bf-cue", id: "bf-cue" });
    this.live = this.options.liveRegion || el("div", { role: "status", "aria-live": "polite", "aria-atomic": "true", class: "bf-live" });
    this.video = el("video", { playsinline: "", muted: "", autoplay: "", "aria-hidden": "true", class: "bf-video" });
    this.video.muted = true;
    // A camera delivers 1280 px or more: never wider than the page, or a phone zooms out (WCAG 1.4.10).
    // Set through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' allows.
    this.video.style.cssText = "display:block;width:100%;max-width:100%;height:auto;";
    this.controls = el("div", { class: "bf-controls" });
    this.startButton = this.button("bf-start", "journey.sdk_start", () => this.start());
    this.captureButton = this.button("bf-capture", "journey.sdk_capture", () => this.manualCapture());
    this.repeatButton = this.button("bf-repeat", "journey.sdk_repeat", () => this.say(this.lastCue, true));
    this.extendButton = this.button("bf-extend", "journey.sdk_extend", () => this.extend());
    this.captureButton.hidden = true;
    this.repeatButton.hidden = true;
    this.helpBox = el("div", { class: "bf-help", hidden: "" });
    this.flash = el("div", { class: "bf-flash", "aria-hidden": "true", hidden: "" });
    this.flash.style.cssText = "position:fixed;inset:0;z-index:2147483647;";
    this.controls.append(this.startButton, this.captureButton, this.repeatButton, this.extendButton);
    root.append(this.cueText, this.controls, this.helpBox, this.video, this.flash);
    if (!this.options.liveRegion) root.append(this.live);
    this.element.append(root);
  }

  button(id, messageId, action) {
    const node = el("button", { type: "button", id, "data-message": messageId });
    node.textContent = this.t(messageId);
    node.addEventListener("click", (event) => { event.preventDefault(); action(); });
    return node;
  }

  relabel() {
    for (const node of this.element.querySelectorAll("button[data-message]")) node.textContent = this.t(node.dataset.message);
  }

  emit(name, detail) {
    this.element.dispatchEvent(new CustomEvent(`barrierfree:${name}`, { detail, bubbles: true }));
  }

  // ---- speech, live region, tones, vibration --------------------------------
  get selfVoice() {
    if (this.options.speech !== null) return this.options.speech;
    return !this.journey || this.journey.assistance !== "screen_reader";
  }

  write(text) {
    this.cueText.textContent = text;
    // Re-set the live region so that a repeated text is announced again.
    this.live.textContent = "";
    setTimeout(() => { this.live.textContent = text; }, 30);
  }

  // Cues wait in one queue so that a cue the guide delayed for pacing is still said before
  // the SDK's own news that follows it ("captured" before "the card is read").
  enqueue(cue, delayMs = 0) {
    this.queue = this.queue || [];
    this.queue.push({ cue, due: performance.now() + delayMs });
    if (!this.pump) this.pump = setInterval(() => this.drain(), 50);
    this.drain();
  }

  drain() {
    while (this.queue.length && this.queue[0].due <= performance.now()) this.say(this.queue.shift().cue);
  }

  dropStale(step) {
    // Directions for a step that is over are no longer true; what was captured or decided still is.
    this.queue = (this.queue || []).filter((item) => item.cue.step !== step || ["captured", "notice"].includes(item.cue.kind));
  }

  say(cue, force = false) {
    if (!cue) return;
    const text = cue.text || this.t(cue.message_id || cue.id, cue.params || {});  // message_id: the brief wording, when brief
    this.lastCue = cue;
    this.write(text);
    let spoken = false;
    if (this.selfVoice) {
      spoken = this.speak(text, cue, force);
    }
    this.emit("cue", { id: cue.id, text, spoken, at: cue.at === undefined ? null : cue.at, step: cue.step || (this.journey && this.journey.step) });
  }

  speak(text, cue) {
    if ("speechSynthesis" in window && window.speechSynthesis) {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = this.lang;
      window.speechSynthesis.speak(utterance);
      this.lastSpoken = performance.now();
      return true;
    }
    if (cue && cue.id) {
      const params = encodeURIComponent(JSON.stringify(cue.params || {}));
      new Audio(`${this.api}/speech?id=${encodeURIComponent(cue.message_id || cue.id)}&lang=${this.lang}&params=${params}`).play().catch(() => {});
      return true;
    }
    return false;
  }

  unlockAudio() {
    // iOS only lets speech and Web Audio start from a user gesture: prime both now.
    if ("speechSynthesis" in window && window.speechSynthesis && this.selfVoice) {
      window.speechSynthesis.speak(new SpeechSynthesisUtterance(""));
    }
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !this.audio) {
      try { this.audio = new Context(); } catch (error) { this.audio = null; }
    }
    if (this.audio && this.audio.state === "suspended") this.audio.resume();
  }

  tone(frequency, ms, pan = 0, gain = 0.2) {
    if (!this.audio) return;
    const now = this.audio.currentTime;
    const osc = this.audio.createOscillator();
    const amp = this.audio.createGain();
    osc.frequency.value = frequency;
    amp.gain.setValueAtTime(0, now);
    amp.gain.linearRampToValueAtTime(gain, now + 0.01);
    amp.gain.linearRampToValueAtTime(0, now + ms / 1000);
    let node = osc.connect(amp);
    if (this.audio.createStereoPanner) {
      const panner = this.audio.createStereoPanner();
      panner.pan.value = pan;
      node = node.connect(panner);
    }
    node.connect(this.audio.destination);
    osc.start(now);
    osc.stop(now + ms / 1000 + 0.02);
  }

  earcon(name) {
    // The guidance area's earcons (server WAV), decoded once and played through Web Audio.
    if (!this.audio) return;
    this.earcons = this.earcons || {};
    const play = (buffer) => {
      const source = this.audio.createBufferSource();
      source.buffer = buffer;
      source.connect(this.audio.destination);
      source.start();
    };
    if (this.earcons[name]) { play(this.earcons[name]); return; }
    fetch(`${this.api}/earcons/${name}.wav`)
      .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(r.status)))
      .then((data) => this.audio.decodeAudioData(data))
      .then((buffer) => { this.earcons[name] = buffer; play(buffer); })
      .catch(() => {});
  }

  signal(signal) {
    // The continuous parking-sensor beep: rate for closeness, pitch for up/down, pan for left/right.
    if (!signal) return;
    if (signal.earcon) this.earcon(signal.earcon);
    if (signal.haptic_pattern) this.vibrate(signal.haptic_pattern);
    const now = performance.now();
    if (signal.mode === "beeping" && signal.interval_s && now - (this.lastBeep || 0) >= signal.interval_s * 1000) {
      this.tone(signal.pitch_hz, signal.beep_ms || 80, signal.pan || 0);
      this.lastBeep = now;
    } else if (signal.mode === "steady" && now - (this.lastBeep || 0) >= 400) {
      this.tone(signal.pitch_hz, 380, 0, 0.12);
      this.lastBeep = now;
    }
  }

  vibrate(pattern) {
    if (typeof navigator.vibrate === "function") navigator.vibrate(pattern);
  }

  // ---- HTTP --------------------------------------------------------------------
  async request(method, path, { json, body, type, query } = {}) {
    const headers = { Authorization: `Bearer ${this.options.token}` };
    let payload = body;
    if (json !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(json); }
    if (type) headers["Content-Type"] = type;
    const url = `${this.api}${path}${query ? `?${new URLSearchParams(query)}` : ""}`;
    for (let attempt = 0; ; attempt += 1) {
      let response;
      try {
        response = await fetch(url, { method, headers, body: payload, credentials: "omit" });
      } catch (error) {
        // A dropped connection: wait and retry; the journey's state is on the server.
        if (attempt >= 5) throw new ApiError(0, { title: "offline", detail: String(error) });
        await sleep(500 * 2 ** attempt);
        continue;
      }
      if (response.status === 429 && attempt < 5) {
        await sleep(1000 * Number(response.headers.get("Retry-After") || 1));
        continue;
      }
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new ApiError(response.status, data);
      return data;
    }
  }

  journeyPath(suffix = "") { return `/journeys/${this.options.journeyId}${suffix}`; }

  // ---- lifecycle -------------------------------------------------------------------
  async load() {
    const catalog = await fetch(`${this.api}/prompts/${this.lang}`).then((r) => r.json()).catch(() => ({ messages: {} }));
    this.messages = { ...(catalog.messages || {}), ...(this.options.messages || {}) };
    this.relabel();
    this.journey = await this.request("GET", this.journeyPath());
    this.write(this.t("journey.sdk_ready"));
    this.watchDeadline();
    this.emit("ready", { journey: this.journey });
  }

  async start() {
    this.unlockAudio();  // first, while the tap still counts as a user gesture (iOS)
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
    this.running = true;
    this.captureButton.hidden = false;
    this.run().catch((error) => { if (!(error instanceof CameraUnavailable)) this.fail(error); });
  }

  stop() {
    this.running = false;
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
  }

  fail(error) {
    const problem = error.problem || { detail: String(error) };
    this.emit("error", { status: error.status || 0, type: problem.type, detail: problem.detail });
    this.write(problem.detail || this.t("journey.sdk_error"));
  }

  async refresh() {
    this.journey = await this.request("GET", this.journeyPath());
    this.watchDeadline();
    return this.journey;
  }

  async run() {
    let shown = null;
    while (this.running) {
      const journey = this.journey;
      if (journey.step !== shown) {
        if (shown) this.dropStale(shown);
        shown = journey.step;
        this.emit("step", { step: journey.step, journey });
      }
      if (!CAMERA_STEPS.includes(journey.step)) { this.stop(); return; }
      if (journey.paused_reason === "staff-review") { this.waitForStaff(); return; }
      if (journey.paused_reason) { this.showHelp(); return; }
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

  // ---- camera --------------------------------------------------------------------
  async camera(facing) {
    if (this.stream && this.facing === facing) return;
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: false, video: { facingMode: { ideal: facing }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      // No camera, or the person (or an iframe without allow="camera") refused it: say so, offer to try again.
      this.stream = null;
      this.running = false;
      this.enqueue({ id: "journey.sdk_camera_denied" });
      this.startButton.hidden = false;
      this.startButton.focus();
      this.emit("error", { status: 0, type: "/problems/camera-unavailable", detail: String(error && error.name) });
      throw new CameraUnavailable();
    }
    this.facing = facing;
    this.video.srcObject = this.stream;
    await this.video.play().catch(() => {});
    await this.waitFor(() => this.video.videoWidth > 0);
  }

  grab(width, quality) {
    const video = this.video;
    const scale = Math.min(1, width / video.videoWidth);
    const canvas = this.canvas || (this.canvas = document.createElement("canvas"));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  }

  clock() { return (performance.now() - (this.t0 || (this.t0 = performance.now()))) / 1000; }

  async frame() {
    const started = performance.now();
    const blob = await this.grab(this.options.frameWidth, this.options.jpegQuality);
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
    for (const cue of guidance.introduction || []) this.enqueue({ ...cue, step });
    if (guidance.speak) {
      // ``at``: when the guide meant it to be said, on the stream's clock (seconds).
      const delay = (guidance.speak.delay_s || 0) * 1000;
      this.enqueue({ ...guidance.speak, step, at: guidance.timestamp_s + (guidance.speak.delay_s || 0) }, delay);
    }
    this.signal(guidance.signal);
    if (guidance.manual_capture_offered && !this.manualOffered) { this.manualOffered = true; this.captureButton.focus(); }
    if (guidance.human_help_offered && !this.helpOffered) { this.helpOffered = true; this.offerHelp(); }
  }

  async card() {
    await this.camera("environment");
    const step = this.journey.step;
    const guidance = await this.frame();
    if (guidance.captured || this.manualRequested) {
      this.manualRequested = false;
      const blob = await this.grab(this.options.captureWidth, 0.92);
      const query = { t: this.clock().toFixed(3) };
      if (this.typeFields) { query.type_fields = "1"; this.typeFields = false; }
      const result = await this.request("POST", this.journeyPath("/capture"), { body: blob, type: "image/jpeg", query });
      this.emit("captured", { step, accepted: result.accepted, code: result.code });
      if (result.accepted) this.earcon("captured");
      // A card shown the wrong way up gets the guide's own "turn it over"; anything else, a plain retry.
      // One good frame is read again before it is accepted: "hold still", not "try again".
      const retry = { "wrong-side": "card.turn_over", "reading-once-more": "card.hold_still" }[result.code] || "journey.sdk_card_retry";
      this.enqueue({ id: result.accepted ? "journey.sdk_card_read" : retry });
      // Readings refused again and again: the person may type the failing fields, or ask for a person.
      if (result.choices && !this.typeOffered) { this.typeOffered = true; this.offerTyping(); }
      this.journey = result.journey;
      this.watchDeadline();
    }
  }

  offerTyping() {
    this.offerHelp();
    const node = this.button("bf-type-fields", "journey.sdk_type_fields", () => {
      this.typeFields = true;
      this.manualRequested = true;
    });
    this.helpBox.prepend(node);
    this.enqueue({ id: "journey.sdk_type_fields_offer" });
  }

  manualCapture() { this.manualRequested = true; }

  async liveness() {
    await this.camera("user");
    const guidance = await this.frame();
    if (!(guidance.captured || this.manualRequested)) return;
    this.manualRequested = false;
    const challenge = await this.request("POST", this.journeyPath("/liveness/challenge"));
    const frames = challenge.mode === "flash" ? await this.recordFlash(challenge) : await this.recordActions(challenge);
    const form = new FormData();
    form.append("nonce", challenge.nonce);
    form.append("timestamps", frames.map((f) => f.t.toFixed(3)).join(","));
    if (frames.shown) form.append("shown", frames.shown.map((t) => t.toFixed(3)).join(","));
    frames.forEach((f, i) => form.append("frame", f.blob, `frame-${i}.jpg`));
    this.enqueue({ id: "journey.sdk_checking" });
    const result = await this.request("POST", this.journeyPath("/liveness/answer"), { body: form });
    this.emit("liveness", { passed: result.passed, reasons: result.reasons });
    if (result.passed) this.earcon("captured");
    if (!result.passed) {
      // The verifier's first reason is a message id saying what the person can do about it.
      const reason = (result.reasons || []).find((id) => id in this.messages);
      if (reason) this.enqueue({ id: reason });
      this.enqueue({ id: "journey.sdk_liveness_retry" });
    }
    this.journey = result.journey;
    this.watchDeadline();
  }

  async recordFlash(challenge) {
    this.enqueue({ id: "liveness.flash_intro" });
    await sleep(1500);
    const frames = [];
    const flash = showColours(this.flash, challenge.colours);
    const t0 = await flash.started;
    let shown = null;
    flash.done.then((times) => { shown = times; });
    // The colours set the clip's length (a hidden page pauses them, and sends no frames meanwhile).
    while (shown === null) {
      const t = (performance.now() - t0) / 1000;
      if (!document.hidden) frames.push({ t, blob: await this.grab(this.options.frameWidth, 0.8) });
      await sleep(1000 / (challenge.fps || 12) - 5);
    }
    // Sent with the frames: when each colour really appeared, and when the last ended (clip clock, s).
    frames.shown = shown.map((t) => (t - t0) / 1000);
    return frames;
  }

  async recordActions(challenge) {
    const frames = [];
    const t0 = performance.now();
    const total = challenge.duration_ms || 6000;
    const actions = challenge.actions || [];
    const each = total / Math.max(1, actions.length);
    let said = -1;
    while (performance.now() - t0 < total) {
      const elapsed = performance.now() - t0;
      const index = Math.min(actions.length - 1, Math.floor(elapsed / each));
      if (index !== said && actions[index]) { said = index; this.enqueue({ id: actions[index].message_id }); }
      frames.push({ t: elapsed / 1000, blob: await this.grab(this.options.frameWidth, 0.8) });
      await sleep(1000 / (challenge.fps || 10));
    }
    return frames;
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
    this.journey = result.journey;
    this.watchDeadline();
  }

  // ---- time limits and help ----------------------------------------------------------
  watchDeadline() {
    clearTimeout(this.warnTimer);
    const journey = this.journey;
    if (!journey || !journey.warn_at) return;
    const inMs = Date.parse(journey.warn_at) - Date.now();
    this.warnTimer = setTimeout(() => {
      this.emit("warning", { deadline: journey.deadline });
      this.enqueue({ id: "journey.sdk_time_warning" });
      this.extendButton.focus();
    }, Math.max(0, inMs));
  }

  async extend() {
    this.journey = await this.request("POST", this.journeyPath("/extend"));
    this.enqueue({ id: "journey.sdk_time_extended" });
    this.watchDeadline();
  }

  showHelp() {
    // The step is paused (five failures in three minutes): stop the camera, offer a person or a retry.
    this.stop();
    this.emit("paused", { journey: this.journey });
    this.enqueue({ id: "journey.sdk_help_offer" });
    this.helpButtons(this.journey.help_options);
    this.helpBox.querySelector("button").focus();
  }

  waitForStaff() {
    // A face match unsure twice waits for a member of staff: no camera and no retry; say so (once), not the help offer.
    this.stop();
    this.emit("staff-review", { journey: this.journey });
    const id = this.journey.message_id || "face.match.staff_review";
    const said = [...(this.queue || []).map((item) => item.cue), this.lastCue].some((cue) => cue && (cue.message_id || cue.id) === id);
    if (!said) this.enqueue({ id });
  }

  offerHelp() {
    // The guide offers a person after repeated trouble; the camera keeps going while the offer stands.
    this.emit("help", { journey: this.journey });
    this.helpButtons(["sign_language", "call_back"]);
  }

  helpButtons(choices) {
    this.helpBox.replaceChildren();
    for (const choice of choices) {
      const node = this.button(`bf-help-${choice}`, `journey.sdk_help_${choice}`, async () => {
        this.journey = await this.request("POST", this.journeyPath("/help"), { json: { choice } });
        if (choice === "retry") { this.helpBox.hidden = true; this.running = true; this.run().catch((e) => this.fail(e)); return; }
        this.enqueue({ id: `journey.sdk_help_${choice}_requested` });
        if (this.journey.help_url) {
          const link = el("a", { href: this.journey.help_url, id: "bf-help-link" }, this.t("journey.sdk_help_open_queue"));
          this.helpBox.append(link);
        }
      });
      this.helpBox.append(node);
    }
    this.helpBox.hidden = false;
  }

}

export const BarrierFree = {
  /** Mount the SDK into ``element``; returns the session (``stop()`` ends it). */
  mount(element, options) {
    if (!options || !options.api || !options.journeyId || !options.token) {
      throw new TypeError("BarrierFree.mount needs options.api, options.journeyId and options.token");
    }
    const session = new Session(element, options);
    session.loaded = session.load().catch((error) => session.fail(error));
    return session;
  },
};

export default BarrierFree;
