/**
 * Which card frames are worth sending as capture stills on the on-device path (port of
 * barrierfree/accessibility/guidance/stills.py): a still blurred by the hand, cut by the frame's
 * edge, glared or of the other side reads as nothing on the server, and one readable still alone
 * is answered "read once more". The SDK sends the captured frame and the frames this judges usable.
 * @module
 */

import { overexposed } from "./assess.js";
import { normalise } from "./observation.js";

/** Phases in which a frame shows the card in place (the dwell before a capture, and the capture). */
export const IN_PLACE_PHASES = Object.freeze(["hold_still", "captured"]);

/**
 * Whether the card finder's observation of a frame makes it worth sending as a still: the card found
 * wholly in view, sharp (`card_still_min_sharpness`), no glare on what is read (`card_max_glare_fraction`)
 * and not seen as another side than `expectedSide`.
 * @param {unknown} observation  a CardObservation (Python field names)
 * @param {string | null} expectedSide
 * @param {import("./guidance").GuidanceSettings} s
 * @returns {boolean}
 */
export function usableStill(observation, expectedSide, s) {
  const o = normalise("card", observation);
  return Boolean(o.found && o.cut_edges.length === 0 && o.sharpness >= s.card_still_min_sharpness
    && (o.glare_fraction <= s.card_max_glare_fraction || overexposed(o, s))
    && (expectedSide === null || expectedSide === undefined || o.side === "unknown" || o.side === expectedSide));
}
