/**
 * The Guide: one per target and stream, from observations to Guidance (port of
 * barrierfree/accessibility/guidance/guide.py, which stays the reference: the conformance
 * corpus holds this port to it frame by frame).
 *
 * Per frame it (1) cleans the sensor reading, (2) assesses the observation into problems in cue
 * order, (3) settles the most important cue with hysteresis in time, (4) decides the phase and
 * auto-capture, (5) paces speech, watching how the person carries out the last cue, and
 * (6) computes the continuous signal. All durations × the profile's timeout multiplier.
 * @module
 */

import { RANKS, assessCard, assessFace, captureCue, centringSpot, cue } from "./assess.js";
import { AutoCapture } from "./capture.js";
import { lasted } from "./clock.js";
import { GuidanceError } from "./errors.js";
import { CardScale } from "./fragments.js";
import { Cue, Guidance } from "./model.js";
import { normalise } from "./observation.js";
import { TargetMotion, sizeOf } from "./motion.js";
import { makeProfile, selfVoice } from "./profile.js";
import { floorDiv } from "./pymath.js";
import { Response } from "./response.js";
import { clean } from "./sensing.js";
import { signalFor } from "./signal.js";
import { Speech } from "./speech.js";

export const TARGETS = ["face", "card"];
/** The camera each target is taken with unless told otherwise. */
export const DEFAULT_CAMERA = Object.freeze({ face: "front", card: "back" });
/** Cue kinds that tell the person where to move: never said without a detection on that frame. */
const NEEDS_DETECTION = new Set(["several", "partly_out", "off_centre", "distance", "tilt", "light", "side", "blur", "hold"]);

/** Guides one person to bring one target (`face` or `card`) into the camera. */
export class Guide {
  /**
   * @param {"face" | "card"} target
   * @param {import("./guidance").GuideOptions} options  settings (the server's JSON) and catalogs are required
   */
  constructor(target, options) {
    if (!TARGETS.includes(target)) {
      throw new GuidanceError("unknown-target", `Target must be one of ${TARGETS.join(", ")}, not ${JSON.stringify(target)}.`);
    }
    const { camera = null, expectedSide = null, explainTones = true } = options;
    if (camera !== null && camera !== "front" && camera !== "back") {
      throw new GuidanceError("unknown-camera", `Camera must be 'front' or 'back', not ${JSON.stringify(camera)}.`);
    }
    if (!options.settings || typeof options.settings !== "object") {
      throw new GuidanceError("missing-settings", "The guide needs the guidance settings the server serves.");
    }
    this.target = target;
    /** @type {"front" | "back"} */
    this.camera = camera ?? /** @type {"front" | "back"} */ (DEFAULT_CAMERA[target]);
    this.profile = makeProfile(options.profile ?? {});
    this.settings = options.settings;
    this.catalogs = options.catalogs;
    this.expectedSide = expectedSide;
    /** Whether this step's introduction explains the tones: the journey's first camera step only. */
    this.explainTones = explainTones;
    const [language, fellBack] = this.catalogs.resolve(this.profile.language);
    this.language = language;
    this.m = this.profile.timeout_multiplier;
    /** @type {Cue[]} */
    this.notices = [];
    /** @type {string[]} */
    this.notesOnce = [];
    if (fellBack) {
      this.notices.push(new Cue("guide.language_fallback", "notice", RANKS.notice, null, [["requested", String(this.profile.language)]]));
      this.notesOnce = ["language-fallback"];
    }
    /** @type {number | null} */ this.start = null;
    /** @type {number | null} */ this.lastT = null;
    /** @type {number | null} */ this.lastSeen = null;
    this.motion = new TargetMotion(target, this.settings, this.m);
    this.cardScale = target === "card" ? new CardScale(this.settings, this.m) : null;
    this.response = new Response(target, this.settings, this.m);
    this.speech = new Speech(this.language, this.profile, this.settings, this.catalogs, this.m);
    /** @type {Set<string>} */ this.active = new Set();
    /** @type {Cue | null} */ this.current = null;
    /** @type {Cue | null} */ this.candidate = null;
    this.candidateSince = 0.0;
    /** @type {number | null} */ this.staleSince = null;
    this.capture = new AutoCapture(target, this.settings, this.motion, this.m);
    this.bar = 0.0; // this frame's sharpness bar
    /** @type {number | null} */ this.capturedAt = null;
    /** @type {number | null} */ this.lastSearchT = null;
    /** @type {number | null} */ this.searchHeard = null;
    this.rejections = 0;
    this.manualOffered = false;
    this.helpOffered = false;
    /** @type {Guidance | null} */ this.last = null;
    /** The tones' explanation, kept for the first "hold it there" (`tones_when_first_needed`). */
    this.tonesLater = false;
  }

  /** The words of a message in the guide's language (for the live region and speech). */
  render = (/** @type {string} */ messageId, /** @type {Record<string, string | number>} */ params) =>
    this.catalogs.render(messageId, this.language, params);

  /**
   * What to say before the first frame: the task, and how the tones work (once per journey). By
   * default (`short_introduction`) the short words, with the tones on the journey's first camera
   * step only (`explainTones`), or, with `tones_when_first_needed`, said instead of the first
   * "hold it there" (`said`) by a guide whose introduction is said (`introduce`); `full`: the detailed words, which the person can ask for at any time.
   * @param {boolean} [full]
   */
  introduction(full = false) {
    if (this.profile.verbosity === "brief" && !full) return [];
    const start = this.target === "face" ? "face.start" : `card.start_${this.expectedSide === "emblem" ? "emblem" : "portrait"}`;
    if (full || !this.settings.short_introduction) {
      const cues = [new Cue(start, "notice", RANKS.notice)];
      if (this.profile.tones && (full || (this.profile.verbosity === "detailed" && this.explainTones))) {
        cues.push(new Cue("guide.tones_explained", "notice", RANKS.notice));
      }
      return cues;
    }
    const cues = [new Cue(`${start}.short`, "notice", RANKS.notice)];
    if (this.profile.tones && this.explainTones && !this.settings.tones_when_first_needed) {
      cues.push(new Cue("guide.tones_short", "notice", RANKS.notice));
    }
    return cues;
  }

  /**
   * The introduction, to be said from `nowS` (before the first frame's cue): the guide counts it
   * as being said, so nothing else is said until it ends (at the profile's rate, with
   * `wait_for_introduction`). A cue decided at the first frame and heard after a long introduction
   * was stale by then.
   * @param {number} nowS
   */
  introduce(nowS) {
    const cues = this.introduction();
    if (cues.length && this.settings.wait_for_introduction && selfVoice(this.profile)) this.speech.saidBefore(cues, nowS);
    this.introduced();
    return cues;
  }

  /**
   * The short introduction is being said (`introduce` tells it, or a caller that says it without
   * holding the cues, as the on-device path's `toWire`): with `tones_when_first_needed`, the tones'
   * explanation is kept for the first "hold it there".
   */
  introduced() {
    this.tonesLater = Boolean(this.introduction().length && this.settings.short_introduction
      && this.settings.tones_when_first_needed && this.profile.tones && this.explainTones);
  }

  /** Rejected captures plus manual-capture periods that passed without a capture. */
  get failures() {
    if (this.start === null || this.lastT === null) return this.rejections;
    const period = this.settings.manual_capture_after_s * this.m;
    return this.rejections + Math.trunc(floorDiv(this.lastT - this.start, period));
  }

  /**
   * A capture was rejected downstream (unreadable card, failed match): guide again. `reason`: the server's
   * refusal code, answered with the cue that fits, and a blurred one with a sharper next capture.
   * @param {string | null} [reason]
   */
  recordFailure(reason = null) {
    this.rejections += 1;
    this.resume();
    this.capture.refused(reason);
  }

  /** Guide again after a capture that was no failure. */
  resume() {
    this.capturedAt = null;
    this.capture.reset();
    this.current = this.candidate = null;
  }

  /**
   * Guidance for one frame's observation at time `nowS` (default: the observation's timestamp).
   * @param {unknown} observation
   * @param {unknown} [sensors]
   * @param {number | null} [nowS]
   * @returns {Guidance}
   */
  step(observation, sensors = null, nowS = null) {
    const obs = normalise(this.target, observation);
    const t = this.time(obs, nowS);
    if (this.lastT !== null && t < this.lastT) return this.unchanged(t, ["frame-out-of-order"]);
    if (this.start === null) this.start = t;
    this.lastT = t;
    const [reading, sensorNotes] = clean(sensors);
    const notes = [...this.notesOnce, ...sensorNotes];
    this.notesOnce = [];
    if (this.capturedAt !== null) {
      const last = /** @type {Guidance} */ (this.last);
      this.last = last.with({ timestampS: t, speak: null, captured: false, notes, signal: last.signal.with({ earcon: null, haptic: null }) });
      return this.last;
    }
    if (this.cardScale !== null && this.cardScale.fragment(/** @type {import("./guidance").CardObservation} */ (obs), t)) {
      return this.unchanged(t, [...notes, "card-fragment"]);
    }
    const assessment = this.assess(obs, reading, t);
    const raw = this.rawCue(assessment, t);
    let [current, trueNow] = this.settle(raw, t, assessment);
    const [phase, decided] = this.capture.decide(assessment, current, t, obs.found ? obs.sharpness : null, this.bar);
    let earcon = decided;
    if (phase === "captured") {  // a card: "taking the photo" (the SDK says "captured" once the server accepts it)
      this.capturedAt = t;
      [current, earcon] = captureCue(this.target);
      this.current = current;
    }
    this.queueOffers(t);
    const detected = assessment.found || assessment.cues.some((c) => c.equals(current));
    const speak = this.utterance(current, phase, detected, t, trueNow);
    this.last = new Guidance({
      phase: /** @type {import("./guidance").Phase} */ (phase), target: this.target, timestampS: t, cue: current, speak,
      signal: signalFor(assessment, phase, this.profile, this.settings, earcon), language: this.language,
      selfVoice: selfVoice(this.profile), captured: phase === "captured", manualCaptureOffered: this.manualOffered,
      humanHelpOffered: this.helpOffered, detected: assessment.found, notes,
    });
    return this.last;
  }

  /** @param {import("./guidance").Observation} obs @param {number | null | undefined} nowS */
  time(obs, nowS) {
    const given = nowS !== null && nowS !== undefined ? nowS : obs.timestamp_s;
    if (given === null || given === undefined) {
      throw new GuidanceError("missing-timestamp", "Give the frame's time: nowS, or the observation's timestamp_s (seconds on the stream's clock).");
    }
    const t = typeof given === "number" ? given : NaN;
    if (!Number.isFinite(t)) throw new GuidanceError("bad-timestamp", "The frame's time must be a finite number of seconds.");
    return t;
  }

  /** A frame that must not steer anyone: repeat the state, say nothing. @param {number} t @param {string[]} notes */
  unchanged(t, notes) {
    if (this.last === null) throw new GuidanceError("frame-out-of-order", "This frame is older than the previous one.");
    return this.last.with({ timestampS: t, speak: null, captured: false, notes, signal: this.last.signal.with({ earcon: null }) });
  }

  /**
   * @param {import("./guidance").Observation} observation
   * @param {import("./guidance").SensorReading | null} reading
   * @param {number} t
   */
  assess(observation, reading, t) {
    const bar = this.bar = this.motion.sharpnessBar(observation, t);
    this.motion.moving(observation, reading, t);
    const moving = this.motion.onTheMove();
    // "Hold still" and the capture go by the target's own limit (a face's is higher than a card's).
    const tooFast = this.motion.tooFastForAPhoto();
    const sharpness = observation.found ? observation.sharpness : null;
    const smeared = typeof sharpness === "number" && Number.isFinite(sharpness) && sharpness < bar && this.motion.travelling();
    this.response.saw(t, (moving || smeared) && !this.motion.atRest(), observation.found, reading?.beta_deg ?? null);
    const active = this.active;
    const frameMm = this.cardScale !== null ? this.cardScale.frameMm(/** @type {import("./guidance").CardObservation} */ (observation), t) : null;
    const assess = (/** @type {number} */ gain) => (this.target === "face"
      ? assessFace(/** @type {import("./guidance").FaceObservation} */ (observation), reading, this.settings, active, this.camera, tooFast, bar, gain)
      : assessCard(/** @type {import("./guidance").CardObservation} */ (observation), reading, this.settings, active, this.camera, tooFast,
        this.expectedSide, bar, gain, frameMm));
    let assessment = assess(this.response.hand.value);
    if (this.response.learn(t, assessment.neededMm)) assessment = assess(this.response.hand.value);
    this.response.now(observation.found ? [/** @type {[number, number]} */ (observation.center), sizeOf(observation, this.target)] : null,
      assessment.neededMm);
    this.active = assessment.keys;
    if (assessment.found) this.lastSeen = t;
    return assessment;
  }

  /** @param {import("./assess.js").Assessment} assessment @param {number} t @returns {Cue} */
  rawCue(assessment, t) {
    if (assessment.found) return assessment.cues.length ? assessment.cues[0] : cue(this.target, "hold_there", "hold");
    const lostAfter = this.settings.lost_after_s * this.m;
    if (this.current !== null && this.lastSeen !== null && !lasted(this.lastSeen, t, lostAfter)) return this.current;
    if (assessment.cues.length) return assessment.cues[0];
    return cue(this.target, "searching", "searching");
  }

  /**
   * Hysteresis in time: a new cue replaces the current one only after it persisted (or the
   * current one went stale). Returns the current cue and whether this frame shows its problem.
   * @param {Cue} raw
   * @param {number} t
   * @param {import("./assess.js").Assessment} assessment
   * @returns {[Cue, boolean]}
   */
  settle(raw, t, assessment) {
    const settle = this.settings.cue_settle_s * this.m;
    if (this.current === null || raw.messageId === this.current.messageId || raw.kind === "hold") {
      this.current = raw;
      this.candidate = null;
      this.staleSince = null;
      return [raw, true];
    }
    const currentId = this.current.messageId;
    const trueNow = assessment.cues.some((c) => c.messageId === currentId);
    if (trueNow) this.staleSince = null;
    else if (this.staleSince === null) this.staleSince = t;
    if (this.candidate === null || this.candidate.messageId !== raw.messageId) {
      this.candidate = raw;
      this.candidateSince = t;
    }
    if (lasted(this.candidateSince, t, settle) || (this.staleSince !== null && lasted(this.staleSince, t, settle))) {
      this.current = raw;
      this.candidate = null;
      this.staleSince = null;
      return [raw, true];
    }
    return [this.current, trueNow];
  }

  /** @param {number} t */
  queueOffers(t) {
    const s = this.settings;
    if (!this.manualOffered && this.start !== null && lasted(this.start, t, s.manual_capture_after_s * this.m)) {
      this.manualOffered = true;
      this.notices.push(new Cue("guide.manual_capture_offer", "offer", RANKS.offer));
    }
    const failures = this.failures;
    if (!this.helpOffered && failures >= s.human_help_after_failures) {
      this.helpOffered = true;
      this.notices.push(new Cue("guide.human_help_offer", "offer", RANKS.offer, null, [["attempts", failures]]));
    }
  }

  /**
   * @param {Cue} current
   * @param {string} phase
   * @param {boolean} detected
   * @param {number} t
   * @param {boolean} trueNow
   */
  utterance(current, phase, detected, t, trueNow) {
    const wait = this.speech.wait(t);
    if (phase === "captured") return this.said(current, t, wait);
    if (this.speech.busy(t)) return null;
    if (this.notices.length && this.notices[0].kind === "notice") return this.said(/** @type {Cue} */ (this.notices.shift()), t);
    if (current.kind === "searching") return this.carryingOut(t) ? null : this.searching(t);
    const answer = detected ? this.capture.answer() : null;
    if (answer !== null) return this.said(answer, t); // what the last refusal asks for, before anything else
    if (this.capture.quiet(current)) return this.notices.length ? this.said(/** @type {Cue} */ (this.notices.shift()), t) : null;
    const speakable = (detected || !NEEDS_DETECTION.has(current.kind)) && trueNow;
    if (speakable && !current.sameInstruction(this.response.last) && !this.awaitingResponse(current, t) && !this.passingThrough(current)) {
      return this.said(current, t);
    }
    if (speakable && !current.equals(this.response.last) && this.response.stoppedAfterMoving(t)) return this.said(current, t);
    if (this.notices.length) return this.said(/** @type {Cue} */ (this.notices.shift()), t);
    if (speakable && this.response.dueForRepeat(t, !this.inResponseWindow(t))) return this.said(current, t, 0.0, true);
    return null;
  }

  /** Whether `current` asks to hold a target that is in place only on its way past. @param {Cue} current */
  passingThrough(current) {
    const s = this.settings;
    const where = this.response.where;
    if (!s.quiet_while_passing || (current.kind !== "blur" && current.kind !== "hold") || where === null) return false;
    const [vx, vy] = this.motion.velocity();
    const ahead = this.speech.secondsToSay(current) + s.min_reaction_s * this.m;
    const [[x, y]] = where;
    const [aim, tolerance] = centringSpot(this.target, s);
    return Math.abs(x + vx * ahead - aim[0]) > tolerance[0] || Math.abs(y + vy * ahead - aim[1]) > tolerance[1];
  }

  /** Whether a new move must wait for the last one to be started, or finished. @param {Cue} current @param {number} t */
  awaitingResponse(current, t) {
    const last = this.response.last;
    if (last === null || last.direction === null || current.direction === null) return false;
    if (!this.response.movedSinceCue()) return this.inResponseWindow(t);
    return this.settings.finish_move_first && this.response.moving(t, this.settings.cue_settle_s * this.m);
  }

  /** Whether the person may still be carrying out the last cue, a move or a tilt. @param {number} t */
  carryingOut(t) {
    const last = this.response.last;
    return last !== null && (last.direction !== null || last.kind === "tilt") && this.inResponseWindow(t);
  }

  /** @param {number} t */
  inResponseWindow(t) {
    return this.speech.heardWithin(t, this.settings.response_window_s * this.m);
  }

  /** @param {number} t */
  searching(t) {
    const every = this.settings.searching_interval_s * this.m;
    if (this.lastSearchT !== null && !lasted(this.lastSearchT, t, every)) {
      return this.notices.length ? this.said(/** @type {Cue} */ (this.notices.shift()), t) : null;
    }
    let name;
    if (this.lastSearchT === null) name = this.lastSeen === null ? "searching" : "lost";
    else name = "searching_again";
    this.lastSearchT = t;
    return this.said(cue(this.target, name, "searching"), t);
  }

  /**
   * @param {Cue} spoken
   * @param {number} t
   * @param {number} [delay]
   * @param {boolean} [repeat]
   */
  said(spoken, t, delay = 0.0, repeat = false) {
    const window = this.settings.response_window_s * this.m;
    const measure = this.searchHeard === null || lasted(this.searchHeard, t + delay, window);
    let words = spoken;
    if (spoken.kind === "hold" && this.tonesLater) {  // the steady tone has just started: what the tones mean
      this.tonesLater = false;
      words = new Cue("guide.tones_short", "notice", RANKS.notice);
    }
    const utterance = this.speech.say(words, t, delay, repeat);
    this.capture.said(spoken);
    if (spoken.kind === "searching") this.searchHeard = this.speech.ends;
    if (spoken.kind !== "notice" && spoken.kind !== "offer") this.response.told(spoken, t + delay, measure);
    return utterance;
  }
}
