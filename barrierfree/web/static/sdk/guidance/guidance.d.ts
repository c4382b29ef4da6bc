// Types of barrierfree's on-device guidance (ES modules under sdk/guidance/, JSDoc-typed).
// Field names of observations, readings, settings and profiles are the Python ones: the same
// JSON crosses between the SDK, the server and the conformance corpus.

export type Target = "face" | "card";
export type Camera = "front" | "back";
export type Phase = "searching" | "adjusting" | "hold_still" | "captured";
export type Direction = "left" | "right" | "up" | "down" | "away" | "toward" | "closer" | "farther";
export type SignalMode = "silent" | "searching" | "beeping" | "steady";
export type Edge = "left" | "right" | "top" | "bottom";

/** One frame's face facts (barrierfree/vision/face/observation.py), as Guide.step takes them. */
export interface FaceObservationInput {
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
}

/** One frame's card facts (barrierfree/vision/document/observation.py), as Guide.step takes them. */
export interface CardObservationInput {
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

/** An observation once the Guide has read it: every field present (the Python defaults where absent). */
export type FaceObservation = Required<FaceObservationInput> & { found: boolean };
export type CardObservation = Required<CardObservationInput>;
export type Observation = FaceObservation | CardObservation;

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

/**
 * barrierfree/settings/guidance.py, as GET /api/v1/guidance/settings serves it: every field, with
 * its unit in the name (the values come from the server, never from here; tests/test_guidance_js.py
 * keeps this list the model's).
 */
export interface GuidanceSettings {
  min_utterance_interval_s: number;
  repeat_interval_s: number;
  searching_interval_s: number;
  cue_settle_s: number;
  lost_after_s: number;
  update_after_still_s: number;
  response_window_s: number;
  finish_move_first: boolean;
  wait_for_introduction: boolean;
  short_introduction: boolean;
  tones_when_first_needed: boolean;
  min_reaction_s: number;
  quiet_while_passing: boolean;
  update_min_resize: number;
  face_width_mm: number;
  camera_equivalent_focal_mm: number;
  learn_hand_gain: boolean;
  hand_gain_moves: number;
  hand_gain_min: number;
  hand_gain_max: number;
  hand_gain_min_said_mm: number;
  distance_aim_fraction: number;
  min_spoken_move_cm: number;
  say_two_way_moves: boolean;
  say_distance_with_move: boolean;
  centre_for_new_distance: boolean;
  capture_dwell_s: number;
  capture_sharpest_fraction: number;
  capture_sharpest_window_s: number;
  card_capture_sharp_despite_sway: boolean;
  card_sway_window_s: number;
  card_still_despite_sway: boolean;
  manual_capture_after_s: number;
  human_help_after_failures: number;
  max_still_motion_per_s: number;
  face_max_still_motion_per_s: number;
  max_still_resize_per_s: number;
  travel_window_s: number;
  card_moving_frames_in_a_row: number;
  max_still_acceleration_m_s2: number;
  straighten_phone_first: boolean;
  say_move_with_tilt: boolean;
  upright_move_share: number;
  tilt_begun_deg: number;
  farther_first: boolean;
  hysteresis_fraction: number;
  face_center_tolerance_x: number;
  face_center_tolerance_y: number;
  face_centre_by_room: boolean;
  face_frame_margin_fraction: number;
  face_max_still_turn_deg_per_s: number;
  face_capture_sharpest_fraction: number;
  face_target_y: number;
  face_centre_hysteresis_fraction: number;
  face_min_width_fraction: number;
  face_max_width_fraction: number;
  face_max_yaw_deg: number;
  face_max_roll_deg: number;
  face_max_pitch_deg: number;
  face_capture_min_sharpness: number;
  face_capture_patience_s: number;
  face_capture_patient_min_sharpness: number;
  face_pose_hysteresis_fraction: number;
  face_min_beta_deg: number;
  face_max_beta_deg: number;
  face_min_exposure: number;
  face_max_exposure: number;
  face_min_sharpness: number;
  sharpness_relative_fraction: number;
  sharpness_memory_s: number;
  sharpness_same_size: number;
  sharpness_history_min_s: number;
  card_center_tolerance_x: number;
  card_center_tolerance_y: number;
  card_min_coverage: number;
  card_size_from_whole_outline: boolean;
  card_max_coverage: number;
  card_max_span_fraction: number;
  card_max_recede_rate_per_s: number;
  card_scale_memory_s: number;
  card_scale_min_visible: number;
  card_scale_doubt_ratio: number;
  card_max_device_tilt_deg: number;
  card_max_tilt_deg: number;
  card_capture_needs_known_side: boolean;
  card_upright_beta_deg: number;
  card_min_exposure: number;
  card_max_glare_fraction: number;
  card_overexposed_exposure: number;
  card_overexposed_glare_fraction: number;
  card_overexposed_centre_offset: number;
  card_min_sharpness: number;
  card_still_min_sharpness: number;
  say_glare_escape: boolean;
  glare_escape_margin_mm: number;
  min_ambient_lux: number;
  beep_interval_far_s: number;
  beep_interval_near_s: number;
  beep_ms: number;
  far_error: number;
  base_pitch_hz: number;
  pitch_span_octaves: number;
}

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
  /** Whether this step's introduction explains the tones (the journey's first camera step only; default true). */
  explainTones?: boolean;
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
