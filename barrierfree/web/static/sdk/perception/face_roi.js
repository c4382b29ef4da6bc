/**
 * MediaPipe's face-mesh region logic, in plain JavaScript (no engine): where the landmark model
 * looks in each frame. A port, written from reading the graphs of the mediapipe 0.10.21 wheel that
 * Python runs (face_landmark_front_cpu: face_detection_short_range, face_detection_front_detection_to_roi,
 * face_landmark_landmarks_to_roi, face_landmark_cpu) and the calculators they name. The landmark
 * model's answer depends on the crop it is given (benchmarks/face_crop_sensitivity.py: up to 6.9°
 * of pitch), so the JS engine must crop where Python crops: the detector's box on the first frame or
 * when a face is lost, then the box from the previous frame's landmarks.
 *
 * Rects are MediaPipe's NormalizedRect: centre (x, y), size (w, h) as fractions of the frame, and a
 * rotation in radians. Detections are relative boxes with keypoints, as the detector decodes them.
 */

/** The short-range detector's options (face_detection_short_range.pbtxt, face_detection.pbtxt). */
export const DETECTOR = Object.freeze({
  inputSize: 128, strides: [8, 16, 16, 16], anchorsPerLayer: 2, anchorOffset: 0.5,
  numBoxes: 896, numCoords: 16, numKeypoints: 6, coordScale: 128,
  scoreClip: 100, minScore: 0.5, minSuppressionIou: 0.3,
});
/** The landmark model's options (face_landmark_cpu.pbtxt) and its presence threshold (Python's min_tracking_confidence). */
export const LANDMARKS = Object.freeze({ inputSize: 192, count: 468, minPresence: 0.5 });
/** ROI from a detection: keypoints 0 (right eye) and 1 (left eye) set the rotation; long side squared, x1.5. */
export const DETECTION_ROI = Object.freeze({ startKeypoint: 0, endKeypoint: 1, scale: 1.5 });
/** ROI from landmarks: outer eye corners 33 and 263 set the rotation; long side squared, x1.5. */
export const LANDMARK_ROI = Object.freeze({ startKeypoint: 33, endKeypoint: 263, scale: 1.5 });
/** A tracked rect replaces a fresh detection whose box overlaps it by more than this IoU. */
export const ASSOCIATION_MIN_IOU = 0.5;

/** Angle wrapped into [-pi, pi) (MediaPipe's NormalizeRadians). */
export function normalizeRadians(angle) {
  return angle - 2 * Math.PI * Math.floor((angle + Math.PI) / (2 * Math.PI));
}

/** The SSD anchor centres (x, y in 0..1) of the short-range detector; all anchors are 1x1 (fixed size). */
export function detectorAnchors(options = DETECTOR) {
  const anchors = [];
  const { strides, inputSize, anchorOffset, anchorsPerLayer } = options;
  let layer = 0;
  while (layer < strides.length) {
    let last = layer;
    while (last < strides.length && strides[last] === strides[layer]) last++;
    const perCell = anchorsPerLayer * (last - layer); // layers of one stride share the grid
    const size = Math.ceil(inputSize / strides[layer]);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let k = 0; k < perCell; k++) anchors.push([(x + anchorOffset) / size, (y + anchorOffset) / size]);
      }
    }
    layer = last;
  }
  return anchors;
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

/** Detections from the detector's raw outputs (896x16 regressors, 896 scores), in the 128x128 tensor's frame. */
export function decodeDetections(boxes, scores, anchors, options = DETECTOR) {
  const { numCoords, numKeypoints, coordScale: s, scoreClip, minScore } = options;
  const found = [];
  for (let i = 0; i < anchors.length; i++) {
    const score = sigmoid(Math.max(-scoreClip, Math.min(scoreClip, scores[i])));
    if (score < minScore) continue;
    const o = i * numCoords;
    const [ax, ay] = anchors[i];
    const xc = boxes[o] / s + ax, yc = boxes[o + 1] / s + ay;
    const w = boxes[o + 2] / s, h = boxes[o + 3] / s;
    if (!(w >= 0) || !(h >= 0)) continue;
    const keypoints = [];
    for (let k = 0; k < numKeypoints; k++) keypoints.push([boxes[o + 4 + 2 * k] / s + ax, boxes[o + 5 + 2 * k] / s + ay]);
    found.push({ score, xmin: xc - w / 2, ymin: yc - h / 2, width: w, height: h, keypoints });
  }
  return found;
}

/** Intersection over union of two axis-aligned boxes {xmin, ymin, width, height}. */
export function iou(a, b) {
  const x0 = Math.max(a.xmin, b.xmin), y0 = Math.max(a.ymin, b.ymin);
  const x1 = Math.min(a.xmin + a.width, b.xmin + b.width), y1 = Math.min(a.ymin + a.height, b.ymin + b.height);
  if (x1 <= x0 || y1 <= y0) return 0;
  const inter = (x1 - x0) * (y1 - y0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Weighted non-maximum suppression (MediaPipe's WEIGHTED algorithm): the best remaining detection
 * absorbs every one overlapping it by more than `minIou`, its box and keypoints becoming their
 * score-weighted mean; its score stays its own.
 */
export function weightedNms(detections, minIou = DETECTOR.minSuppressionIou) {
  let remaining = [...detections].sort((a, b) => b.score - a.score);
  const out = [];
  while (remaining.length) {
    const top = remaining[0];
    const candidates = [], rest = [];
    for (const d of remaining) (iou(d, top) > minIou ? candidates : rest).push(d);
    let total = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    const keypoints = top.keypoints.map(() => [0, 0]);
    for (const c of candidates) {
      total += c.score;
      x0 += c.xmin * c.score; y0 += c.ymin * c.score;
      x1 += (c.xmin + c.width) * c.score; y1 += (c.ymin + c.height) * c.score;
      c.keypoints.forEach(([x, y], k) => { keypoints[k][0] += x * c.score; keypoints[k][1] += y * c.score; });
    }
    const xmin = x0 / total, ymin = y0 / total;
    out.push({
      score: top.score, xmin, ymin, width: x1 / total - xmin, height: y1 / total - ymin,
      keypoints: keypoints.map(([x, y]) => [x / total, y / total]),
    });
    if (rest.length === remaining.length) break;
    remaining = rest;
  }
  return out;
}

/**
 * The letterbox the detector's input adds (keep_aspect_ratio): the frame's ROI grown to the tensor's
 * aspect ratio, centred. Returns the padded ROI in pixels {cx, cy, w, h}.
 */
export function letterboxRoi(width, height, tensorSize = DETECTOR.inputSize) {
  const tensorAspect = tensorSize / tensorSize, roiAspect = height / width;
  return tensorAspect > roiAspect
    ? { cx: width / 2, cy: height / 2, w: width, h: width * tensorAspect }
    : { cx: width / 2, cy: height / 2, w: height / tensorAspect, h: height };
}

/** A detection from the letterboxed tensor's frame back to the frame's (DetectionProjectionCalculator, no rotation). */
export function projectDetection(d, padded, width, height) {
  const px = (x) => (padded.w * x - padded.w / 2 + padded.cx) / width;
  const py = (y) => (padded.h * y - padded.h / 2 + padded.cy) / height;
  const xmin = px(d.xmin), ymin = py(d.ymin);
  return {
    score: d.score, xmin, ymin, width: px(d.xmin + d.width) - xmin, height: py(d.ymin + d.height) - ymin,
    keypoints: d.keypoints.map(([x, y]) => [px(x), py(y)]),
  };
}

/**
 * DetectionsToRects (rotation from two keypoints) then RectTransformation (square on the long side
 * in pixels, scaled): the ROI the landmark model is run on.
 */
function roiFromBox(box, keypoints, spec, width, height) {
  const [x0, y0] = keypoints[spec.startKeypoint], [x1, y1] = keypoints[spec.endKeypoint];
  const rotation = normalizeRadians(0 - Math.atan2(-(y1 - y0) * height, (x1 - x0) * width));
  const longSide = Math.max(box.width * width, box.height * height);
  return {
    x: box.xmin + box.width / 2, y: box.ymin + box.height / 2,
    w: (longSide / width) * spec.scale, h: (longSide / height) * spec.scale, rotation,
  };
}

/** The landmark ROI for a detection (face_detection_front_detection_to_roi). */
export function roiFromDetection(detection, width, height) {
  return roiFromBox(detection, detection.keypoints, DETECTION_ROI, width, height);
}

/** The next frame's ROI from a face's normalised landmarks [[x, y, z], ...] (face_landmark_landmarks_to_roi). */
export function roiFromLandmarks(landmarks, width, height) {
  let xmin = Infinity, ymin = Infinity, xmax = -Infinity, ymax = -Infinity;
  for (const [x, y] of landmarks) {
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  const box = { xmin, ymin, width: xmax - xmin, height: ymax - ymin };
  return roiFromBox(box, landmarks, LANDMARK_ROI, width, height);
}

const rectBox = (r) => ({ xmin: r.x - r.w / 2, ymin: r.y - r.h / 2, width: r.w, height: r.h });

/**
 * AssociationNormRectCalculator: the detections' rects, then the tracked ones; each rect added drops
 * every earlier one it overlaps by more than `minIou` (rotation ignored), so a tracked face keeps its
 * own rect and a detection of it is dropped.
 */
export function associate(fromDetections, tracked, minIou = ASSOCIATION_MIN_IOU) {
  const out = [];
  for (const rect of [...fromDetections, ...tracked]) {
    const box = rectBox(rect);
    for (let i = out.length - 1; i >= 0; i--) if (iou(box, rectBox(out[i])) > minIou) out.splice(i, 1);
    out.push(rect);
  }
  return out;
}

/**
 * The four corners of a rotated rect in pixels, in OpenCV's boxPoints order (bottom-left, top-left,
 * top-right, bottom-right for no rotation): the source of ImageToTensor's perspective warp.
 */
export function roiCorners(rect, width, height) {
  const cx = rect.x * width, cy = rect.y * height, w = rect.w * width, h = rect.h * height;
  const b = Math.cos(rect.rotation) * 0.5, a = Math.sin(rect.rotation) * 0.5;
  const p0 = [cx - a * h - b * w, cy + b * h - a * w];
  const p1 = [cx + a * h - b * w, cy - b * h - a * w];
  return [p0, p1, [2 * cx - p0[0], 2 * cy - p0[1]], [2 * cx - p1[0], 2 * cy - p1[1]]];
}

/**
 * The landmark model's output (x, y, z per point in the 192-pixel crop) in the frame, normalised
 * (LandmarkProjectionCalculator with a rect and no image size: rotation in normalised units, z
 * scaled by the rect's width, as MediaPipe does).
 */
export function projectLandmarks(raw, rect, count = LANDMARKS.count, size = LANDMARKS.inputSize) {
  const cos = Math.cos(rect.rotation), sin = Math.sin(rect.rotation);
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    const x = raw[3 * i] / size - 0.5, y = raw[3 * i + 1] / size - 0.5;
    out[i] = [
      (cos * x - sin * y) * rect.w + rect.x,
      (sin * x + cos * y) * rect.h + rect.y,
      (raw[3 * i + 2] / size) * rect.w,
    ];
  }
  return out;
}

/** Whether the landmark model saw a face in its crop (sigmoid of its flag above the threshold). */
export function facePresent(flag, minPresence = LANDMARKS.minPresence) {
  return sigmoid(flag) > minPresence;
}
