/**
 * Finding an ID card in a camera frame, on the device: Python's CardFinder
 * (barrierfree/vision/card/finder.py) ported to OpenCV.js, producing the same CardObservation
 * (Python's field names). Edges on the Lab colour gradient at several sensitivities; regions the
 * edges enclose and outlines of edge patches become candidates when their outline is a convex
 * quadrilateral of a card's shape (cut-off cards extrapolated); candidates are weighed by how
 * much of their outline is a real edge with paper inside; the best is described by cheap cues on
 * a small rectified copy (card_side.js). The conformance test holds the two engines together.
 */
import {
  clippedArea, cornerDeviationDeg, homographyTo, intersectionArea, orderCorners, pointsMat, polygonArea,
  rectify, rotateQuad, roundHalfEven, sideLengths, skewDeg, tiltDeg, trueAspectRatio,
} from "./card_geometry.js";
import { borderSide, centreOf, extrapolate, fitSides, fourCorners, grow, matPoints, touchingSides } from "./card_outline.js";
import { lineQuads } from "./card_lines.js";
import { ID1_MM, ID3_MM, LAYOUTS, detectSide, glareBoxes, glareSpot, qualityCues } from "./card_side.js";
import { VENDOR_URL, loadOpenCv } from "./vendor.js";

/**
 * The finder's thresholds: the defaults of barrierfree/settings/document.py (DocumentSettings), same
 * names and units. The conformance test checks they equal Python's.
 */
export const DOCUMENT_SETTINGS = Object.freeze({
  finder_width_px: 480, min_card_area_fraction: 0.03, min_aspect_ratio: 1.15, max_aspect_ratio: 2.0,
  min_quad_fill: 0.88, min_side_support: 0.85, max_cut_card_area_fraction: 0.7, min_card_brightness: 0.8,
  min_solidity: 0.6, min_solidity_cut: 0.55, max_corner_deviation_deg: 40.0, edge_support_gradient: 30.0,
  edge_support_paper: 0.75, border_margin_px: 3.0, glare_luma: 250, observe_px_per_mm: 3.0,
  min_emblem_fraction: 0.25, max_faded_emblem_photo_fraction: 0.3, faded_emblem_chroma: 0.2,
  faded_emblem_min_warmth: 25.0, min_faded_emblem_fraction: 0.2, min_portrait_fraction: 0.45, min_portrait_fraction_lone: 0.25,
  min_solidity_corner: 0.8, min_aspect_ratio_corner: 1.3, glare_barrier_levels: Object.freeze([0.97, 0.93]),
  min_glare_barrier_luma: 150, max_mrz_line_mm: 5.0, min_line_support: 0.7,
});

/** Edge maps: (gradient threshold, dilation size) as finder.py's _edges. */
const EDGE_MAPS = [[14.0, 3], [25.0, 3], [40.0, 3], [40.0, 5], [90.0, 3]];
/** The card finder: stateless apart from its settings. */
export class CardFinder {
  constructor(cv, settings = DOCUMENT_SETTINGS) {
    this.cv = cv;
    this.settings = settings;
  }

  /** What the camera sees of a card in an RGBA ImageData (or {data, width, height}) frame. */
  observe(imageData, timestampS = null) {
    const cv = this.cv;
    const rgba = cv.matFromImageData(imageData), pixels = new cv.Mat(), small = new cv.Mat();
    try {
      cv.cvtColor(rgba, pixels, cv.COLOR_RGBA2RGB);
      const width = pixels.cols, height = pixels.rows;
      const scale = Math.min(1, this.settings.finder_width_px / width);
      if (scale < 1) {
        cv.resize(pixels, small, new cv.Size(Math.max(16, roundHalfEven(width * scale)), Math.max(16, roundHalfEven(height * scale))), 0, 0, cv.INTER_AREA);
      } else {
        pixels.copyTo(small);
      }
      const found = this.candidates(small);
      if (!found.length) {
        return Object.freeze({ found: false, frame_size: [width, height], timestamp_s: timestampS, exposure: cv.mean(small).slice(0, 3).reduce((s, v) => s + v, 0) / 3 / 255, ...EMPTY });
      }
      const best = found[0];
      const quad = orderCorners(best.quad.map(([x, y]) => [x / scale, y / scale]));
      return this.describe(pixels, quad, best, timestampS, best.visibleArea / (scale * scale));
    } finally {
      [rgba, pixels, small].forEach((m) => m.delete());
    }
  }

  edges(small) {
    const cv = this.cv;
    const blurred = new cv.Mat(), lab = new cv.Mat(), labF = new cv.Mat(), channels = new cv.MatVector();
    const magnitude = cv.Mat.zeros(small.rows, small.cols, cv.CV_32F);
    const gx = new cv.Mat(), gy = new cv.Mat(), mag = new cv.Mat();
    try {
      cv.GaussianBlur(small, blurred, new cv.Size(5, 5), 0, 0, cv.BORDER_DEFAULT);
      cv.cvtColor(blurred, lab, cv.COLOR_RGB2Lab);
      lab.convertTo(labF, cv.CV_32F);
      cv.split(labF, channels);
      for (const [channel, weight] of [[0, 1.0], [1, 2.0], [2, 2.0]]) {
        const plane = channels.get(channel);
        cv.Sobel(plane, gx, cv.CV_32F, 1, 0, 3, 1, 0, cv.BORDER_DEFAULT);
        cv.Sobel(plane, gy, cv.CV_32F, 0, 1, 3, 1, 0, cv.BORDER_DEFAULT);
        plane.delete();
        cv.magnitude(gx, gy, mag);
        if (weight !== 1.0) cv.multiply(mag, new cv.Mat(mag.rows, mag.cols, cv.CV_32F, new cv.Scalar(weight)), mag);
        cv.max(magnitude, mag, magnitude);
      }
      const maps = [];
      const binary = new cv.Mat(small.rows, small.cols, cv.CV_8U);
      const values = magnitude.data32F, bits = binary.data;
      for (const [threshold, size] of EDGE_MAPS) {
        // (magnitude > threshold) * 255, in one pass here: cheaper than threshold + convertTo through the bindings.
        for (let i = 0; i < values.length; i++) bits[i] = values[i] > threshold ? 255 : 0;
        const kernel = cv.Mat.ones(size, size, cv.CV_8U), dilated = new cv.Mat();
        cv.dilate(binary, dilated, kernel, new cv.Point(-1, -1), 1, cv.BORDER_CONSTANT, cv.morphologyDefaultBorderValue());
        kernel.delete();
        maps.push([dilated, size / 2 + 0.5]);
      }
      binary.delete();
      const luma = new cv.Mat();
      cv.cvtColor(blurred, luma, cv.COLOR_RGB2GRAY);
      try {
        maps.push(...this.glareBarriers(luma, maps[1]));
      } finally {
        luma.delete();
      }
      return [maps, magnitude];
    } catch (error) {
      magnitude.delete();
      throw error;
    } finally {
      [blurred, lab, labF, channels, gx, gy, mag].forEach((m) => m.delete());
    }
  }

  /**
   * The ordinary edge map with the frame's brightest blob (a highlight) added as a wall, at each of
   * `glare_barrier_levels` (finder.py's _glare_barriers). Where a highlight crosses the card's edge,
   * paper and background are both washed out and the edge ring has a gap; walled off by the
   * highlight, the card's interior is an enclosed region again. Only added maps: a frame without a
   * highlight is found as before.
   */
  glareBarriers(luma, [edges, inset]) {
    const cv = this.cv, s = this.settings;
    const top = percentileByHistogram(luma.data, 99.5);
    const walls = [], glare = new cv.Mat();
    try {
      for (const level of s.glare_barrier_levels) {
        // luma >= floor on whole lumas is luma > ceil(floor) - 1: OpenCV's binary threshold.
        const floor = Math.max(level * top, s.min_glare_barrier_luma);
        cv.threshold(luma, glare, Math.ceil(floor) - 1, 255, cv.THRESH_BINARY);
        if (cv.countNonZero(glare) === 0) continue;
        const wall = new cv.Mat();
        cv.bitwise_or(edges, glare, wall);
        walls.push([wall, inset]);
      }
    } finally {
      glare.delete();
    }
    return walls;
  }

  /** Card outlines, best first (finder.py's _candidates). */
  candidates(small) {
    const cv = this.cv, s = this.settings;
    const width = small.cols, height = small.rows;
    let regions = [], outlines = [];
    const [maps, magnitude] = this.edges(small);
    const inverted = new cv.Mat(), hierarchy = new cv.Mat(), contours = new cv.MatVector();
    const gray = new cv.Mat(), ridge = new cv.Mat(), mask = cv.Mat.zeros(height, width, cv.CV_8U);
    try {
      for (const [edges, inset] of maps) {
        cv.bitwise_not(edges, inverted);
        cv.findContours(inverted, contours, hierarchy, cv.RETR_CCOMP, cv.CHAIN_APPROX_NONE);
        for (let i = 0; i < contours.size(); i++) {
          if (hierarchy.data32S[i * 4 + 3] !== -1) continue;
          const contour = contours.get(i);
          const judged = this.judge(contour, width, height, inset);
          contour.delete();
          if (judged) regions.push(judged);
        }
        cv.findContours(edges, contours, hierarchy, cv.RETR_EXTERNAL, cv.CHAIN_APPROX_NONE);
        for (let i = 0; i < contours.size(); i++) {
          const contour = contours.get(i);
          const judged = this.judge(contour, width, height, -inset);
          contour.delete();
          if (judged) outlines.push(judged);
        }
      }
      cv.cvtColor(small, gray, cv.COLOR_RGB2GRAY);
      const level = percentileByHistogram(gray.data, 75);
      const kernel = cv.Mat.ones(3, 3, cv.CV_8U);
      cv.dilate(magnitude, ridge, kernel, new cv.Point(-1, -1), 1, cv.BORDER_CONSTANT, cv.morphologyDefaultBorderValue());
      kernel.delete();
      const planes = { ridge: ridge.data32F, gray: gray.data, width, height };
      const brightAndWeighed = (candidates) => candidates.flatMap((candidate) => {
        const paper = this.paperLevel(gray, candidate.quad, mask);
        if (paper < s.min_card_brightness * level) return [];
        return [supported(candidate, planes, s.edge_support_paper * paper, s.edge_support_gradient)];
      });
      regions = brightAndWeighed(regions);
      outlines = brightAndWeighed(outlines);
      if (!regions.length && !outlines.length) {
        // No closed edge ring: four long straight edges may still outline a card (finder.py's fallback).
        return brightAndWeighed(this.lineCandidates(gray))
          .filter((c) => c.score >= s.min_line_support ** 2 * polygonArea(c.quad))
          .sort((a, b) => b.score - a.score).slice(0, 1);
      }
      const ranked = [];
      for (const best of [...regions, ...outlines].sort((a, b) => b.score - a.score)) {
        if (ranked.some((kept) => this.overlap(best.quad, kept.quad) > 0.85)) continue;
        const same = regions.filter((c) => this.overlap(c.quad, best.quad) > 0.85);
        ranked.push(same.length ? same.reduce((a, c) => (c.score > a.score ? c : a)) : best);
      }
      return ranked;
    } finally {
      maps.forEach(([m]) => m.delete());
      [magnitude, inverted, hierarchy, contours, gray, ridge, mask].forEach((m) => m.delete());
    }
  }

  /** Card-shaped quads wholly in the frame whose sides are long straight edges (finder.py's _line_candidates). */
  lineCandidates(gray) {
    const cv = this.cv, s = this.settings;
    const width = gray.cols, height = gray.rows, blurred = new cv.Mat();
    let quads;
    try {
      cv.GaussianBlur(gray, blurred, new cv.Size(5, 5), 0, 0, cv.BORDER_DEFAULT);
      quads = lineQuads(cv, blurred);
    } finally {
      blurred.delete();
    }
    return quads.flatMap((quad) => {
      const area = polygonArea(quad);
      if (!(s.min_card_area_fraction * width * height <= area && area <= 0.97 * width * height)) return [];
      if (touchingSides(quad, width, height, s.border_margin_px).size) return [];
      const aspect = trueAspectRatio(orderCorners(quad), [width, height]);
      if (!(s.min_aspect_ratio <= aspect && aspect <= s.max_aspect_ratio)) return [];
      if (cornerDeviationDeg(quad) > s.max_corner_deviation_deg) return [];
      return [{ quad, visibleArea: area, cutEdges: new Set(), score: area }];
    });
  }

  /** A candidate if `contour` outlines a card (maybe cut by the frame), else null (finder.py's _judge). */
  judge(contour, width, height, inset) {
    const cv = this.cv, s = this.settings;
    const rect = cv.boundingRect(contour);
    const frameArea = width * height;
    if (rect.width * rect.height < s.min_card_area_fraction * frameArea) return null;
    const hull = new cv.Mat();
    try {
      cv.convexHull(contour, hull, false, true);
      const hullArea = cv.contourArea(hull);
      if (hullArea < s.min_card_area_fraction * frameArea || hullArea > 0.97 * frameArea) return null;
      const margin = s.border_margin_px + Math.abs(inset);
      const touches = touchingSides(matPoints(hull), width, height, margin).size > 0;
      const solidity = cv.contourArea(contour) / Math.max(hullArea, 1e-6);
      if (solidity < (touches ? s.min_solidity_cut : s.min_solidity)) return null;
      let polygon = fourCorners(cv, hull);
      if (!polygon) return null;
      const border = [0, 1, 2, 3].map((i) => borderSide(polygon[i], polygon[(i + 1) % 4], width, height, margin));
      polygon = fitSides(cv, matPoints(contour), polygon, s.min_side_support, border.map((b) => b !== null), !touches);
      if (!polygon) return null;
      polygon = grow(polygon, inset);
      const cutSides = [0, 1, 2, 3].filter((i) => border[i] !== null);
      if (cutSides.length >= 3) return null;
      if (hullArea / Math.max(polygonArea(polygon), 1e-6) < s.min_quad_fill) return null;
      let quad = polygon;
      const cutEdges = new Set(cutSides.map((i) => border[i]));
      if (cutSides.length) {
        quad = extrapolate(polygon, cutSides);
        if (!quad) return null;
      }
      const aspect = trueAspectRatio(orderCorners(quad), [width, height]);
      if (!(s.min_aspect_ratio <= aspect && aspect <= s.max_aspect_ratio)) return null;
      if (cornerDeviationDeg(quad) > s.max_corner_deviation_deg) return null;
      touchingSides(quad, width, height, margin).forEach((side) => cutEdges.add(side));
      if (cutEdges.size >= 3) return null;
      if (cutEdges.size === 2 && (solidity < s.min_solidity_corner || aspect < s.min_aspect_ratio_corner)) return null;
      const quadArea = polygonArea(quad);
      if (cutEdges.size && quadArea > s.max_cut_card_area_fraction * frameArea) return null;
      const visibleArea = clippedArea(cv, quad, width, height);
      return { quad, visibleArea, cutEdges, score: quadArea * (cutEdges.size ? 0.35 : 1.0) };
    } finally {
      hull.delete();
    }
  }

  /** 75th percentile of the luma inside `quad` (histogram-based, like finder.py's _paper_level); `mask` is a blank 8-bit plane. */
  paperLevel(gray, quad, mask) {
    const cv = this.cv;
    const corners = cv.matFromArray(4, 1, cv.CV_32SC2, quad.flatMap(([x, y]) => [Math.trunc(x), Math.trunc(y)]));
    try {
      cv.fillConvexPoly(mask, corners, new cv.Scalar(1));
      // Only the quad's bounding box can be inside it.
      const xs = quad.map((p) => Math.trunc(p[0])), ys = quad.map((p) => Math.trunc(p[1]));
      const x0 = Math.max(0, Math.min(...xs)), x1 = Math.min(gray.cols - 1, Math.max(...xs));
      const y0 = Math.max(0, Math.min(...ys)), y1 = Math.min(gray.rows - 1, Math.max(...ys));
      const values = [];
      const m = mask.data, g = gray.data, width = gray.cols;
      for (let y = y0; y <= y1; y++) {
        for (let i = y * width + x0, end = y * width + x1; i <= end; i++) {
          if (m[i]) values.push(g[i]);
          m[i] = 0; // the mask is shared by the frame's candidates: leave it blank again
        }
      }
      return percentileByHistogram(values, 75);
    } finally {
      corners.delete();
    }
  }

  overlap(a, b) {
    const inter = intersectionArea(this.cv, a, b);
    const union = polygonArea(a) + polygonArea(b) - inter;
    return union > 0 ? inter / union : 0;
  }

  describe(pixels, quadIn, candidate, timestampS, visibleArea) {
    const cv = this.cv, s = this.settings;
    let quad = quadIn;
    const width = pixels.cols, height = pixels.rows;
    const aspect = trueAspectRatio(quad, [width, height]);
    let sizeMm = aspect < 1.5 ? ID3_MM : ID1_MM;
    let small = rectify(cv, pixels, quad, sizeMm, s.observe_px_per_mm);
    try {
      let [side, upsideDown, documentType] = detectSide(cv, small, sizeMm, s);
      if (side !== "mrz" && sizeMm === ID3_MM && aspect >= 1.3) {
        // A tilted ID-1 card can measure like an ID-3 page: its cues are looked for too. The emblem
        // in its corner is the more specific cue, so it wins over a "photo" seen where the emblem is.
        const other = rectify(cv, pixels, quad, ID1_MM, s.observe_px_per_mm);
        const found = detectSide(cv, other, ID1_MM, s);
        if (found[0] === "emblem" || (side === "unknown" && found[0] !== "unknown")) {
          small.delete();
          [sizeMm, small, [side, upsideDown, documentType]] = [ID1_MM, other, found];
        } else {
          other.delete();
        }
      }
      if (upsideDown) {
        quad = rotateQuad(quad);
        cv.flip(small, small, -1);
      }
      const layout = documentType ? LAYOUTS[documentType] : null;
      const [sharpness, glare, exposure] = qualityCues(cv, small, s, layout ? glareBoxes(layout) : [], sizeMm);
      const spot = glare > 0 ? glareSpot(cv, small, s) : null;
      const fullArea = polygonArea(quad);
      const [cx, cy] = centreOf(quad);
      return Object.freeze({
        found: true, frame_size: [width, height], timestamp_s: timestampS, quad,
        coverage: Math.min(1, visibleArea / (width * height)), center: [cx / width, cy / height],
        cut_edges: [...candidate.cutEdges].sort(), skew_deg: skewDeg(quad), tilt_deg: tiltDeg(quad),
        sharpness, glare_fraction: glare, exposure, side, upside_down: upsideDown,
        visible_fraction: Math.min(1, visibleArea / Math.max(fullArea, 1e-6)),
        document_type: documentType, aspect_ratio: aspect,
        glare_center: spot === null ? null : inFrame(cv, spot, quad, [small.cols, small.rows], [width, height]),
      });
    } finally {
      small.delete();
    }
  }
}

/** The fields of a "not found" observation besides size, time and exposure (Python's defaults). */
const EMPTY = Object.freeze({
  quad: null, coverage: 0, center: null, cut_edges: [], skew_deg: 0, tilt_deg: 0, sharpness: 0, glare_fraction: 0,
  side: "unknown", upside_down: false, visible_fraction: 0, document_type: null, aspect_ratio: 0, glare_center: null,
});

/** finder.py's _percentile_of: the first luma whose cumulative count reaches `percent` of the total. */
function percentileByHistogram(values, percent) {
  const counts = new Float64Array(256);
  for (let i = 0; i < values.length; i++) counts[values[i]]++;
  const target = (values.length * percent) / 100;
  if (!values.length) return 0;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += counts[v];
    if (seen >= target) return v;
  }
  return 256;
}

/** `candidate` with its score weighed by how card-like its visible sides are, squared (finder.py's _supported). */
function supported(candidate, { ridge, gray, width, height }, level, gradient) {
  const quad = candidate.quad;
  const [cx, cy] = centreOf(quad);
  const inward = Math.max(2, Math.max(...sideLengths(quad)) / 85);
  const steps = Array.from({ length: 24 }, (_, k) => Math.fround(0.1 + (0.8 * k) / 23));
  const values = [];
  for (let i = 0; i < 4; i++) {
    const a = quad[i], b = quad[(i + 1) % 4];
    const line = steps.map((t) => [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
    const points = line.map(([x, y]) => [roundHalfEven(x), roundHalfEven(y)]);
    const inside = points.map(([x, y]) => x >= 2 && x < width - 2 && y >= 2 && y < height - 2);
    if (inside.filter(Boolean).length / inside.length < 0.5) continue;
    let nx = a[1] - b[1], ny = b[0] - a[0];
    const norm = Math.max(Math.hypot(nx, ny), 1e-6);
    nx /= norm;
    ny /= norm;
    if ((cx - a[0]) * nx + (cy - a[1]) * ny < 0) { nx = -nx; ny = -ny; }
    let sum = 0, count = 0;
    line.forEach(([x, y], k) => {
      if (!inside[k]) return;
      const ix = Math.min(Math.max(roundHalfEven(x + inward * nx), 0), width - 1);
      const iy = Math.min(Math.max(roundHalfEven(y + inward * ny), 0), height - 1);
      const [px, py] = points[k];
      const edge = Math.min(ridge[py * width + px] / gradient, 1);
      sum += gray[iy * width + ix] >= level ? edge : 0;
      count++;
    });
    values.push(sum / count);
  }
  const support = values.length ? values.reduce((s, v) => s + v, 0) / values.length : 0;
  return { ...candidate, score: candidate.score * support * support };
}

/** A point on the upright rectified card (fractions of its size) in the frame, as fractions of the frame's size. */
function inFrame(cv, [u, v], quad, [cardW, cardH], [frameW, frameH]) {
  const matrix = homographyTo(cv, quad, [cardW, cardH]), inverse = new cv.Mat();
  try {
    cv.invert(matrix, inverse, cv.DECOMP_LU);
    const h = inverse.data64F, x = u * cardW, y = v * cardH;
    const w = h[6] * x + h[7] * y + h[8];
    return [(h[0] * x + h[1] * y + h[2]) / w / frameW, (h[3] * x + h[4] * y + h[5]) / w / frameH];
  } finally {
    matrix.delete();
    inverse.delete();
  }
}

/** A ready card finder (loads the vendored OpenCV.js once). */
export async function createCardFinder({ vendorUrl = VENDOR_URL, settings = DOCUMENT_SETTINGS } = {}) {
  return new CardFinder(await loadOpenCv(vendorUrl), settings);
}
