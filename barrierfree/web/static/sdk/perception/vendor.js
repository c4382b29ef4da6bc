/**
 * Loading the vendored engines (scripts/vendor-js puts them under /static/vendor/): OpenCV.js and
 * MediaPipe's face mesh. Both are classic scripts that define a global, so they are added as
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

/**
 * OpenCV.js, ready to use. Its UMD build sets `window.cv` to a promise of the module (4.11);
 * older builds set the module and call `onRuntimeInitialized` instead: both are handled.
 */
export function loadOpenCv(vendorUrl = VENDOR_URL) {
  if (!openCv) {
    openCv = loadScript(new URL("opencv-js/opencv.js", vendorUrl).href).then(() => new Promise((resolve) => {
      const cv = window.cv;
      if (cv && typeof cv.then === "function") {
        cv.then((module) => { window.cv = module; resolve(module); });
      } else if (cv && cv.Mat) {
        resolve(cv);
      } else {
        cv.onRuntimeInitialized = () => resolve(cv);
      }
    }));
  }
  return openCv;
}

/** MediaPipe's FaceMesh class (the script defines `window.FaceMesh`). */
export async function loadFaceMesh(vendorUrl = VENDOR_URL) {
  await loadScript(new URL("face_mesh/face_mesh.js", vendorUrl).href);
  return window.FaceMesh;
}
