// Speech, tones and vibration: the phone's own voice (speechSynthesis) or the server's WAV,
// Web Audio earcons and the continuous parking-sensor beep, and the Vibration API.

/**
 * @typedef {object} Cue  what to say: a catalog message id with its parameters (or a text the server rendered)
 * @property {string} id @property {string} [message_id] @property {Record<string, unknown>} [params]
 * @property {string} [text] @property {string} [step] @property {string} [kind] @property {number} [at]
 */
/**
 * @typedef {object} Signal  the continuous guidance signal
 * @property {"silent"|"beeping"|"steady"} [mode] @property {number} [interval_s] @property {number} [pitch_hz]
 * @property {number} [beep_ms] @property {number} [pan] @property {string} [earcon] @property {number[]} [haptic_pattern]
 */

export class Sound {
  /** @param {string} api the API's base URL @param {string} lang a BCP 47 tag */
  constructor(api, lang) {
    this.api = api;
    this.lang = lang;
    /** @type {AudioContext|null} */
    this.audio = null;
    this.earcons = {};
    this.lastBeep = 0;
    this.lastSpoken = 0;
  }

  /** Speaks ``text`` with the phone's voice, or the server's WAV of ``cue``; whether anything was said. */
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

  /** iOS only lets speech and Web Audio start from a user gesture: prime both now (from a tap). */
  unlock(selfVoice) {
    if ("speechSynthesis" in window && window.speechSynthesis && selfVoice) {
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

  /** The guidance area's earcons (server WAV), decoded once and played through Web Audio. */
  earcon(name) {
    if (!this.audio) return;
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

  /** The continuous parking-sensor beep: rate for closeness, pitch for up/down, pan for left/right. @param {Signal} signal */
  signal(signal) {
    if (!signal) return;
    if (signal.earcon) this.earcon(signal.earcon);
    if (signal.haptic_pattern) vibrate(signal.haptic_pattern);
    const now = performance.now();
    if (signal.mode === "beeping" && signal.interval_s && now - this.lastBeep >= signal.interval_s * 1000) {
      this.tone(signal.pitch_hz, signal.beep_ms || 80, signal.pan || 0);
      this.lastBeep = now;
    } else if (signal.mode === "steady" && now - this.lastBeep >= 400) {
      this.tone(signal.pitch_hz, 380, 0, 0.12);
      this.lastBeep = now;
    }
  }
}

/** Vibrates where the Vibration API exists. @param {number|number[]} pattern */
export function vibrate(pattern) {
  if (typeof navigator.vibrate === "function") navigator.vibrate(pattern);
}
