/**
 * Card outlines from four long straight edges, for frames where no edge-enclosed region is a card
 * (a card across a white cup rim): barrierfree/vision/card/lines.py ported. Canny edges, the
 * probabilistic Hough transform (OpenCV.js has no line-segment detector), runs on one line merged,
 * and every two near-parallel pairs crossing at near-right angles make a quad. card.js weighs the
 * quads as its other candidates and calls this only when those found nothing.
 */

const CANNY = [20, 60];
const MIN_RUN = 0.12;
const SAME_ANGLE_DEG = 3.0, SAME_OFFSET_PX = 3.0;
const MAX_LINES = 12;
const PARALLEL_DEG = 20.0, CORNER_DEG = 35.0;
const MIN_COVER = 0.5, OVERSHOOT = 0.15;

const length = (s) => Math.hypot(s[2] - s[0], s[3] - s[1]);

function direction(line) {
  const vx = line[2] - line[0], vy = line[3] - line[1];
  const n = Math.max(Math.hypot(vx, vy), 1e-9);
  return [vx / n, vy / n];
}

/** Angle between two undirected lines, 0..90 degrees. */
function angleBetween(a, b) {
  const [ux, uy] = direction(a), [vx, vy] = direction(b);
  return (Math.acos(Math.min(1, Math.abs(ux * vx + uy * vy))) * 180) / Math.PI;
}

/** Distance from `point` to the infinite line through `line`. */
function distance(line, [px, py]) {
  const [ux, uy] = direction(line);
  const dx = px - line[0], dy = py - line[1];
  return Math.abs(dx * uy - dy * ux);
}

const offset = (a, b) => distance(a, [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]);

/** `line` lengthened to cover `segment` projected onto it. */
function extent(line, segment) {
  const [ux, uy] = direction(line), ox = line[0], oy = line[1];
  const ts = [[line[0], line[1]], [line[2], line[3]], [segment[0], segment[1]], [segment[2], segment[3]]]
    .map(([x, y]) => (x - ox) * ux + (y - oy) * uy);
  const lo = Math.min(...ts), hi = Math.max(...ts);
  return [ox + lo * ux, oy + lo * uy, ox + hi * ux, oy + hi * uy];
}

/** Segments [x0, y0, x1, y1] on one line joined into its longest extent, longest first. */
function merged(segments) {
  const lines = [];
  for (const segment of [...segments].sort((a, b) => length(b) - length(a))) {
    const index = lines.findIndex((line) => angleBetween(line, segment) <= SAME_ANGLE_DEG &&
      Math.max(distance(line, segment.slice(0, 2)), distance(line, segment.slice(2))) <= SAME_OFFSET_PX);
    if (index >= 0) lines[index] = extent(lines[index], segment);
    else lines.push(segment);
  }
  return lines.sort((a, b) => length(b) - length(a));
}

function crossing(a, b) {
  const ux = a[2] - a[0], uy = a[3] - a[1], vx = b[2] - b[0], vy = b[3] - b[1];
  const denominator = ux * vy - uy * vx;
  if (Math.abs(denominator) < 1e-9) return null;
  const wx = b[0] - a[0], wy = b[1] - a[1];
  const t = (wx * vy - wy * vx) / denominator;
  return [a[0] + t * ux, a[1] + t * uy];
}

/** The quad whose k-th side lies on sides[k]; null unless convex (not crossed). */
function corners(sides) {
  const quad = [0, 1, 2, 3].map((k) => crossing(sides[(k + 3) % 4], sides[k]));
  if (quad.some((c) => c === null)) return null;
  const turns = [0, 1, 2, 3].map((k) => {
    const [a, b, c] = [quad[k], quad[(k + 1) % 4], quad[(k + 2) % 4]];
    return (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
  });
  return turns.every((t) => t > 0) || turns.every((t) => t < 0) ? quad : null;
}

/** Whether `line` runs along the side a-b for most of it and not far past its ends. */
function traces(line, a, b) {
  const side = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (side < 1e-6) return false;
  const ux = (b[0] - a[0]) / side, uy = (b[1] - a[1]) / side;
  const [t0, t1] = [[line[0], line[1]], [line[2], line[3]]].map(([x, y]) => (x - a[0]) * ux + (y - a[1]) * uy).sort((p, q) => p - q);
  const covered = Math.min(t1, side) - Math.max(t0, 0);
  return covered >= MIN_COVER * side && t0 >= -OVERSHOOT * side && t1 <= (1 + OVERSHOOT) * side;
}

/** Quads [[x, y] x4] whose sides are each traced by a long straight edge in `luma` (the blurred grey shrunk frame, a cv.Mat). */
export function lineQuads(cv, luma) {
  const width = luma.cols, height = luma.rows;
  const shortest = MIN_RUN * Math.min(width, height);
  const edges = new cv.Mat(), found = new cv.Mat();
  let segments;
  try {
    cv.Canny(luma, edges, CANNY[0], CANNY[1], 3, false);
    cv.HoughLinesP(edges, found, 1, Math.PI / 180, Math.trunc(shortest / 2), shortest, 4);
    const data = found.data32S;
    segments = Array.from({ length: found.rows }, (_, i) => Array.from(data.subarray(i * 4, i * 4 + 4)));
  } finally {
    edges.delete();
    found.delete();
  }
  const lines = merged(segments).slice(0, MAX_LINES);
  const pairs = [];
  lines.forEach((a, i) => lines.slice(i + 1).forEach((b) => {
    if (angleBetween(a, b) <= PARALLEL_DEG && offset(a, b) > shortest / 2) pairs.push([a, b]);
  }));
  const quads = [];
  pairs.forEach(([a, b], i) => pairs.slice(i + 1).forEach(([c, d]) => {
    if (Math.min(angleBetween(a, c), angleBetween(a, d), angleBetween(b, c), angleBetween(b, d)) < 90 - CORNER_DEG) return;
    const sides = [a, c, b, d];
    const quad = corners(sides);
    if (quad && sides.every((line, k) => traces(line, quad[k], quad[(k + 1) % 4]))) quads.push(quad.map(([x, y]) => [Math.fround(x), Math.fround(y)]));
  }));
  return quads;
}
