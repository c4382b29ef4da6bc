/**
 * MediaPipe's attention face-landmark model (face_landmark_with_attention.tflite: the 478 refined
 * points Python's mesh gives with refine_landmarks=True) on TensorFlow Lite's web build.
 *
 * The model holds MediaPipe custom ops that the web build cannot load, so scripts/split-face-model
 * cuts it, at set-up, into part A (backbone: mesh, feature maps) and part B (lips, eyes, irises),
 * with a description (face_attention.json: tensor names, the custom ops and their options read from
 * the model). The custom ops run here, in JS, between the parts: a port written from reading
 * mediapipe/util/tflite/operations/ (v2 kernels: landmarks_to_transform_matrix.cc,
 * transform_tensor_bilinear.cc, transform_landmarks.cc). Then MediaPipe's
 * tensors_to_face_landmarks_with_attention: the lips' and eyes' points replace the mesh's at the
 * region's own landmark list (the same list the region's Landmarks2TransformMatrix op crops by), the
 * irises become points 468-477 with the mean depth of their eye's contour.
 */

/** The model's outputs in MediaPipe's order, and where each region's points go in the 478. */
const REGIONS = Object.freeze([
  { output: "output_lips", crop: 0 },
  { output: "output_left_eye", crop: 1 },
  { output: "output_right_eye", crop: 2 },
  { output: "output_left_iris", first: 468, depthFrom: 1 },
  { output: "output_right_iris", first: 473, depthFrom: 2 },
]);
/** An iris's depth is the mean of its eye's first 16 points (lower and upper contour). */
const EYE_CONTOUR_POINTS = 16;
export const REFINED_COUNT = 478;
const MESH_COUNT = 468;

/** Landmarks2TransformMatrix (v2): the 4x4 (row-major) mapping a region's output grid into the landmarks' frame. */
export function landmarksToTransformMatrix(points, options) {
  const at = (i) => [points[3 * i], points[3 * i + 1]];
  const [lx, ly] = at(options.left_rotation_idx), [rx, ry] = at(options.right_rotation_idx);
  const rotation = options.target_rotation_radians - Math.atan2(ry - ly, rx - lx);
  const c = Math.cos(rotation), s = Math.sin(rotation);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const i of options.subset_idxs) {
    const [x, y] = at(i);
    const u = c * x - s * y, v = s * x + c * y;
    if (u < x0) x0 = u;
    if (u > x1) x1 = u;
    if (v < y0) y0 = v;
    if (v > y1) y1 = v;
  }
  const mu = (x0 + x1) / 2, mv = (y0 + y1) / 2;
  const cropX = c * mu + s * mv, cropY = -s * mu + c * mv; // the inverse rotation of the box centre
  const sx = (options.scale_x * (x1 - x0)) / options.output_width;
  const sy = (options.scale_y * (y1 - y0)) / options.output_height;
  const r = -rotation, cr = Math.cos(r), sr = Math.sin(r);
  // shift(crop) * rotate(-rotation) * scale * shift(-output/2)
  const hx = -options.output_width / 2, hy = -options.output_height / 2;
  return Float32Array.of(
    cr * sx, -sr * sy, 0, cr * sx * hx - sr * sy * hy + cropX,
    sr * sx, cr * sy, 0, sr * sx * hx + cr * sy * hy + cropY,
    0, 0, 1, 0,
    0, 0, 0, 1,
  );
}

/** TransformTensorBilinear (v2): `out` (h x w x channels) sampled from `input` (H x W x channels) through `m`. */
export function transformTensorBilinear(input, [height, width, channels], m, out, [outHeight, outWidth]) {
  const ax = m[0], bx = m[1], cx = m[3] + m[0] * 0.5 + m[1] * 0.5 - 0.5;
  const ay = m[4], by = m[5], cy = m[7] + m[4] * 0.5 + m[5] * 0.5 - 0.5;
  const read = (h, w, z) => (h < 0 || w < 0 || h >= height || w >= width ? 0 : input[(h * width + w) * channels + z]);
  for (let oy = 0; oy < outHeight; oy++) {
    for (let ox = 0; ox < outWidth; ox++) {
      const tx = ax * ox + bx * oy + cx, ty = ay * ox + by * oy + cy;
      const base = (oy * outWidth + ox) * channels;
      if (tx < 0 || tx > width - 1 || ty < 0 || ty > height - 1) {
        out.fill(0, base, base + channels);
        continue;
      }
      const fx = Math.floor(tx), fy = Math.floor(ty), right = tx - fx, lower = ty - fy;
      for (let z = 0; z < channels; z++) {
        const upper = (1 - right) * read(fy, fx, z) + right * read(fy, fx + 1, z);
        const below = (1 - right) * read(fy + 1, fx, z) + right * read(fy + 1, fx + 1, z);
        out[base + z] = lower * below + (1 - lower) * upper;
      }
    }
  }
}

/** TransformLandmarks (v2, 2-D points): each (x, y) through the matrix's first two rows. */
export function transformLandmarks(points, m) {
  const out = new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 2) {
    const x = points[i], y = points[i + 1];
    out[i] = m[0] * x + m[1] * y + m[3];
    out[i + 1] = m[4] * x + m[5] * y + m[7];
  }
  return out;
}

const byName = (tensors) => Object.fromEntries(tensors.map((t) => [t.name, t]));

/**
 * The attention landmark model as one runner: input() is the 192x192x3 tensor to fill, infer()
 * runs both parts and the custom ops, then `landmarks` (478 x 3, 192-pixel units) and `flag` (the
 * face-presence logit) hold the answer.
 */
export class AttentionLandmarker {
  constructor(partA, partB, spec) {
    this.partA = partA;
    this.partB = partB;
    this.spec = spec;
    this.crops = spec.custom_ops.filter((op) => op.op === "Landmarks2TransformMatrix");
    this.samplers = spec.custom_ops.filter((op) => op.op === "TransformTensorBilinear");
    this.mappers = spec.custom_ops.filter((op) => op.op === "TransformLandmarks");
    const sizes = this.crops.map((op) => op.options.subset_idxs.length);
    if (sizes.join() !== "80,71,71" || this.samplers.length !== 3 || this.mappers.length !== 5) {
      throw new Error(`face: unexpected attention model description (${spec.source})`);
    }
    // The tensors' descriptions, fetched once: each getInputs()/getOutputs() call makes new C++ objects.
    this.inputA = partA.getInputs()[0];
    this.outputsA = partA.getOutputs();
    this.inputsB = byName(partB.getInputs());
    this.outputsB = partB.getOutputs();
    this.featureShapes = Object.fromEntries(this.outputsA.map((t) => [t.name, String(t.shape).split(",").map(Number).slice(1)]));
    this.landmarks = new Float32Array(REFINED_COUNT * 3);
    this.flag = 0;
    /** Milliseconds of the last infer() in part A, the custom ops (both groups) and part B. */
    this.stages = {};
  }

  get count() {
    return REFINED_COUNT;
  }

  input() {
    return this.inputA.data();
  }

  infer() {
    let t = performance.now();
    if (!this.partA.infer()) throw new Error("face: the landmark model (part A) failed");
    this.stages.landmark_part_a = performance.now() - t;
    t = performance.now();
    const values = {};
    // Copies: part B's run may grow the shared WASM memory, which detaches views into it.
    for (const tensor of this.outputsA) values[tensor.name] = tensor.data().slice();
    const inputsB = this.inputsB;
    for (const op of this.crops) inputsB[op.outputs[0]].data().set(landmarksToTransformMatrix(values[op.inputs[0]], op.options));
    for (const op of this.samplers) {
      const [feature, matrix] = op.inputs;
      transformTensorBilinear(values[feature], this.featureShapes[feature], inputsB[matrix].data(), inputsB[op.outputs[0]].data(),
        op.output_shape.slice(1));
    }
    for (const name of this.spec.parts.b.inputs) {
      if (values[name]) inputsB[name].data().set(values[name]);
    }
    this.stages.landmark_custom_ops = performance.now() - t;
    t = performance.now();
    if (!this.partB.infer()) throw new Error("face: the landmark model (part B) failed");
    this.stages.landmark_part_b = performance.now() - t;
    t = performance.now();
    for (const tensor of this.outputsB) values[tensor.name] = tensor.data();
    for (const op of this.mappers) values[op.outputs[0]] = transformLandmarks(values[op.inputs[0]], values[op.inputs[1]]);
    for (const step of this.spec.tail) values[step.outputs[0]] = values[step.inputs[0]]; // reshapes, identity slice
    this.refine(values);
    this.flag = values.conv_faceflag[0];
    this.stages.landmark_custom_ops += performance.now() - t;
  }

  /** The 478 refined points (tensors_to_face_landmarks_with_attention). */
  refine(values) {
    const out = this.landmarks;
    out.set(values.output_mesh_identity.subarray(0, MESH_COUNT * 3));
    for (const region of REGIONS) {
      const points = values[region.output];
      if (region.crop !== undefined) {
        this.crops[region.crop].options.subset_idxs.forEach((index, k) => {
          out[3 * index] = points[2 * k];
          out[3 * index + 1] = points[2 * k + 1];
        });
        continue;
      }
      const contour = this.crops[region.depthFrom].options.subset_idxs.slice(0, EYE_CONTOUR_POINTS);
      const depth = contour.reduce((sum, index) => sum + out[3 * index + 2], 0) / contour.length;
      for (let k = 0; k < points.length / 2; k++) {
        const index = region.first + k;
        out[3 * index] = points[2 * k];
        out[3 * index + 1] = points[2 * k + 1];
        out[3 * index + 2] = depth;
      }
    }
  }

  cleanUp() {
    this.partA.cleanUp();
    this.partB.cleanUp();
  }
}
