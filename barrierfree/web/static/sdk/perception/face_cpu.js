/**
 * The face in each camera frame on the CPU: MediaPipe's short-range face detector and face
 * landmark model (the .tflite files of the mediapipe wheel Python runs) executed by TensorFlow
 * Lite's WebAssembly build with XNNPACK (@tensorflow/tfjs-tflite's tflite_web_api), with MediaPipe's
 * region logic ported in face_roi.js. No WebGL: MediaPipe's web face mesh package
 * (@mediapipe/face_mesh, which the SDK used before) runs its graph on WebGL, which without a GPU is
 * SwiftShader (software): 378 ms a frame on the 2-core test machine.
 *
 * face.js's FaceEngine turns the landmarks into the SDK's FaceObservation.
 *
 * Two landmark models: "attention" (default) is face_landmark_with_attention.tflite, what Python's
 * video mesh runs (refine_landmarks=True), split by scripts/split-face-model around its MediaPipe
 * custom ops, which run in JS (face_attention.js); "plain" is the 468-point face_landmark.tflite
 * (Python's refine_landmarks=False), which TFLite runs whole.
 */
import { AttentionLandmarker } from "./face_attention.js";
import {
  DETECTOR, LANDMARKS, associate, decodeDetections, detectorAnchors, facePresent, letterboxRoi,
  projectDetection, projectLandmarks, roiCorners, roiFromDetection, roiFromLandmarks, weightedNms,
} from "./face_roi.js";
import { VENDOR_URL, loadOpenCv, loadTflite } from "./vendor.js";

/** The model files, copied (the attention model split) from the installed mediapipe wheel by scripts/vendor-js. */
export const MODEL_FILES = Object.freeze({
  detector: "face_models/face_detection_short_range.tflite",
  plain: "face_models/face_landmark.tflite",
  attentionA: "face_models/face_attention_a.tflite",
  attentionB: "face_models/face_attention_b.tflite",
  attentionSpec: "face_models/face_attention.json",
});

/**
 * ImageToTensor on the CPU: the rotated rect `corners` (boxPoints order) of an RGBA cv.Mat warped
 * to size x size (bilinear, as MediaPipe's OpenCV converter), written as RGB floats scale*v+offset.
 */
function warpToTensor(cv, rgba, corners, size, replicate, scale, offset, tensor) {
  const src = cv.matFromArray(4, 1, cv.CV_32FC2, corners.flat());
  const dst = cv.matFromArray(4, 1, cv.CV_32FC2, [0, size, 0, 0, size, 0, size, size]);
  const warped = new cv.Mat();
  let matrix = null;
  try {
    matrix = cv.getPerspectiveTransform(src, dst);
    const border = replicate ? cv.BORDER_REPLICATE : cv.BORDER_CONSTANT;
    cv.warpPerspective(rgba, warped, matrix, new cv.Size(size, size), cv.INTER_LINEAR, border, new cv.Scalar(0, 0, 0, 0));
    const pixels = warped.data;
    for (let i = 0, n = size * size; i < n; i++) {
      tensor[3 * i] = pixels[4 * i] * scale + offset;
      tensor[3 * i + 1] = pixels[4 * i + 1] * scale + offset;
      tensor[3 * i + 2] = pixels[4 * i + 2] * scale + offset;
    }
  } finally {
    [src, dst, warped, matrix].forEach((m) => m && m.delete());
  }
}

/**
 * A runner's input tensor and its output tensors by number of values (the models' outputs are told
 * apart by size), fetched once: each getInputs()/getOutputs() call makes new C++ objects.
 */
function tensorsOf(runner) {
  const outputs = new Map(runner.getOutputs().map((t) => [t.data().length, t]));
  return {
    input: runner.getInputs()[0],
    output(length) {
      if (!outputs.has(length)) throw new Error(`face: the model has no output of ${length} values`);
      return outputs.get(length).data();
    },
  };
}

/** The plain 468-point landmark model, with the attention model's interface (input, infer, landmarks, flag). */
class PlainLandmarker {
  constructor(runner) {
    this.runner = runner;
    this.tensors = tensorsOf(runner);
    this.landmarks = null;
    this.flag = 0;
  }

  get count() {
    return LANDMARKS.count;
  }

  input() {
    return this.tensors.input.data();
  }

  infer() {
    if (!this.runner.infer()) throw new Error("face: the landmark model failed");
    this.landmarks = this.tensors.output(LANDMARKS.count * 3);
    this.flag = this.tensors.output(1)[0];
  }

  cleanUp() {
    this.runner.cleanUp();
  }
}

/**
 * MediaPipe's face mesh (face_landmark_front_cpu, video mode) for one stream: frames in capture
 * order; reset() when a new stream starts.
 */
export class CpuFaceMesh {
  constructor(cv, detector, landmarker, maxFaces = 2) {
    this.cv = cv;
    this.detector = detector;
    this.detectorTensors = tensorsOf(detector);
    this.landmarker = landmarker;
    this.maxFaces = maxFaces;
    this.anchors = detectorAnchors();
    this.tracked = [];
    /** Milliseconds spent in each stage of the last frame (for the benchmark's per-stage figures). */
    this.stages = {};
  }

  reset() {
    this.tracked = [];
  }

  close() {
    this.detector.cleanUp();
    this.landmarker.cleanUp();
  }

  /** The detector's faces in an RGBA cv.Mat (at most maxFaces, best first), in the frame's normalised units. */
  detect(rgba) {
    const width = rgba.cols, height = rgba.rows;
    const padded = letterboxRoi(width, height);
    const corners = roiCorners({ x: padded.cx / width, y: padded.cy / height, w: padded.w / width, h: padded.h / height, rotation: 0 }, width, height);
    const size = DETECTOR.inputSize;
    let t = performance.now();
    warpToTensor(this.cv, rgba, corners, size, false, 2 / 255, -1, this.detectorTensors.input.data());
    this.stages.detector_input = performance.now() - t;
    t = performance.now();
    if (!this.detector.infer()) throw new Error("face: the detector failed");
    this.stages.detector_model = performance.now() - t;
    t = performance.now();
    const { output } = this.detectorTensors;
    const raw = decodeDetections(output(DETECTOR.numBoxes * DETECTOR.numCoords), output(DETECTOR.numBoxes), this.anchors);
    const found = weightedNms(raw).slice(0, this.maxFaces).map((d) => projectDetection(d, padded, width, height));
    this.stages.detector_decode = performance.now() - t;
    return found;
  }

  /** The landmarks (normalised [x, y, z]) in one ROI, or null when the model sees no face there. */
  landmarksIn(rgba, rect) {
    const size = LANDMARKS.inputSize;
    let t = performance.now();
    warpToTensor(this.cv, rgba, roiCorners(rect, rgba.cols, rgba.rows), size, true, 1 / 255, 0, this.landmarker.input());
    this.stages.landmark_input = (this.stages.landmark_input || 0) + performance.now() - t;
    t = performance.now();
    this.landmarker.infer();
    this.stages.landmark_model = (this.stages.landmark_model || 0) + performance.now() - t;
    for (const [name, ms] of Object.entries(this.landmarker.stages || {})) this.stages[name] = (this.stages[name] || 0) + ms;
    if (!facePresent(this.landmarker.flag)) return null;
    return projectLandmarks(this.landmarker.landmarks, rect, this.landmarker.count);
  }

  /** Every face's landmarks in an RGBA cv.Mat, normalised (MediaPipe's multi_face_landmarks). */
  process(rgba) {
    const width = rgba.cols, height = rgba.rows;
    this.stages = {};
    // The detector runs only while fewer faces are tracked than looked for (with 2 looked for and
    // one person in view: every frame); a tracked face keeps the rect its landmarks gave.
    const fromDetections = this.tracked.length < this.maxFaces
      ? this.detect(rgba).map((d) => roiFromDetection(d, width, height)) : [];
    const faces = [], next = [];
    for (const rect of associate(fromDetections, this.tracked)) {
      const landmarks = this.landmarksIn(rgba, rect);
      if (!landmarks) continue;
      faces.push(landmarks);
      next.push(roiFromLandmarks(landmarks, width, height));
    }
    this.tracked = next;
    return faces;
  }
}

async function fetched(url, as) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`face: cannot load ${url} (run scripts/setup to vendor it)`);
  return as === "json" ? response.json() : response.arrayBuffer();
}

/** A TFLite runner for a vendored model file. */
async function runner(tfweb, vendorUrl, file) {
  return tfweb.TFLiteWebModelRunner.create(await fetched(new URL(file, vendorUrl).href), { numThreads: 1 });
}

/**
 * A ready face mesh and the OpenCV.js it uses, [cv, mesh]; every file comes from the vendored copy
 * on this origin. `model` is "attention" (Python's default mesh) or "plain" (refine_landmarks=False).
 */
export async function createCpuFaceMesh({ vendorUrl = VENDOR_URL, maxFaces = 2, model = "attention" } = {}) {
  const [cv, tfweb] = await Promise.all([loadOpenCv(vendorUrl), loadTflite(vendorUrl)]);
  const detector = await runner(tfweb, vendorUrl, MODEL_FILES.detector);
  let landmarker;
  if (model === "plain") {
    landmarker = new PlainLandmarker(await runner(tfweb, vendorUrl, MODEL_FILES.plain));
  } else if (model === "attention") {
    const spec = await fetched(new URL(MODEL_FILES.attentionSpec, vendorUrl).href, "json");
    landmarker = new AttentionLandmarker(
      await runner(tfweb, vendorUrl, MODEL_FILES.attentionA), await runner(tfweb, vendorUrl, MODEL_FILES.attentionB), spec);
  } else {
    throw new Error(`face: unknown landmark model ${model} (attention or plain)`);
  }
  return [cv, new CpuFaceMesh(cv, detector, landmarker, maxFaces)];
}
