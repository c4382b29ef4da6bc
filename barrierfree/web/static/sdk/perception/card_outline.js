/**
 * The outline of a card region, for card.js's CardFinder (Python's barrierfree/vision/card/outline.py):
 * four corners from its hull, each side fitted to the contour, the frame borders it runs into, and
 * the missing part of a card the frame cuts off, extrapolated. Apart from the finder so that its
 * search (edges, regions, scoring) and this quad geometry read on their own; plain functions on
 * [x, y] point lists, in pixels of the shrunk frame.
 */
import { sideLengths } from "./card_geometry.js";
import { ID1_MM } from "./card_side.js";

const ID1_ASPECT = ID1_MM[0] / ID1_MM[1];

export const matPoints = (mat) => {
  const out = [];
  const d = mat.data32S.length ? mat.data32S : mat.data32F;
  for (let i = 0; i < d.length; i += 2) out.push([d[i], d[i + 1]]);
  return out;
};
export const centreOf = (quad) => [quad.reduce((s, p) => s + p[0], 0) / quad.length, quad.reduce((s, p) => s + p[1], 0) / quad.length];

export function touchingSides(points, width, height, margin) {
  const sides = new Set();
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  if (Math.min(...ys) <= margin) sides.add("top");
  if (Math.max(...xs) >= width - 1 - margin) sides.add("right");
  if (Math.max(...ys) >= height - 1 - margin) sides.add("bottom");
  if (Math.min(...xs) <= margin) sides.add("left");
  return sides;
}

export function borderSide(a, b, width, height, margin) {
  if (a[1] <= margin && b[1] <= margin) return "top";
  if (a[0] >= width - 1 - margin && b[0] >= width - 1 - margin) return "right";
  if (a[1] >= height - 1 - margin && b[1] >= height - 1 - margin) return "bottom";
  if (a[0] <= margin && b[0] <= margin) return "left";
  return null;
}

export function fourCorners(cv, hull) {
  const perimeter = cv.arcLength(hull, true);
  for (const tolerance of [0.01, 0.02, 0.03, 0.045, 0.06]) {
    const approx = new cv.Mat();
    try {
      cv.approxPolyDP(hull, approx, tolerance * perimeter, true);
      if (approx.rows === 4) return matPoints(approx);
      if (approx.rows < 4) return null;
    } finally {
      approx.delete();
    }
  }
  return null;
}

export function segmentDistance(p, a, b) {
  const abx = b[0] - a[0], aby = b[1] - a[1];
  const t = Math.min(1, Math.max(0, ((p[0] - a[0]) * abx + (p[1] - a[1]) * aby) / Math.max(abx * abx + aby * aby, 1e-6)));
  return Math.hypot(p[0] - (a[0] + t * abx), p[1] - (a[1] + t * aby));
}

/** The least-squares line through flat [x, y, ...] `points` (outline.py's: a robust fit found nothing more among points chosen near a side). */
export function fitLine(cv, points) {
  const mat = cv.matFromArray(points.length / 2, 1, cv.CV_32FC2, points), line = new cv.Mat();
  try {
    cv.fitLine(mat, line, cv.DIST_L2, 0, 0.01, 0.01);
    const [vx, vy, x0, y0] = line.data32F;
    return [[x0, y0], [vx, vy]];
  } finally {
    mat.delete();
    line.delete();
  }
}

/**
 * Refine `quad` by a line fitted along each side; null if the outline does not trace it (finder.py's _fit_sides).
 * `xy` is the contour's points, flat [x0, y0, x1, y1, ...] (a contour Mat's data32S, copied): typed
 * arrays, not a point object per pixel, as the outline of a card is thousands of them.
 */
export function fitSides(cv, xy, quad, minSupport, onBorder, allowNotch) {
  const count = Math.ceil(xy.length / 4); // every other outline pixel is plenty
  const perimeter = sideLengths(quad).reduce((s, v) => s + v, 0);
  const near = Math.max(2, 0.012 * perimeter);
  const nearest = new Int8Array(count).fill(-1); // the side each point is close to, -1 when none
  const point = [0, 0];
  for (let k = 0; k < count; k++) {
    point[0] = xy[4 * k];
    point[1] = xy[4 * k + 1];
    let best = 0, bestDistance = Infinity;
    for (let side = 0; side < 4; side++) {
      const d = segmentDistance(point, quad[side], quad[(side + 1) % 4]);
      if (d < bestDistance) { best = side; bestDistance = d; }
    }
    if (bestDistance <= near) nearest[k] = best;
  }
  const lines = [], weak = [];
  for (let side = 0; side < 4; side++) {
    const a = quad[side], b = quad[(side + 1) % 4];
    const initial = [a, [b[0] - a[0], b[1] - a[1]]];
    if (onBorder[side]) { lines.push(initial); continue; }
    const abx = b[0] - a[0], aby = b[1] - a[1], ab2 = Math.max(abx * abx + aby * aby, 1e-6);
    const chosen = [], bins = new Uint8Array(40);
    let binsHit = 0;
    for (let k = 0; k < count; k++) {
      if (nearest[k] !== side) continue;
      const x = xy[4 * k], y = xy[4 * k + 1];
      chosen.push(x, y);
      const bin = Math.trunc(Math.min(0.999, Math.max(0, ((x - a[0]) * abx + (y - a[1]) * aby) / ab2)) * 40);
      if (!bins[bin]) { bins[bin] = 1; binsHit++; }
    }
    const points = chosen.length / 2;
    const supported = points ? binsHit / 40 : 0;
    if (supported < minSupport) weak.push(supported);
    if (points < 5 || supported < 0.3) { lines.push(initial); continue; }
    lines.push(fitLine(cv, chosen));
  }
  if (weak.length > (allowNotch ? 1 : 0)) return null;
  const refined = [];
  for (let i = 0; i < 4; i++) {
    const [p, u] = lines[(i + 3) % 4], [q, v] = lines[i];
    const denominator = u[0] * v[1] - u[1] * v[0];
    if (Math.abs(denominator) < 1e-9) return null;
    const t = ((q[0] - p[0]) * v[1] - (q[1] - p[1]) * v[0]) / denominator;
    refined.push([p[0] + t * u[0], p[1] + t * u[1]]);
  }
  const moved = Math.max(...refined.map((r, i) => Math.max(Math.abs(r[0] - quad[i][0]), Math.abs(r[1] - quad[i][1]))));
  return moved > 0.1 * perimeter ? null : refined;
}

export function grow(polygon, pixels) {
  const [cx, cy] = centreOf(polygon);
  return polygon.map(([x, y]) => {
    const norm = Math.max(Math.hypot(x - cx, y - cy), 1e-6);
    return [x + ((x - cx) / norm) * pixels * Math.SQRT2, y + ((y - cy) / norm) * pixels * Math.SQRT2];
  });
}

/** The whole card from its visible part when one side of the visible quad is the frame border (finder.py's _extrapolate). */
export function extrapolate(polygon, cutSides) {
  if (cutSides.length !== 1) return polygon;
  const cut = cutSides[0];
  const lengths = sideLengths(polygon);
  const along = (lengths[(cut + 1) % 4] + lengths[(cut + 3) % 4]) / 2;
  const across = lengths[(cut + 2) % 4];
  const options = [across * ID1_ASPECT, across / ID1_ASPECT].filter((full) => full >= along * 0.97);
  if (!options.length) return null;
  const full = Math.min(...options);
  const quad = polygon.map((p) => [...p]);
  for (const [corner, anchor] of [[cut, (cut + 3) % 4], [(cut + 1) % 4, (cut + 2) % 4]]) {
    const dx = quad[corner][0] - quad[anchor][0], dy = quad[corner][1] - quad[anchor][1];
    const length = Math.hypot(dx, dy);
    if (length > 1e-6) {
      const reach = Math.max(full, length);
      quad[corner] = [quad[anchor][0] + (dx / length) * reach, quad[anchor][1] + (dy / length) * reach];
    }
  }
  return quad;
}
