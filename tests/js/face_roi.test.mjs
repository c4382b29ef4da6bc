// MediaPipe's face-mesh region logic as ported in static/sdk/perception/face_roi.js: the parts
// whose answers are fixed by MediaPipe's graph options (checked here on constructed inputs); the
// whole pipeline against Python's mesh is tests/web/test_perception_conformance.py and the conformance test.
import { test } from "node:test";
import assert from "node:assert/strict";

import {
  associate, decodeDetections, detectorAnchors, iou, letterboxRoi, normalizeRadians, projectDetection,
  projectLandmarks, roiCorners, roiFromDetection, roiFromLandmarks, weightedNms,
} from "../../barrierfree/web/static/sdk/perception/face_roi.js";

const close = (a, b, tolerance = 1e-9) => assert.ok(Math.abs(a - b) <= tolerance, `${a} vs ${b}`);

test("the short-range detector has 896 anchors: 16x16x2 at stride 8, then 8x8x6 for the three stride-16 layers", () => {
  const anchors = detectorAnchors();
  assert.equal(anchors.length, 896);
  assert.deepEqual(anchors[0], [0.5 / 16, 0.5 / 16]);
  assert.deepEqual(anchors[511], [15.5 / 16, 15.5 / 16]);
  assert.deepEqual(anchors[512], [0.5 / 8, 0.5 / 8]);
  assert.deepEqual(anchors[517], [0.5 / 8, 0.5 / 8]);
  assert.deepEqual(anchors[518], [1.5 / 8, 0.5 / 8]);
});

test("angles wrap into [-pi, pi)", () => {
  close(normalizeRadians(Math.PI), -Math.PI);
  close(normalizeRadians(3 * Math.PI / 2), -Math.PI / 2);
  close(normalizeRadians(-0.25), -0.25);
});

test("decoding keeps scores of at least 0.5 and offsets boxes and keypoints from their anchor in 128-pixel units", () => {
  const anchors = [[0.25, 0.5], [0.75, 0.5]];
  const boxes = new Float32Array(32);
  boxes.set([12.8, -6.4, 32, 64, 0, 0, 12.8, 0], 0);
  const scores = Float32Array.of(0.1, -0.1); // sigmoid 0.525 and 0.475
  const found = decodeDetections(boxes, scores, anchors);
  assert.equal(found.length, 1);
  close(found[0].xmin, 0.25 + 0.1 - 0.125, 1e-7);
  close(found[0].ymin, 0.5 - 0.05 - 0.25, 1e-7);
  close(found[0].width, 0.25, 1e-7);
  close(found[0].keypoints[1][0], 0.35, 1e-7);
});

test("weighted NMS merges overlapping boxes by score and keeps the best score", () => {
  const box = (xmin, score) => ({ score, xmin, ymin: 0, width: 1, height: 1, keypoints: [[xmin, 0]] });
  const merged = weightedNms([box(0, 0.9), box(0.1, 0.6), box(5, 0.7)]);
  assert.equal(merged.length, 2);
  assert.equal(merged[0].score, 0.9);
  close(merged[0].xmin, (0 * 0.9 + 0.1 * 0.6) / 1.5);
  close(merged[0].keypoints[0][0], (0 * 0.9 + 0.1 * 0.6) / 1.5);
  assert.equal(merged[1].xmin, 5);
});

test("the 640x480 frame is letterboxed to a centred square, and detections map back to the frame", () => {
  const padded = letterboxRoi(640, 480);
  assert.deepEqual(padded, { cx: 320, cy: 240, w: 640, h: 640 });
  const d = projectDetection({ score: 1, xmin: 0.5, ymin: 0.125, width: 0.25, height: 0.75, keypoints: [[0.5, 0.125]] }, padded, 640, 480);
  close(d.ymin, 0); // the top band of the square is padding
  close(d.height, 1);
  close(d.keypoints[0][1], 0);
});

test("a detection's ROI is the box squared on its long side in pixels, 1.5 times, turned by the eyes' line", () => {
  const detection = { xmin: 0.4, ymin: 0.4, width: 0.2, height: 0.2, keypoints: [[0.45, 0.45], [0.55, 0.45]] };
  const level = roiFromDetection(detection, 640, 480);
  close(level.rotation, 0);
  close(level.w * 640, 0.2 * 640 * 1.5);
  close(level.h * 480, 0.2 * 640 * 1.5);
  const tilted = roiFromDetection({ ...detection, keypoints: [[0.45, 0.45], [0.55, 0.45 + 0.1 * 640 / 480]] }, 640, 480);
  close(tilted.rotation, Math.PI / 4); // the far eye lower in the image: turned clockwise (y points down)
});

test("landmarks give the next ROI from their box and points 33 and 263", () => {
  const landmarks = Array.from({ length: 468 }, (_, i) => [0.3 + (i % 10) * 0.02, 0.3 + Math.floor(i / 47) * 0.02, 0]);
  landmarks[33] = [0.35, 0.4, 0];
  landmarks[263] = [0.45, 0.4, 0];
  const rect = roiFromLandmarks(landmarks, 640, 480);
  close(rect.x, 0.39);
  close(rect.rotation, 0);
});

test("a tracked rect replaces a detection it overlaps by more than half, and not one it does not", () => {
  const rect = (x) => ({ x, y: 0.5, w: 0.2, h: 0.2, rotation: 0 });
  assert.deepEqual(associate([rect(0.5)], [rect(0.52)]), [rect(0.52)]);
  assert.deepEqual(associate([rect(0.5)], [rect(0.65)]), [rect(0.5), rect(0.65)]);
  assert.equal(iou({ xmin: 0, ymin: 0, width: 1, height: 1 }, { xmin: 0.5, ymin: 0, width: 1, height: 1 }), 1 / 3);
});

test("ROI corners follow OpenCV's boxPoints order, and crop points project back into the frame", () => {
  const rect = { x: 0.5, y: 0.5, w: 0.25, h: 0.5, rotation: 0 };
  assert.deepEqual(roiCorners(rect, 640, 480), [[240, 360], [240, 120], [400, 120], [400, 360]]);
  const raw = Float32Array.of(0, 0, 19.2, 192, 192, 0); // the crop's top-left and bottom-right corners
  const [topLeft, bottomRight] = projectLandmarks(raw, rect, 2);
  assert.deepEqual(topLeft.slice(0, 2), [0.375, 0.25]);
  assert.deepEqual(bottomRight.slice(0, 2), [0.625, 0.75]);
  close(topLeft[2], 0.025);
});
