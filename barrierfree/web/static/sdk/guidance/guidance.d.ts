// Types of barrierfree's on-device guidance (ES modules under sdk/guidance/, JSDoc-typed).
// Field names of observations, readings, settings and profiles are the Python ones: the same
// JSON crosses between the SDK, the server and the conformance corpus.

export type Target = "face" | "card";
export type Camera = "front" | "back";
export type Phase = "searching" | "adjusting" | "hold_still" | "captured";
export type Direction = "left" | "right" | "up" | "down" | "away" | "toward" | "closer" | "farther";
export type SignalMode = "silent" | "searching" | "beeping" | "steady";
export type Edge = "left" | "right" | "top" | "bottom";

/** One frame's face facts (barrierfree/vision/face/observation.py); the fields the Guide reads. */
export interface FaceObservation {
  face_count: number;
  frame_size: [number, number]; // width, height in pixels
  timestamp_s?: number | null;
  size_fraction?: number | null; // face-box width over frame width
  center?: [number, number] | null; // face-box centre over frame size
  cut_edges?: Edge[];
  sharpness?: number | null; // variance of the Laplacian, 0..255 grey
  exposure?: number | null; // mean luma 0..1
  yaw_deg?: number | null;
  pitch_deg?: number | null;
  roll_deg?: number | null;
  /** Set by the Guide from face_count. */
  found?: boolean;
}

/** One frame's card facts (barrierfree/vision/document/observation.py). */
export interface CardObservation {
  found: boolean;
  frame_size: [number, number];
  timestamp_s?: number | null;
  quad?: [number, number][] | null; // corners in the card's reading order, pixels
  coverage?: number;
  center?: [number, number] | null;
  cut_edges?: Edge[];
  skew_deg?: number;
  tilt_deg?: number;
  sharpness?: number;
  glare_fraction?: number;
  exposure?: number;
  side?: "portrait" | "emblem" | "mrz" | "unknown";
  upside_down?: boolean;
  visible_fraction?: number;
  document_type?: string | null;
  aspect_ratio?: number;
  glare_center?: [number, number] | null;
}

export type Observation = (FaceObservation | CardObservation) & { found: boolean; cut_edges: Edge[]; center: [number, number] | null } & Record<string, any>;

/** DeviceOrientation/DeviceMotion readings (barrierfree/accessibility/sensors.py). */
export interface SensorReading {
  beta_deg: number | null;
  gamma_deg: number | null;
  acceleration_m_s2: number | null;
  ambient_lux: number | null;
}

/** barrierfree/accessibility/profile.py */
export interface Profile {
  language: string;
  screen_reader: boolean;
  speech_enabled: boolean | null;
  speech_rate_wpm: number;
  verbosity: "brief" | "normal" | "detailed";
  tones: boolean;
  haptics: boolean;
  timeout_multiplier: number;
  high_contrast: boolean;
  headphones: boolean;
}

/** barrierfree/settings/guidance.py, as GET /api/v1/guidance/settings serves it (snake_case, units in the names). */
export type GuidanceSettings = Record<string, number | boolean> & {
  min_utterance_interval_s: number;
  repeat_interval_s: number;
  cue_settle_s: number;
  capture_dwell_s: number;
  manual_capture_after_s: number;
  human_help_after_failures: number;
  beep_interval_far_s: number;
  beep_interval_near_s: number;
  beep_ms: number;
  base_pitch_hz: number;
  pitch_span_octaves: number;
};

export interface SignalFields {
  mode: SignalMode;
  interval_s: number | null;
  beep_ms: number;
  pitch_hz: number;
  pan: number;
  closeness: number;
  horizontal?: number;
  vertical?: number;
  earcon?: string | null;
  haptic?: string | null;
}

export interface GuidanceFields {
  phase: Phase;
  target: Target;
  timestampS: number;
  cue: import("./model.js").Cue | null;
  speak: import("./model.js").Utterance | null;
  signal: import("./model.js").Signal;
  language: string;
  selfVoice: boolean;
  captured?: boolean;
  manualCaptureOffered?: boolean;
  humanHelpOffered?: boolean;
  detected?: boolean;
  notes?: readonly string[];
}

export interface GuideOptions {
  settings: GuidanceSettings;
  catalogs: import("./prompts.js").Catalogs;
  profile?: Partial<Profile>;
  camera?: Camera | null;
  expectedSide?: string | null;
}

/** What loadGuidanceData fetches: settings, vibration patterns (navigator.vibrate format) and catalogs. */
export interface GuidanceData {
  settings: GuidanceSettings;
  haptics: Record<string, number[]>;
  catalogs: import("./prompts.js").Catalogs;
}

export { Guide, TARGETS, DEFAULT_CAMERA } from "./guide.js";
export { Cue, Utterance, Signal, Guidance, BRIEF_SUFFIX } from "./model.js";
export { Catalogs, FALLBACK_LANGUAGE, speakingTimeS } from "./prompts.js";
export { GuidanceError } from "./errors.js";
export { makeProfile, selfVoice } from "./profile.js";
export { signalFor, closeness, beepInterval } from "./signal.js";
export { assessFace, assessCard, centringSpot, cue, RANKS, Assessment } from "./assess.js";
export function toWire(guide: import("./guide.js").Guide, guidance: import("./model.js").Guidance, options: { haptics: Record<string, number[]>; first?: boolean }): Record<string, any>;
export function loadGuidanceData(options?: { base?: string; languages?: string[]; fetch?: typeof fetch }): Promise<GuidanceData>;
