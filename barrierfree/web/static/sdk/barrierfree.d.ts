// Types of the barrierfree mobile-web SDK (/static/sdk/barrierfree.js), for hosts written in TypeScript.

/** Options of BarrierFree.mount. */
export interface Options {
  /** The API's base URL, e.g. "/api/v1". */
  api: string;
  journeyId: string;
  /** The journey's bearer token (never put it in a URL). */
  token: string;
  /** "zh-CN" (default) or "en". */
  lang?: string;
  /** The host's own ARIA live region; the SDK makes one when absent. */
  liveRegion?: HTMLElement | null;
  /** Catalog texts the host already has (button labels), used until the catalog arrives. */
  messages?: Record<string, string>;
  /** Self-voicing on or off; null follows the journey's assistance choice. */
  speech?: boolean | null;
  /** Guidance frames a second (server path) or frames observed a second (device path). */
  fps?: number;
  /** Width of guidance frames, px. */
  frameWidth?: number;
  /** Width of card captures, px. */
  captureWidth?: number;
  /** JPEG quality of guidance frames, 0..1. */
  jpegQuality?: number;
  /** The on-device engine: a module URL exporting createDeviceGuidance, or the function itself; null uses the server's guidance. */
  deviceEngine?: string | CreateDeviceGuidance | null;
}

/** The wire constants served by GET /api/v1/sdk/wire (one Python source for both sides). */
export interface Wire {
  /** Shortest colour of the flash, ms (WCAG 2.3.1: > 1000/3). */
  min_flash_ms: number;
  steps: string[];
  camera_steps: string[];
  limits: {
    max_frame_bytes: number; max_frame_megapixels: number; max_liveness_frames: number;
    max_stills: number; max_telemetry_events: number; max_telemetry_bytes: number;
    /** Usable card stills are taken from this long before a capture, and looked for this long after it, s. */
    still_window_s: number; still_budget_s: number;
    /** Stills whose agreeing readings the server accepts (``card_frames_to_accept``): no more are looked for after the capture. */
    stills_to_accept: number;
  };
  device: { frame_budget_ms: number; probe_s: number };
}

/** The journey as the API returns it (the fields the SDK reads). */
export interface Journey {
  id: string;
  step: string;
  lang: string;
  assistance: "screen_reader" | "self_voicing" | "large_text" | null;
  photosensitive: boolean;
  liveness_mode: "flash" | "active" | "no_flash";
  timeout_multiplier: number;
  deadline: string | null;
  warn_at: string | null;
  extensions_left: number;
  expired: boolean;
  paused_reason: string | null;
  help_options: string[];
  help_url: string | null;
  message_id: string | null;
  [field: string]: unknown;
}

/** A cue: a catalog message id with parameters (or a text the server rendered). */
export interface Cue {
  id: string;
  message_id?: string;
  params?: Record<string, unknown>;
  text?: string;
  delay_s?: number;
}

/** The continuous guidance signal. */
export interface Signal {
  mode?: "silent" | "beeping" | "steady";
  interval_s?: number;
  pitch_hz?: number;
  beep_ms?: number;
  pan?: number;
  earcon?: string;
  haptic_pattern?: number[];
}

/** One frame's guidance, from the server or the on-device engine (same fields). */
export interface Guidance {
  timestamp_s: number;
  captured: boolean;
  speak?: Cue | null;
  introduction?: Cue[];
  /** The detailed introduction (first frame of a step), said again when the person asks for it. */
  introduction_full?: Cue[];
  signal?: Signal;
  manual_capture_offered?: boolean;
  human_help_offered?: boolean;
  /** Device path only: the guide gave up on an attempt (a code such as "no-card-found"); sent as telemetry,
   * where it counts towards the server's help-after-repeated-failures rule. */
  failure?: string | null;
  /** The guide's phase ("searching", "adjusting", "hold_still", "captured"). */
  phase?: string;
  /** Card steps, either path (the server's guidance too): the card finder judged this frame usable as a capture
   * still (sharp, wholly in view, no glare, not the other side). The SDK sends only such stills besides the captured frame. */
  still_usable?: boolean;
}

export interface DeviceFrame {
  /** The frame, at most frameWidth px wide. */
  canvas: HTMLCanvasElement;
  /** Seconds on the stream clock. */
  t: number;
  sensors: { beta?: number; gamma?: number; accel?: number };
}

export interface DeviceSpec {
  target: "face" | "card";
  camera: "front" | "back";
  side?: "portrait" | "emblem";
  lang: string;
  screenReader: boolean;
  timeoutMultiplier: number;
  /** The API's base URL (the engine fetches the guidance settings and prompt catalogs from it). */
  api: string;
}

/** The on-device engine (perception and the Guide policy) for one step. */
export interface DeviceEngine {
  observe(frame: DeviceFrame): Guidance | Promise<Guidance>;
  /** The server's answer to a capture or clip: accepted, or refused with its reason code (which the guide speaks). */
  answered?(answer: { accepted: boolean; code: string | null }): void;
  close?(): void;
}

export type CreateDeviceGuidance = (spec: DeviceSpec) => DeviceEngine | Promise<DeviceEngine>;

/** A mounted SDK. */
export interface Session {
  journey: Journey | null;
  wire: Wire | null;
  loaded: Promise<void>;
  start(): Promise<void>;
  stop(): void;
}

export declare const BarrierFree: {
  mount(element: HTMLElement, options: Options): Session;
};
export default BarrierFree;
