/**
 * Plain functions on card quadrilaterals, ported from barrierfree/vision/card/geometry.py.
 * A quad is an array of four [x, y] pixel points, top-left, top-right, bottom-right, bottom-left.
 */

/** Python's round(): halves go to the even neighbour (numpy's rint does the same). */
export function roundHalfEven(value) {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const hypot = (v) => Math.hypot(v[0], v[1]);
const sub = (a, b) => [a[0] - b[0], a[1] - b[1]];

/** Order four points TL, TR, BR, BL so that TL→TR is a long side running as near to +x as possible. */
export function orderCorners(points) {
  const cx = points.reduce((s, p) => s + p[0], 0) / 4, cy = points.reduce((s, p) => s + p[1], 0) / 4;
  const ring = points.map((p) => [p[0], p[1]]).map((p) => [Math.atan2(p[1] - cy, p[0] - cx), p])
    .sort((a, b) => a[0] - b[0]).map(([, p]) => p);
  let best = ring, bestCost = Infinity;
  for (let start = 0; start < 4; start++) {
    const c = [0, 1, 2, 3].map((k) => ring[(start + k) % 4]);
    const top = sub(c[1], c[0]), side = sub(c[3], c[0]);
    const longFirst = hypot(top) + hypot(sub(c[2], c[3])) >= hypot(side) + hypot(sub(c[2], c[1]));
    const cost = Math.abs(Math.atan2(top[1], top[0])) + (longFirst ? 0 : 10);
    if (cost < bestCost) { best = c; bestCost = cost; }
  }
  return best;
}

/** The same card read after turning it by 180° (TL becomes BR). */
export const rotateQuad = (quad) => [quad[2], quad[3], quad[0], quad[1]];

/** Lengths of the top, right, bottom and left sides, pixels. */
export const sideLengths = (quad) => quad.map((p, i) => hypot(sub(quad[(i + 1) % 4], p)));

/** Mean long sides over mean short sides (perspective ignored). */
export function aspectRatio(quad) {
  const [top, right, bottom, left] = sideLengths(quad);
  return (top + bottom) / Math.max(left + right, 1e-6);
}

/** Largest departure of an interior angle from 90°, degrees. */
export function cornerDeviationDeg(quad) {
  let worst = 0;
  for (let i = 0; i < 4; i++) {
    const a = sub(quad[(i + 3) % 4], quad[i]), b = sub(quad[(i + 1) % 4], quad[i]);
    const cos = (a[0] * b[0] + a[1] * b[1]) / Math.max(hypot(a) * hypot(b), 1e-6);
    worst = Math.max(worst, Math.abs((Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI - 90));
  }
  return worst;
}

/** In-plane rotation of the printed top edge from +x, degrees, clockwise positive (y is down). */
export function skewDeg(quad) {
  const top = sub(quad[1], quad[0]), bottom = sub(quad[2], quad[3]);
  const t = Math.max(hypot(top), 1e-6), b = Math.max(hypot(bottom), 1e-6);
  return (Math.atan2(top[1] / t + bottom[1] / b, top[0] / t + bottom[0] / b) * 180) / Math.PI;
}

/** Out-of-plane tilt from foreshortening, degrees. */
export function tiltDeg(quad) {
  const [top, right, bottom, left] = sideLengths(quad);
  const ratio = Math.min(Math.min(top, bottom) / Math.max(top, bottom, 1e-6), Math.min(left, right) / Math.max(left, right, 1e-6));
  return (Math.acos(Math.max(0, Math.min(1, ratio))) * 180) / Math.PI;
}

/** Area of a polygon (shoelace, as cv2.contourArea), pixels². */
export function polygonArea(points) {
  let twice = 0;
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i], [x1, y1] = points[(i + 1) % points.length];
    twice += x0 * y1 - x1 * y0;
  }
  return Math.abs(twice) / 2;
}

/** A (N, 2) CV_32F Mat of points, to be deleted by the caller. */
export const pointsMat = (cv, points) => cv.matFromArray(points.length, 1, cv.CV_32FC2, points.flat());

/** Area of the intersection of two convex polygons (cv.intersectConvexConvex, as in Python). */
export function intersectionArea(cv, a, b) {
  const pa = pointsMat(cv, a), pb = pointsMat(cv, b), out = new cv.Mat();
  try {
    return cv.intersectConvexConvex(pa, pb, out, true);
  } finally {
    [pa, pb, out].forEach((m) => m.delete());
  }
}

/** Area of the part of `quad` inside a width × height frame, pixels². */
export const clippedArea = (cv, quad, width, height) =>
  intersectionArea(cv, quad, [[0, 0], [width, 0], [width, height], [0, height]]);

/** The perspective transform (cv.Mat 3×3, CV_64F) taking `quad` to an upright width × height rectangle. */
export function homographyTo(cv, quad, [width, height]) {
  const source = pointsMat(cv, quad), target = pointsMat(cv, [[0, 0], [width, 0], [width, height], [0, height]]);
  try {
    return cv.getPerspectiveTransform(source, target);
  } finally {
    source.delete();
    target.delete();
  }
}

/** Warp the card inside `quad` of an RGB cv.Mat to its printed shape at `pxPerMm` (a new RGB Mat). */
export function rectify(cv, image, quad, sizeMm, pxPerMm) {
  const size = [Math.max(8, roundHalfEven(sizeMm[0] * pxPerMm)), Math.max(8, roundHalfEven(sizeMm[1] * pxPerMm))];
  const matrix = homographyTo(cv, quad, size), out = new cv.Mat();
  try {
    cv.warpPerspective(image, out, matrix, new cv.Size(size[0], size[1]),
      pxPerMm < 6 ? cv.INTER_AREA : cv.INTER_LINEAR, cv.BORDER_REPLICATE, new cv.Scalar());
    return out;
  } finally {
    matrix.delete();
  }
}

const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** Width over height of the flat rectangle seen as `quad`, undoing perspective (Zhang & He 2007; see geometry.py). */
export function trueAspectRatio(quad, [width, height]) {
  const u0 = width / 2, v0 = height / 2;
  const [m1, m2, m4, m3] = quad.map((p) => [p[0], p[1], 1]);
  const k2 = dot(cross(m1, m4), m3) / dot(cross(m2, m4), m3);
  const k3 = dot(cross(m1, m4), m2) / dot(cross(m3, m4), m2);
  const n2 = m2.map((v, i) => k2 * v - m1[i]), n3 = m3.map((v, i) => k3 * v - m1[i]);
  let focal = 0.8 * width;
  if (Math.abs(n2[2] * n3[2]) > 1e-9) {
    const f2 = -((n2[0] * n3[0] - (n2[0] * n3[2] + n2[2] * n3[0]) * u0 + n2[2] * n3[2] * u0 ** 2)
      + (n2[1] * n3[1] - (n2[1] * n3[2] + n2[2] * n3[1]) * v0 + n2[2] * n3[2] * v0 ** 2)) / (n2[2] * n3[2]);
    if ((0.6 * width) ** 2 < f2 && f2 < (1.2 * width) ** 2) focal = Math.sqrt(f2);
  }
  // inverse(K)ᵀ inverse(K) for K = [[f, 0, u0], [0, f, v0], [0, 0, 1]], applied as a quadratic form.
  const form = (n) => {
    const a = (n[0] - u0 * n[2]) / focal, b = (n[1] - v0 * n[2]) / focal;
    return a * a + b * b + n[2] * n[2];
  };
  const ratio = Math.sqrt(form(n2) / Math.max(form(n3), 1e-12));
  return Number.isFinite(ratio) && ratio > 0 ? ratio : aspectRatio(quad);
}
