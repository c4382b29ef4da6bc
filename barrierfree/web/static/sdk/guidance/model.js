/**
 * What the guide hands out: {@link Cue}, {@link Signal}, {@link Utterance}, {@link Guidance}
 * (port of barrierfree/accessibility/guidance/model.py). All are frozen; `toDict()` gives the
 * JSON the server's guidance path sends, so the SDK treats both paths alike.
 * @module
 */

import { roundTo } from "./pymath.js";

/** Suffix of a move's brief wording in the catalog ("face.move_left_by.brief"). */
export const BRIEF_SUFFIX = ".brief";

/** One thing to tell the person: a message id with parameters. */
export class Cue {
  /**
   * @param {string} messageId
   * @param {string} kind  the rung of the cue order (`searching`, `several`, ... `notice`)
   * @param {number} rank  lower = more important
   * @param {import("./guidance").Direction | null} [direction]
   * @param {ReadonlyArray<readonly [string, string | number]>} [params]  sorted by name
   */
  constructor(messageId, kind, rank, direction = null, params = []) {
    this.messageId = messageId;
    this.kind = kind;
    this.rank = rank;
    this.direction = direction;
    /** @type {ReadonlyArray<readonly [string, string | number]>} */
    this.params = Object.freeze(params.map((pair) => /** @type {readonly [string, string | number]} */ (Object.freeze([pair[0], pair[1]]))));
    Object.freeze(this);
  }

  /** @param {Partial<{rank: number}>} changes */
  with(changes) {
    return new Cue(this.messageId, this.kind, changes.rank ?? this.rank, this.direction, this.params);
  }

  /** @returns {Record<string, string | number>} */
  get paramsObject() {
    return Object.fromEntries(this.params);
  }

  /** The directions the cue asks to move in: one, or two for a move in two parts. */
  get ways() {
    const also = this.params.find(([key]) => key === "also");
    return new Set([this.direction, also === undefined ? this.direction : also[1]]);
  }

  /**
   * Whether this cue asks for the same thing as `before`: a move the same way (the distance
   * may differ), or the same message for cues without a direction.
   * @param {Cue | null} before
   */
  sameInstruction(before) {
    if (before === null) return false;
    if (this.direction !== null || before.direction !== null) {
      const now = this.ways;
      const then = before.ways;
      return subset(now, then) || subset(then, now);
    }
    return this.messageId === before.messageId;
  }

  /** Python's dataclass equality: every field. @param {Cue | null} other */
  equals(other) {
    if (other === null || other === undefined) return false;
    if (this.messageId !== other.messageId || this.kind !== other.kind || this.rank !== other.rank
        || this.direction !== other.direction || this.params.length !== other.params.length) return false;
    return this.params.every(([k, v], i) => other.params[i][0] === k && other.params[i][1] === v);
  }

  /** @param {((id: string, params: Record<string, string | number>) => string) | null} [render] */
  toDict(render = null) {
    /** @type {Record<string, unknown>} */
    const data = { id: this.messageId, kind: this.kind, rank: this.rank, direction: this.direction, params: this.paramsObject };
    if (render) data.text = render(this.messageId, this.paramsObject);
    return data;
  }
}

/** @param {Set<unknown>} a @param {Set<unknown>} b */
function subset(a, b) {
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

/** A cue to speak now, or after `delayS` seconds; `brief`: in its brief words. */
export class Utterance {
  /**
   * @param {Cue} cue
   * @param {number} [delayS]
   * @param {boolean} [repeat]
   * @param {boolean} [brief]
   */
  constructor(cue, delayS = 0.0, repeat = false, brief = false) {
    this.cue = cue;
    this.delayS = delayS;
    this.repeat = repeat;
    this.brief = brief;
    Object.freeze(this);
  }

  /** The catalog id of the words said: the cue's, or its brief wording's. */
  get messageId() {
    return this.brief ? this.cue.messageId + BRIEF_SUFFIX : this.cue.messageId;
  }

  /** @param {((id: string, params: Record<string, string | number>) => string) | null} [render] */
  toDict(render = null) {
    /** @type {Record<string, unknown>} */
    const data = { ...this.cue.toDict(), delay_s: roundTo(this.delayS, 3), repeat: this.repeat, brief: this.brief,
      message_id: this.messageId };
    if (render) data.text = render(this.messageId, this.cue.paramsObject);
    return data;
  }
}

/** The continuous sound (and vibration) for this moment; fields as in Python's Signal. */
export class Signal {
  /** @param {import("./guidance").SignalFields} fields */
  constructor(fields) {
    this.mode = fields.mode;
    this.interval_s = fields.interval_s;
    this.beep_ms = fields.beep_ms;
    this.pitch_hz = fields.pitch_hz;
    this.pan = fields.pan;
    this.closeness = fields.closeness;
    this.horizontal = fields.horizontal ?? 0.0;
    this.vertical = fields.vertical ?? 0.0;
    this.earcon = fields.earcon ?? null;
    this.haptic = fields.haptic ?? null;
    Object.freeze(this);
  }

  /** @param {Partial<import("./guidance").SignalFields>} changes */
  with(changes) {
    return new Signal({ ...this, ...changes });
  }

  /** The wire form (rounded as the server rounds it). */
  toDict() {
    return {
      mode: this.mode, interval_s: this.interval_s === null ? null : roundTo(this.interval_s, 4),
      beep_ms: this.beep_ms, pitch_hz: roundTo(this.pitch_hz, 2), pan: roundTo(this.pan, 3),
      closeness: roundTo(this.closeness, 3), horizontal: roundTo(this.horizontal, 3),
      vertical: roundTo(this.vertical, 3), earcon: this.earcon, haptic: this.haptic,
    };
  }
}

/** The guide's answer to one frame (fields as in Python's Guidance, in camelCase). */
export class Guidance {
  /** @param {import("./guidance").GuidanceFields} fields */
  constructor(fields) {
    this.phase = fields.phase;
    this.target = fields.target;
    this.timestampS = fields.timestampS;
    this.cue = fields.cue;
    this.speak = fields.speak;
    this.signal = fields.signal;
    this.language = fields.language;
    this.selfVoice = fields.selfVoice;
    this.captured = fields.captured ?? false;
    this.manualCaptureOffered = fields.manualCaptureOffered ?? false;
    this.humanHelpOffered = fields.humanHelpOffered ?? false;
    this.detected = fields.detected ?? false;
    this.notes = Object.freeze([...(fields.notes ?? [])]);
    Object.freeze(this);
  }

  /** @param {Partial<import("./guidance").GuidanceFields>} changes */
  with(changes) {
    return new Guidance({ ...this, ...changes });
  }

  /**
   * The wire form the server's guidance path sends (`Guidance.to_dict` in Python).
   * @param {((id: string, params: Record<string, string | number>) => string) | null} [render]  texts, when given
   */
  toDict(render = null) {
    return {
      phase: this.phase, target: this.target, timestamp_s: roundTo(this.timestampS, 4), detected: this.detected,
      captured: this.captured, cue: this.cue === null ? null : this.cue.toDict(render),
      speak: this.speak === null ? null : this.speak.toDict(render), signal: this.signal.toDict(),
      language: this.language, self_voice: this.selfVoice, manual_capture_offered: this.manualCaptureOffered,
      human_help_offered: this.humanHelpOffered, notes: [...this.notes],
    };
  }
}
