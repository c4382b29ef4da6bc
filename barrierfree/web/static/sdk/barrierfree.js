// barrierfree mobile-web SDK: ES modules, no build step. This file is the entry point.
//
//   import { BarrierFree } from "/static/sdk/barrierfree.js";
//   const sdk = BarrierFree.mount(element, { api: "/api/v1", journeyId, token, lang: "zh-CN" });
//   element.addEventListener("barrierfree:step", (e) => console.log(e.detail.step));
//
// It runs the camera steps of a journey (card portrait side, emblem side, liveness, face match):
// opens the camera (playsinline, muted, front or back as the step needs), guides the person — on
// the device when it can run the on-device engine (option ``deviceEngine``), else with downscaled
// JPEG frames sent to the server at an adaptive rate — and turns the guidance into speech
// (speechSynthesis, started from a tap as iOS requires, or the server's WAV), text in an ARIA live
// region (always), tones through Web Audio and vibration where the Vibration API exists. When the
// person uses their own screen reader it never speaks: the live region is read. The colour flash
// keeps every colour on screen at least the server's shortest colour (``min_flash_ms`` of
// ``GET /api/v1/sdk/wire``), however the page stalls (WCAG 2.3.1: at most 3 flashes a second), and
// is never shown to a photosensitive person (the server issues an active challenge instead).
// Every control is a real <button>. Types: barrierfree.d.ts.
//
// Modules: transport.js (HTTP), camera.js, audio.js (speech, tones, haptics), flash.js, clips.js
// (the liveness clip), ui.js, help.js (time limits and help), device.js (the on-device engine's
// interface and the fallback), telemetry.js, session.js (the steps).
//
// Events (CustomEvent on the mounted element, detail in brackets):
//   barrierfree:ready {journey}      barrierfree:step {step, journey}
//   barrierfree:cue {id, text, spoken}  barrierfree:captured {step, accepted, code}
//   barrierfree:liveness {passed, reasons}  barrierfree:match {same_person, outcome}
//   barrierfree:paused {journey}     barrierfree:help {journey}     barrierfree:warning {deadline}
//   barrierfree:staff-review {journey}  (an unsure face match waits for a member of staff: nothing to do but wait)
//   barrierfree:path {step, path: "device"|"server", reason}  (which engine guides the step, for the host)
//   barrierfree:error {status, type, detail}
//
// Embedding in another origin's page: <iframe src="https://bank.example/journey/step"
//   allow="camera; autoplay; accelerometer; gyroscope; vibrate"> (see README).

import { Session } from "./session.js";

export const BarrierFree = {
  /**
   * Mount the SDK into ``element``; returns the session (``stop()`` ends it).
   * @param {HTMLElement} element @param {import("./barrierfree").Options} options
   */
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
