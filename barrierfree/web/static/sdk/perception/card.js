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
import { EdgePlanes, percentileByHistogram, percentileOfCounts } from "./card_edges.js";
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
  dim_frame_luma: 160.0, min_edge_threshold_scale: 0.5, min_sure_support: 0.9,
});

/**
 * Whether an outline measured like an ID-3 page is told by its ID-1 (resident card) cues instead
 * (finder.py's _card_cues_win): the emblem is the more specific cue; a card's number row can fill a
 * page's MRZ band, and the card then has its photo at the same end as that band's way up, whereas a
 * passport page's photo is where a card turned the other way has its photo; otherwise the card's
 * cues decide where the page's found nothing.
 */
const cardCuesWin = (side, upsideDown, card) => side === "mrz"
  ? card[0] === "portrait" && card[1] === upsideDown
  : card[0] === "emblem" || (side === "unknown" && card[0] !== "unknown");

/** The card finder: stateless apart from its settings. */
export class CardFinder {
  constructor(cv, settings = DOCUMENT_SETTINGS) {
    this.cv = cv;
    this.settings = settings;
    this.planes = null; // scratch planes, reused frame after frame (card_edges.js)
  }

  /** What the camera sees of a card in an RGBA ImageData (or {data, width, height}) frame. */
  observe(imageData, timestampS = null) {
    const cv = this.cv;
    const rgba = cv.matFromImageData(imageData);
    try {
      const width = rgba.cols, height = rgba.rows;
      const scale = Math.min(1, this.settings.finder_width_px / width);
      const planes = scale < 1
        ? this.planesFor(Math.max(16, roundHalfEven(width * scale)), Math.max(16, roundHalfEven(height * scale)))
        : this.planesFor(width, height);
      const small = planes.small;
      if (scale < 1) {
        // Made RGB, then shrunk (INTER_AREA works per channel, so the pixels are the same either way):
        // shrinking three channels instead of four saves more than converting the full frame costs.
        cv.cvtColor(rgba, planes.rgb, cv.COLOR_RGBA2RGB);
        cv.resize(planes.rgb, small, planes.size, 0, 0, cv.INTER_AREA);
      } else {
        cv.cvtColor(rgba, small, cv.COLOR_RGBA2RGB);
      }
      const found = this.candidates(small, planes);
      if (!found.length) {
        return Object.freeze({ found: false, frame_size: [width, height], timestamp_s: timestampS, exposure: cv.mean(small).slice(0, 3).reduce((s, v) => s + v, 0) / 3 / 255, ...EMPTY });
      }
      const best = found[0];
      const quad = orderCorners(best.quad.map(([x, y]) => [x / scale, y / scale]));
      return this.describe(rgba, quad, best, timestampS, best.visibleArea / (scale * scale));
    } finally {
      rgba.delete();
    }
  }

  /** The scratch planes for a shrunk frame of width × height, kept while the frames keep that size. */
  planesFor(width, height) {
    if (!this.planes?.fits(width, height)) {
      this.close();
      this.planes = new EdgePlanes(this.cv, width, height, this.settings.glare_barrier_levels);
    }
    return this.planes;
  }

  /** Frees the scratch planes (the next frame allocates them again). */
  close() {
    this.planes?.delete();
    this.planes = null;
  }

  /** Card outlines, best first (finder.py's _candidates). */
  candidates(small, planes) {
    const cv = this.cv, s = this.settings;
    const { mask, gray } = planes;
    planes.gradient(small);
    cv.cvtColor(small, gray, cv.COLOR_RGB2GRAY);
    const level = percentileByHistogram(gray.data, 75);
    const weigh = (candidates) => candidates.flatMap((candidate) => {
      const paper = this.paperLevel(gray, candidate.quad, mask);
      if (paper < s.min_card_brightness * level) return [];
      // Views taken now: judging contours may have grown the WebAssembly heap, which detaches older ones.
      const views = { ridge: planes.ridge.data32F, gray: gray.data, width: small.cols, height: small.rows };
      return [supported(candidate, views, s.edge_support_paper * paper, s.edge_support_gradient)];
    });
    const [regions, outlines, sure] = this.search(planes, planes.edgeMaps(s), weigh);
    if (!regions.length && !outlines.length) {
      // No closed edge ring: four long straight edges may still outline a card (finder.py's fallback),
      // before the dim maps, which may close a ring open at a white cup's rim along the rim instead.
      const lined = weigh(this.lineCandidates(gray))
        .filter((c) => c.score >= s.min_line_support ** 2 * polygonArea(c.quad))
        .sort((a, b) => b.score - a.score).slice(0, 1);
      if (lined.length) return lined;
    }
    if (!sure) {
      // A dim frame's maps at lowered thresholds (a dim card on a pale page), ranked with the others;
      // only where the ordinary maps found no card the finder is sure of (finder.py).
      const [dimRegions, dimOutlines] = this.search(planes, planes.dimEdges(s), weigh, false);
      regions.push(...dimRegions);
      outlines.push(...dimOutlines);
    }
    return this.ranked(regions, outlines);
  }

  /**
   * Regions and outlines (bright and weighed by `weigh`) of the edge maps, one map after the other
   * until one encloses a card the finder is sure of (when `stopWhenSure`): [regions, outlines, sure]
   * (finder.py's _search and _enclosed).
   */
  search(planes, maps, weigh, stopWhenSure = true) {
    const cv = this.cv, s = this.settings;
    const { contours, hierarchy, inverted } = planes;
    const width = planes.width, height = planes.height;
    // A closed chain of N pixels spans at most N / 2 + 1 pixels either way, so a contour of fewer
    // points than this has a bounding box under the smallest card: judge() would refuse it at once.
    const minPoints = 2 * (Math.sqrt(s.min_card_area_fraction * width * height) - 1);
    const judged = (image, mode, inset) => {
      cv.findContours(image, contours, hierarchy, mode, cv.CHAIN_APPROX_NONE);
      const count = contours.size(), found = [];
      const links = count && mode === cv.RETR_CCOMP ? hierarchy.data32S.slice() : null; // a copy: judging may grow the heap
      for (let i = 0; i < count; i++) {
        if (links && links[i * 4 + 3] !== -1) continue;
        const contour = contours.get(i);
        const candidate = contour.rows >= minPoints ? this.judge(contour, width, height, inset) : null;
        contour.delete();
        if (candidate) found.push(candidate);
      }
      return found;
    };
    const regions = [], outlines = [];
    for (const [edges, inset] of maps) {
      cv.bitwise_not(edges, inverted);
      const found = weigh(judged(inverted, cv.RETR_CCOMP, inset));
      regions.push(...found);
      outlines.push(...weigh(judged(edges, cv.RETR_EXTERNAL, -inset)));
      // A card whose enclosed region is traced this well all round: the fainter maps would find it
      // again, smaller (their wider edges eat into it), and the ranking would keep this one.
      if (stopWhenSure && found.some((c) => c.support >= s.min_sure_support && !c.cutEdges.size)) return [regions, outlines, true];
    }
    return [regions, outlines, false];
  }

  /** The candidates, one per card, best first (finder.py's _ranked). */
  ranked(regions, outlines) {
    const ranked = [];
    for (const best of [...regions, ...outlines].sort((a, b) => b.score - a.score)) {
      if (ranked.some((kept) => this.overlap(best.quad, kept.quad) > 0.85)) continue;
      const same = regions.filter((c) => this.overlap(c.quad, best.quad) > 0.85);
      ranked.push(same.length ? same.reduce((a, c) => (c.score > a.score ? c : a)) : best);
    }
    return ranked;
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
    const area = cv.contourArea(contour);
    // Too little inside for the least solid card of the smallest size (cheaper than its hull).
    if (area < Math.min(s.min_solidity, s.min_solidity_cut) * s.min_card_area_fraction * frameArea) return null;
    const hull = new cv.Mat();
    try {
      cv.convexHull(contour, hull, false, true);
      const hullArea = cv.contourArea(hull);
      if (hullArea < s.min_card_area_fraction * frameArea || hullArea > 0.97 * frameArea) return null;
      const margin = s.border_margin_px + Math.abs(inset);
      const touches = touchingSides(matPoints(hull), width, height, margin).size > 0;
      const solidity = area / Math.max(hullArea, 1e-6);
      if (solidity < (touches ? s.min_solidity_cut : s.min_solidity)) return null;
      let polygon = fourCorners(cv, hull);
      if (!polygon) return null;
      const border = [0, 1, 2, 3].map((i) => borderSide(polygon[i], polygon[(i + 1) % 4], width, height, margin));
      polygon = fitSides(cv, contour.data32S.slice(), polygon, s.min_side_support, border.map((b) => b !== null), !touches);
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
      const counts = new Float64Array(256);
      let total = 0;
      const m = mask.data, g = gray.data, width = gray.cols;
      for (let y = y0; y <= y1; y++) {
        for (let i = y * width + x0, end = y * width + x1; i <= end; i++) {
          if (m[i]) { counts[g[i]]++; total++; }
          m[i] = 0; // the mask is shared by the frame's candidates: leave it blank again
        }
      }
      return percentileOfCounts(counts, total, 75);
    } finally {
      corners.delete();
    }
  }

  overlap(a, b) {
    const inter = intersectionArea(this.cv, a, b);
    const union = polygonArea(a) + polygonArea(b) - inter;
    return union > 0 ? inter / union : 0;
  }

  /** The card inside `quad` of the RGBA frame warped to its printed shape (geometry.rectify), as RGB. */
  rectifyRgb(rgba, quad, sizeMm) {
    const cv = this.cv;
    const warped = rectify(cv, rgba, quad, sizeMm, this.settings.observe_px_per_mm), card = new cv.Mat();
    try {
      cv.cvtColor(warped, card, cv.COLOR_RGBA2RGB);
      return card;
    } finally {
      warped.delete();
    }
  }

  describe(rgba, quadIn, candidate, timestampS, visibleArea) {
    const cv = this.cv, s = this.settings;
    let quad = quadIn;
    const width = rgba.cols, height = rgba.rows;
    const aspect = trueAspectRatio(quad, [width, height]);
    let sizeMm = aspect < 1.5 ? ID3_MM : ID1_MM;
    let small = this.rectifyRgb(rgba, quad, sizeMm);
    try {
      let [side, upsideDown, documentType] = detectSide(cv, small, sizeMm, s);
      if (sizeMm === ID3_MM && aspect >= 1.3) {
        // A tilted ID-1 card can measure like an ID-3 page: its cues are looked for too (finder.py's _card_cues_win).
        const other = this.rectifyRgb(rgba, quad, ID1_MM);
        const found = detectSide(cv, other, ID1_MM, s);
        if (cardCuesWin(side, upsideDown, found)) {
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
  return { ...candidate, score: candidate.score * support * support, support };
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
