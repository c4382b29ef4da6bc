/**
 * Cheap cues on a small rectified card (RGB cv.Mat at a few px/mm): which side is up, and image
 * quality. Ported from barrierfree/vision/card/side.py and layouts.py; no OCR.
 */
import { roundHalfEven } from "./card_geometry.js";

/** Printed sizes, millimetres (width, height). */
export const ID1_MM = Object.freeze([85.6, 53.98]);
export const ID3_MM = Object.freeze([125.0, 88.0]);

/** Boxes (x0, y0, x1, y1) in mm from the top-left corner, as layouts.py. */
export const LAYOUTS = Object.freeze({
  cn_resident_id_front: { size: ID1_MM, portrait: [55.0, 4.5, 82.5, 40.5], text: [3.0, 3.0, 55.0, 51.0], number: [24.5, 42.0, 84.0, 52.5] },
  cn_resident_id_back: { size: ID1_MM, emblem: [5.0, 4.0, 23.0, 22.0], text: [12.0, 36.0, 80.0, 52.0] },
  mrz_td1: { size: ID1_MM, mrz: [2.0, 37.0, 83.6, 53.0], text: [2.0, 37.0, 83.6, 53.0] },
  mrz_td2: { size: [105.0, 74.0], portrait: [4.0, 10.0, 31.0, 44.0], mrz: [2.0, 59.0, 103.0, 73.0], text: [2.0, 59.0, 103.0, 73.0] },
  mrz_td3: { size: ID3_MM, portrait: [4.0, 10.0, 37.0, 52.0], mrz: [2.0, 72.0, 123.0, 87.0], text: [2.0, 72.0, 123.0, 87.0] },
});

/** Where glare spoils a reading or the face match: the text, the number and the photo. */
export const glareBoxes = (layout) => [layout.text, layout.number, layout.portrait].filter(Boolean);

const round6 = (v) => Math.round(v * 1e6) / 1e6;
/** The same box on a card turned by 180 degrees. */
export const mirrored = ([x0, y0, x1, y1], [w, h]) => [round6(w - x1), round6(h - y1), round6(w - x0), round6(h - y0)];

/** A plain view of a cv.Mat's pixels: {data, width, height, channels}. */
export const view = (mat) => ({ data: mat.data, width: mat.cols, height: mat.rows, channels: mat.channels() });

/** The pixel rectangle (x0, y0, x1, y1) a mm box covers on `image`, clipped as numpy slicing does. */
function cropRect(image, [x0, y0, x1, y1], sizeMm) {
  const sx = image.width / sizeMm[0], sy = image.height / sizeMm[1];
  const clip = (v, n) => Math.min(Math.max(v < 0 ? n + v : v, 0), n);
  return [clip(Math.max(0, roundHalfEven(x0 * sx)), image.width), clip(Math.max(0, roundHalfEven(y0 * sy)), image.height),
    clip(roundHalfEven(x1 * sx), image.width), clip(roundHalfEven(y1 * sy), image.height)];
}

/** Luma of an RGB view (cv2's RGB2GRAY weights, rounded as OpenCV does for uint8). */
export function greyOf(cv, rgb) {
  const grey = new cv.Mat();
  cv.cvtColor(rgb, grey, cv.COLOR_RGB2GRAY);
  return grey;
}

/** numpy.percentile (linear interpolation) of uint8 values, from their histogram. */
export function percentileU8(values, percent) {
  const counts = new Uint32Array(256);
  for (let i = 0; i < values.length; i++) counts[values[i]]++;
  const rank = ((values.length - 1) * percent) / 100;
  const lowRank = Math.floor(rank), highRank = Math.min(lowRank + 1, values.length - 1);
  let seen = 0, low = null, high = null;
  for (let v = 0; v < 256 && high === null; v++) {
    seen += counts[v];
    if (low === null && seen > lowRank) low = v;
    if (seen > highRank) high = v;
  }
  return low + (high - low) * (rank - lowRank);
}

function paperLevel(grey) {
  return Math.max(percentileU8(grey.data, 90), 40);
}

/**
 * How many text rows in `rect` have ink in at least 85% of `bins` columns (side.py's _full_width_rows).
 * A row is a run of 2 to `maxLinePx` pixel rows: a taller run is a photo or a band the paper level
 * makes look inked (a highlight elsewhere on the card), no MRZ line.
 */
function fullWidthRows(grey, rect, paper, bins, maxLinePx) {
  const [x0, y0, x1, y1] = rect;
  const width = x1 - x0, height = y1 - y0;
  if (width <= 0 || height <= 0 || width < bins) return 0;
  const per = Math.floor(width / bins);
  let rows = 0, run = 0;
  for (let y = 0; y <= height; y++) {
    let full = false;
    if (y < height) {
      let inked = 0;
      for (let b = 0; b < bins; b++) {
        const start = (y0 + y) * grey.width + x0 + b * per;
        for (let k = 0; k < per; k++) if (grey.data[start + k] < 0.8 * paper) { inked++; break; }
      }
      full = inked / bins >= 0.85;
    }
    if (full) run++;
    else { if (run >= 2 && run <= maxLinePx) rows++; run = 0; }
  }
  return rows;
}

/** Share of a rectangle of an RGB view where `test(r, g, b)` holds. */
function share(rgb, [x0, y0, x1, y1], test) {
  const count = (x1 - x0) * (y1 - y0);
  if (count <= 0) return 0;
  let hits = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * rgb.width + x) * 3;
      if (test(rgb.data[i], rgb.data[i + 1], rgb.data[i + 2])) hits++;
    }
  }
  return hits / count;
}

const f32 = Math.fround;
const emblemFraction = (rgb, rect, paper) => share(rgb, rect, (r, g, b) => f32(r - b) > f32(0.45 * paper) && r >= g);
const photoFraction = (rgb, rect, paper) => share(rgb, rect, (r, g, b) => {
  const grey = f32(f32(f32(r + g) + b) / 3);
  return grey < 0.72 * paper || Math.max(r, g, b) - Math.min(r, g, b) > 0.3 * paper;
});

function portraitSide(rgb, sizeMm, paper, settings) {
  const id1 = sizeMm === ID1_MM;
  const box = LAYOUTS[id1 ? "cn_resident_id_front" : "mrz_td3"].portrait;
  const upright = photoFraction(rgb, cropRect(rgb, box, sizeMm), paper);
  const turned = photoFraction(rgb, cropRect(rgb, mirrored(box, sizeMm), sizeMm), paper);
  const high = Math.max(upright, turned), low = Math.min(upright, turned);
  if ((high >= settings.min_portrait_fraction && high - low > 0.15)
      || (id1 && high >= settings.min_portrait_fraction_lone && low <= 0.25 * high)) return turned > upright;
  return null;
}

/**
 * A washed-out emblem (side.py's _faded_emblem): red minus blue relative to the pixel's own red,
 * asked only when no cue decided, on a card whose photo boxes hold no photo; true when it is in the
 * turned box, false in the upright one, null in neither.
 */
function fadedEmblem(rgb, paper, s) {
  const portrait = LAYOUTS.cn_resident_id_front.portrait, emblem = LAYOUTS.cn_resident_id_back.emblem;
  const photo = Math.max(...[portrait, mirrored(portrait, ID1_MM)].map((box) => photoFraction(rgb, cropRect(rgb, box, ID1_MM), paper)));
  if (photo > s.max_faded_emblem_photo_fraction) return null;
  const chroma = f32(s.faded_emblem_chroma);
  const warm = (box) => share(rgb, cropRect(rgb, box, ID1_MM), (r, g, b) => r - b > f32(chroma * r) && r >= g && r - b > s.faded_emblem_min_warmth);
  const upright = warm(emblem), turned = warm(mirrored(emblem, ID1_MM));
  const high = Math.max(upright, turned), low = Math.min(upright, turned);
  return high >= s.min_faded_emblem_fraction && low <= 0.25 * high ? turned > upright : null;
}

/** [side, upsideDown, documentType] of a rectified RGB card Mat; ["unknown", false, null] when unsure. */
export function detectSide(cv, card, sizeMm, settings) {
  const greyMat = greyOf(cv, card);
  try {
    const grey = view(greyMat), rgb = view(card);
    const paper = paperLevel(grey);
    const id1 = sizeMm === ID1_MM;
    const mrzType = id1 ? "mrz_td1" : "mrz_td3";
    const mrz = LAYOUTS[mrzType].mrz;
    const maxLinePx = (settings.max_mrz_line_mm * grey.height) / sizeMm[1];
    for (const [upsideDown, box] of [[false, mrz], [true, mirrored(mrz, sizeMm)]]) {
      if (fullWidthRows(grey, cropRect(grey, box, sizeMm), paper, id1 ? 30 : 36, maxLinePx) >= 2) {
        if (!(id1 && portraitSide(rgb, sizeMm, paper, settings) !== null)) return ["mrz", upsideDown, mrzType];
      }
    }
    if (id1) {
      const emblem = LAYOUTS.cn_resident_id_back.emblem;
      const upright = emblemFraction(rgb, cropRect(rgb, emblem, sizeMm), paper);
      const turned = emblemFraction(rgb, cropRect(rgb, mirrored(emblem, sizeMm), sizeMm), paper);
      if (Math.max(upright, turned) >= settings.min_emblem_fraction) return ["emblem", turned > upright, "cn_resident_id_back"];
    }
    const found = portraitSide(rgb, sizeMm, paper, settings);
    if (found !== null) return ["portrait", found, id1 ? "cn_resident_id_front" : mrzType];
    const turnedEmblem = id1 ? fadedEmblem(rgb, paper, settings) : null;
    if (turnedEmblem !== null) return ["emblem", turnedEmblem, "cn_resident_id_back"];
    return ["unknown", false, null];
  } finally {
    greyMat.delete();
  }
}

/** [sharpness, glareFraction, exposure] of an upright rectified RGB card Mat (see side.py's quality_cues). */
export function qualityCues(cv, card, settings, boxes, sizeMm) {
  const greyMat = greyOf(cv, card), laplace = new cv.Mat(), mean = new cv.Mat(), std = new cv.Mat();
  try {
    cv.Laplacian(greyMat, laplace, cv.CV_64F);
    cv.meanStdDev(laplace, mean, std);
    const grey = view(greyMat);
    const rects = boxes.length ? boxes.map((box) => cropRect(grey, box, sizeMm)) : [[0, 0, grey.width, grey.height]];
    let glare = 0;
    for (const [x0, y0, x1, y1] of rects) {
      if (x1 <= x0 || y1 <= y0) continue;
      let hits = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (grey.data[y * grey.width + x] >= settings.glare_luma) hits++;
      glare = Math.max(glare, hits / ((x1 - x0) * (y1 - y0)));
    }
    let sum = 0;
    for (let i = 0; i < grey.data.length; i++) sum += grey.data[i];
    return [std.data64F[0] ** 2, glare, sum / grey.data.length / 255];
  } finally {
    [greyMat, laplace, mean, std].forEach((m) => m.delete());
  }
}

/** Where the glare is on an upright rectified card, as fractions of its width and height; null when none. */
export function glareSpot(cv, card, settings) {
  const greyMat = greyOf(cv, card);
  try {
    const { data, width, height } = view(greyMat);
    let n = 0, sx = 0, sy = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) if (data[y * width + x] >= settings.glare_luma) { n++; sx += x; sy += y; }
    }
    return n ? [(sx / n + 0.5) / width, (sy / n + 0.5) / height] : null;
  } finally {
    greyMat.delete();
  }
}
