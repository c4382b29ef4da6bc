/**
 * From where the target sits in the frame to what the person does with the phone (port of
 * barrierfree/accessibility/guidance/directions.py). Frames are as captured, never mirrored;
 * image x right, y down. Back camera: a target on the image's right means "move right"; front
 * camera: "move left". Up/down are the same for both cameras.
 * @module
 */

/** Image-side sign of each frame edge: (x, y) offset of a target that crosses it. */
export const EDGE_OFFSET = Object.freeze({ left: [-1.0, 0.0], right: [1.0, 0.0], top: [0.0, -1.0], bottom: [0.0, 1.0] });

/**
 * The phone move (right +, up +) that brings a target at image offset (x right +, y down +) back.
 * @param {number} offsetX
 * @param {number} offsetY
 * @param {"front" | "back"} camera
 * @returns {[number, number]}
 */
export function neededMove(offsetX, offsetY, camera) {
  const horizontal = (camera === "back" ? offsetX : -offsetX) + 0.0;
  return [horizontal, -offsetY + 0.0];
}

/**
 * The direction word of the larger component of a needed move; `flat` phrases the vertical
 * as "away" / "toward" (phone held flat over a table).
 * @param {number} horizontal
 * @param {number} vertical
 * @param {boolean} [flat]
 * @returns {import("./guidance").Direction}
 */
export function word(horizontal, vertical, flat = false) {
  if (Math.abs(horizontal) >= Math.abs(vertical)) return horizontal > 0 ? "right" : "left";
  if (flat) return vertical > 0 ? "away" : "toward";
  return vertical > 0 ? "up" : "down";
}

/**
 * Which way to move the phone when the target crosses these frame edges; `null` when opposite
 * edges cancel out (too big for the frame: a distance problem).
 * @param {Iterable<string>} edges
 * @param {"front" | "back"} camera
 * @param {boolean} [flat]
 * @returns {import("./guidance").Direction | null}
 */
export function edgeDirection(edges, camera, flat = false) {
  let x = 0;
  let y = 0;
  for (const edge of edges) {
    if (Object.hasOwn(EDGE_OFFSET, edge)) {
      x += EDGE_OFFSET[/** @type {keyof typeof EDGE_OFFSET} */ (edge)][0];
      y += EDGE_OFFSET[/** @type {keyof typeof EDGE_OFFSET} */ (edge)][1];
    }
  }
  if (x === 0 && y === 0) return null;
  const [horizontal, vertical] = neededMove(x, y, camera);
  return word(horizontal, vertical, flat);
}
