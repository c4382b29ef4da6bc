/**
 * The on-device guidance in the very JSON the server's guidance path answers a frame with
 * (barrierfree/onboarding/journey/camera.py: `Guidance.to_dict()` with the texts, the
 * introduction on the stream's first frame with the full one the person may ask to hear again,
 * and the vibration pattern), so the SDK speaks,
 * beeps, vibrates and writes the live region the same way whichever side decided.
 * @module
 */

/**
 * @param {import("./guide.js").Guide} guide
 * @param {import("./model.js").Guidance} guidance  what `guide.step()` returned
 * @param {{haptics: Record<string, number[]>, first?: boolean, introduction?: import("./model.js").Cue[]}} options
 *   `haptics`: the patterns the server serves with the settings; `first`: this is the stream's first
 *   frame (add the introduction); `introduction`: what `guide.introduce()` returned before this frame's
 *   step (the guide then holds its cues until it is said), else the guide is only told it is said
 * @returns {Record<string, any>}
 */
export function toWire(guide, guidance, options) {
  const data = /** @type {Record<string, any>} */ (guidance.toDict(guide.render));
  const introduction = options.first ? options.introduction || guide.introduction() : [];
  data.introduction = introduction.map((c) => c.toDict(guide.render));
  data.introduction_full = options.first ? guide.introduction(true).map((c) => c.toDict(guide.render)) : [];
  if (options.first && !options.introduction) guide.introduced();  // the SDK says it now: the tones are kept for later
  const haptic = guidance.signal.haptic;
  if (haptic) {
    const pattern = options.haptics[haptic];
    if (pattern === undefined) throw new Error(`No vibration pattern ${JSON.stringify(haptic)} in the served settings.`);
    data.signal.haptic_pattern = [...pattern];
  }
  return data;
}
