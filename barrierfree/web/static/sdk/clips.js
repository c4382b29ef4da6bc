// Recording the liveness clip: frames while the screen flashes, or while the person does the
// active challenge's actions (each announced as it starts).

import { showColours } from "./flash.js";
import { sleep } from "./transport.js";

/** @typedef {{t: number, blob: Blob}} ClipFrame  a frame and its time on the clip's clock, seconds */

/**
 * Records the flash clip. The colours set the clip's length (a hidden page pauses them, and sends
 * no frames meanwhile); the returned frames carry ``shown``: when each colour really appeared and
 * when the last ended (clip clock, s).
 * @param {import("./camera.js").Camera} camera @param {HTMLElement} layer
 * @param {{colours: import("./flash.js").FlashColour[], fps?: number}} challenge
 * @param {{frameWidth: number, minFlashMs: number, say: (cue: object) => void}} how
 * @returns {Promise<ClipFrame[] & {shown?: number[]}>}
 */
export async function recordFlash(camera, layer, challenge, { frameWidth, minFlashMs, say }) {
  say({ id: "liveness.flash_intro" });
  await sleep(1500);
  const frames = [];
  const flash = showColours(layer, challenge.colours, minFlashMs);
  const t0 = await flash.started;
  let shown = null;
  flash.done.then((times) => { shown = times; });
  while (shown === null) {
    const t = (performance.now() - t0) / 1000;
    if (!document.hidden) frames.push({ t, blob: await camera.grab(frameWidth, 0.8) });
    await sleep(1000 / (challenge.fps || 12) - 5);
  }
  frames.shown = shown.map((t) => (t - t0) / 1000);
  return frames;
}

/**
 * Records the active challenge's clip, saying each action as it starts.
 * @param {import("./camera.js").Camera} camera
 * @param {{actions?: {message_id: string}[], duration_ms?: number, fps?: number}} challenge
 * @param {{frameWidth: number, say: (cue: object) => void}} how
 * @returns {Promise<ClipFrame[]>}
 */
export async function recordActions(camera, challenge, { frameWidth, say }) {
  const frames = [];
  const t0 = performance.now();
  const total = challenge.duration_ms || 6000;
  const actions = challenge.actions || [];
  const each = total / Math.max(1, actions.length);
  let said = -1;
  while (performance.now() - t0 < total) {
    const elapsed = performance.now() - t0;
    const index = Math.min(actions.length - 1, Math.floor(elapsed / each));
    if (index !== said && actions[index]) { said = index; say({ id: actions[index].message_id }); }
    frames.push({ t: elapsed / 1000, blob: await camera.grab(frameWidth, 0.8) });
    await sleep(1000 / (challenge.fps || 10));
  }
  return frames;
}

/** The liveness answer's multipart body. @param {string} nonce @param {ClipFrame[] & {shown?: number[]}} frames */
export function answerForm(nonce, frames) {
  const form = new FormData();
  form.append("nonce", nonce);
  form.append("timestamps", frames.map((f) => f.t.toFixed(3)).join(","));
  if (frames.shown) form.append("shown", frames.shown.map((t) => t.toFixed(3)).join(","));
  frames.forEach((f, i) => form.append("frame", f.blob, `frame-${i}.jpg`));
  return form;
}
