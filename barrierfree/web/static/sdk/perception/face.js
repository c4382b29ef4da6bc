/**
 * The face in each camera frame, on the device: the same FaceObservation as Python's FaceAnalyzer
 * (barrierfree/vision/face/analyzer.py), from MediaPipe's face mesh (478 refined landmarks) run on
 * the CPU in WebAssembly (face_cpu.js: the wheel's models, MediaPipe's region logic ported).
 *
 * Fields keep the Python names so that one JSON shape serves both engines and the guidance policy:
 * geometry in the frame as captured (pixels, origin top-left, not mirrored); head pose from
 * cv.solvePnP (SQPnP, as in Python) of 14 landmarks against the same canonical head with a
 * pinhole camera whose focal length is the frame width; eye and mouth openness; sharpness
 * (Laplacian variance) and exposure (mean luma) on the face box shrunk to at most 128 px wide.
 * The conformance test (tests/web/test_perception_conformance.py) holds the two engines together.
 */
import { createCpuFaceMesh } from "./face_cpu.js";

/** Landmark indices of the refined mesh (image left = the person's right), as in analyzer.py. */
export const LANDMARK = Object.freeze({
  RIGHT_EYE_OUTER: 33, RIGHT_EYE_INNER: 133, RIGHT_EYE_UPPER: 159, RIGHT_EYE_LOWER: 145,
  LEFT_EYE_OUTER: 263, LEFT_EYE_INNER: 362, LEFT_EYE_UPPER: 386, LEFT_EYE_LOWER: 374,
  MOUTH_RIGHT: 61, MOUTH_LEFT: 291, LIP_UPPER_INNER: 13, LIP_LOWER_INNER: 14,
});

/** The canonical face (millimetres, head frame), copied from analyzer.py's _CANONICAL. */
const CANONICAL = [
  [1, [0.0, 0.0, 0.0]], [4, [0.0, -6.8, -1.7]], [168, [0.0, -42.5, 25.4]], [10, [0.0, -90.1, 34.6]],
  [199, [0.0, 69.6, 25.5]], [152, [0.0, 82.8, 34.6]], [33, [-45.0, -36.6, 48.2]], [263, [45.0, -36.6, 48.2]],
  [133, [-17.7, -35.7, 43.0]], [362, [17.7, -35.7, 43.0]], [61, [-31.0, 29.8, 39.3]], [291, [31.0, 29.8, 39.3]],
  [234, [-71.5, -14.4, 102.4]], [454, [71.5, -14.4, 102.4]],
];
/** How far (pixels) a landmark may lie outside the frame before the face counts as cut there. */
const CUT_MARGIN_PX = 1.0;
/** Signs that turn camera-axis angles into the person's own convention (as in Python). */
const YAW_SIGN = -1.0, PITCH_SIGN = -1.0, ROLL_SIGN = 1.0;
/** Face crops wider than this are shrunk before the quality measures (pixels). */
const QUALITY_WIDTH_PX = 128;

const degrees = (radians) => (radians * 180) / Math.PI;

/** (yaw, pitch, roll) in degrees from landmarks (array of [x, y, z] pixels); signs as in Python. */
export function headPose(cv, landmarks, width, height) {
  const model = cv.matFromArray(CANONICAL.length, 3, cv.CV_64F, CANONICAL.flatMap(([, p]) => p));
  const image = cv.matFromArray(CANONICAL.length, 2, cv.CV_64F, CANONICAL.flatMap(([i]) => landmarks[i].slice(0, 2)));
  const camera = cv.matFromArray(3, 3, cv.CV_64F, [width, 0, width / 2, 0, width, height / 2, 0, 0, 1]);
  const noDistortion = new cv.Mat();
  const rvec = new cv.Mat(), tvec = new cv.Mat(), rotation = new cv.Mat();
  try {
    if (!cv.solvePnP(model, image, camera, noDistortion, rvec, tvec, false, cv.SOLVEPNP_SQPNP)) return [0, 0, 0];
    cv.Rodrigues(rvec, rotation);
    const r = rotation.data64F; // row-major 3x3
    const pitch = degrees(Math.asin(Math.max(-1, Math.min(1, -r[5]))));
    const yaw = degrees(Math.atan2(r[2], r[8]));
    const roll = degrees(Math.atan2(r[3], r[4]));
    return [YAW_SIGN * yaw, PITCH_SIGN * pitch, ROLL_SIGN * roll];
  } finally {
    [model, image, camera, noDistortion, rvec, tvec, rotation].forEach((m) => m.delete());
  }
}

/** (left eye, right eye, mouth) openness ratios; left/right are the person's own. */
export function openness(landmarks) {
  const L = LANDMARK;
  const ratio = (a, b, c, d) => {
    const gap = Math.hypot(landmarks[a][0] - landmarks[b][0], landmarks[a][1] - landmarks[b][1]);
    const span = Math.hypot(landmarks[c][0] - landmarks[d][0], landmarks[c][1] - landmarks[d][1]);
    return span > 1e-6 ? gap / span : 0;
  };
  return [
    ratio(L.LEFT_EYE_UPPER, L.LEFT_EYE_LOWER, L.LEFT_EYE_OUTER, L.LEFT_EYE_INNER),
    ratio(L.RIGHT_EYE_UPPER, L.RIGHT_EYE_LOWER, L.RIGHT_EYE_OUTER, L.RIGHT_EYE_INNER),
    ratio(L.LIP_UPPER_INNER, L.LIP_LOWER_INNER, L.MOUTH_RIGHT, L.MOUTH_LEFT),
  ];
}

/** (sharpness, exposure) on the face box of an RGBA cv.Mat: Laplacian variance (0..255 grey) and mean luma (0..1). */
export function faceQuality(cv, rgba, box) {
  const [x, y, w, h] = box;
  const x0 = Math.max(Math.trunc(x), 0), y0 = Math.max(Math.trunc(y), 0);
  const x1 = Math.min(Math.ceil(x + w), rgba.cols), y1 = Math.min(Math.ceil(y + h), rgba.rows);
  if (x1 - x0 < 4 || y1 - y0 < 4) return [0, 0];
  const crop = rgba.roi(new cv.Rect(x0, y0, x1 - x0, y1 - y0));
  const small = new cv.Mat(), grey = new cv.Mat(), laplace = new cv.Mat(), mean = new cv.Mat(), std = new cv.Mat();
  try {
    let source = crop;
    if (crop.cols > QUALITY_WIDTH_PX) {
      const scale = QUALITY_WIDTH_PX / crop.cols;
      cv.resize(crop, small, new cv.Size(QUALITY_WIDTH_PX, Math.max(4, Math.trunc(crop.rows * scale))), 0, 0, cv.INTER_AREA);
      source = small;
    }
    cv.cvtColor(source, grey, cv.COLOR_RGBA2GRAY);
    cv.Laplacian(grey, laplace, cv.CV_32F);
    cv.meanStdDev(laplace, mean, std);
    const sharpness = std.data64F[0] ** 2;
    return [sharpness, cv.mean(grey)[0] / 255];
  } finally {
    [crop, small, grey, laplace, mean, std].forEach((m) => m.delete());
  }
}

function boxOf(points) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

/**
 * The observation from landmarks already found (each face an array of [x, y, z] pixels); the largest
 * face (widest landmark spread) is described. `rgba` is the frame as an RGBA cv.Mat.
 */
export function observationFromLandmarks(cv, rgba, faces, timestampS = null) {
  const width = rgba.cols, height = rgba.rows;
  if (!faces.length) return Object.freeze({ face_count: 0, frame_size: [width, height], timestamp_s: timestampS, cut_edges: [], all_boxes: [] });
  const boxes = faces.map(boxOf);
  let best = 0;
  boxes.forEach((b, i) => { if (b[2] > boxes[best][2]) best = i; });
  const points = faces[best];
  const box = boxes[best];
  const [x0, y0] = box, x1 = box[0] + box[2], y1 = box[1] + box[3];
  const cut = [];
  if (x0 < -CUT_MARGIN_PX) cut.push("left");
  if (y0 < -CUT_MARGIN_PX) cut.push("top");
  if (x1 > width - 1 + CUT_MARGIN_PX) cut.push("right");
  if (y1 > height - 1 + CUT_MARGIN_PX) cut.push("bottom");
  const [yaw, pitch, roll] = headPose(cv, points, width, height);
  const [left, right, mouth] = openness(points);
  const [sharpness, exposure] = faceQuality(cv, rgba, box);
  return Object.freeze({
    face_count: faces.length, frame_size: [width, height], timestamp_s: timestampS, box, landmarks: points,
    yaw_deg: yaw, pitch_deg: pitch, roll_deg: roll,
    left_eye_openness: left, right_eye_openness: right, mouth_openness: mouth,
    size_fraction: (x1 - x0) / width, center: [(x0 + x1) / 2 / width, (y0 + y1) / 2 / height],
    cut_edges: cut.sort(), sharpness, exposure, all_boxes: boxes,
  });
}

/**
 * One camera stream's face engine (the mesh tracks between frames: frames must come in capture
 * order; call reset() when a new stream starts).
 */
export class FaceEngine {
  constructor(cv, mesh) {
    this.cv = cv;
    this.mesh = mesh;
  }

  /**
   * The face facts of one frame. `rgba` is its pixels as ImageData (`image`, the canvas they came
   * from, is not needed by this engine). Resolves to a frozen observation (Python's field names).
   */
  async observe(image, rgba, timestampS = null) {
    const mat = this.cv.matFromImageData(rgba);
    try {
      const width = rgba.width, height = rgba.height;
      const faces = this.mesh.process(mat).map((face) => face.map(([x, y, z]) => [x * width, y * height, z * width]));
      const start = performance.now();
      const seen = observationFromLandmarks(this.cv, mat, faces, timestampS);
      this.mesh.stages.observation = performance.now() - start;
      return seen;
    } finally {
      mat.delete();
    }
  }

  /** Forget the tracked face (a new stream). */
  reset() {
    this.mesh.reset();
  }

  close() {
    this.mesh.close();
  }
}

/**
 * A ready face engine. Two faces are looked for so that "two people in the picture" is reported,
 * with the same options as Python's video mesh (`model`: "attention", Python's refined mesh, or
 * "plain", its refine_landmarks=False). Every file is located under the vendored copy.
 */
export async function createFaceEngine({ vendorUrl, maxFaces = 2, model = "attention" } = {}) {
  const [cv, mesh] = await createCpuFaceMesh({ vendorUrl, maxFaces, model });
  return new FaceEngine(cv, mesh);
}
