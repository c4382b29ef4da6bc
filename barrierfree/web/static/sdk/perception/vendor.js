/**
 * Loading the vendored engines (scripts/vendor-js puts them under /static/vendor/): OpenCV.js and
 * TensorFlow Lite's web API. Both are classic scripts that define a global, so they are added as
 * <script> elements from this origin (the CSP's script-src 'self'); nothing comes from a CDN.
 * Each loads once per page, however many engines ask for it.
 */

/** Where the vendored packages are served, next to the SDK in the package's static files. */
export const VENDOR_URL = new URL("../../vendor/", import.meta.url).href;

const loading = new Map();

/** Add `<script src=url>` once; resolves when it has run. */
export function loadScript(url) {
  if (!loading.has(url)) {
    loading.set(url, new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.crossOrigin = "anonymous";
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`perception: cannot load ${url} (run scripts/setup to vendor it)`));
      document.head.append(script);
    }));
  }
  return loading.get(url);
}

let openCv = null;

/** How long OpenCV.js may take to compile before the device counts as unable to run it, milliseconds. */
export const OPENCV_LOAD_TIMEOUT_MS = 30000;

/**
 * OpenCV.js, ready to use. Its UMD build sets `window.cv` to a promise of the module (4.11);
 * older builds set the module and call `onRuntimeInitialized` instead: both are handled. Rejects
 * when the WebAssembly cannot start (no WebAssembly, a CSP without 'wasm-unsafe-eval', too slow),
 * so that the SDK can fall back to the server's path instead of waiting for ever.
 */
export function loadOpenCv(vendorUrl = VENDOR_URL, timeoutMs = OPENCV_LOAD_TIMEOUT_MS) {
  if (!openCv) {
    const ready = loadScript(new URL("opencv-js/opencv.js", vendorUrl).href).then(() => new Promise((resolve, reject) => {
      const cv = window.cv;
      if (typeof WebAssembly !== "object") {
        reject(new Error("perception: this browser has no WebAssembly"));
      } else if (cv && typeof cv.then === "function") {
        cv.then((module) => { window.cv = module; resolve(module); }, reject);
      } else if (cv && cv.Mat) {
        resolve(cv);
      } else {
        cv.onRuntimeInitialized = () => resolve(cv);
        cv.onAbort = (why) => reject(new Error(`perception: OpenCV.js aborted (${why})`));
      }
    }));
    let timer;
    const late = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`perception: OpenCV.js not ready after ${timeoutMs} ms`)), timeoutMs);
    });
    openCv = Promise.race([ready, late]).finally(() => clearTimeout(timer));
    openCv.catch(() => { openCv = null; }); // a later call may try again
  }
  return openCv;
}

let tflite = null;

/**
 * TensorFlow Lite's WebAssembly runtime (@tensorflow/tfjs-tflite's tflite_web_api client, which
 * defines `window.tfweb`), told to load its WASM from the vendored copy. It picks the SIMD build
 * when the browser has WebAssembly SIMD; the threaded builds need cross-origin isolation, which the
 * app does not set, so they are not vendored.
 */
export function loadTflite(vendorUrl = VENDOR_URL) {
  if (!tflite) {
    tflite = loadScript(new URL("tflite/tflite_web_api_client.js", vendorUrl).href).then(() => {
      if (typeof WebAssembly !== "object") throw new Error("perception: this browser has no WebAssembly");
      window.tfweb.tflite_web_api.setWasmPath(new URL("tflite/", vendorUrl).href);
      return window.tfweb;
    });
    tflite.catch(() => { tflite = null; });
  }
  return tflite;
}
