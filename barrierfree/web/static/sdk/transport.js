// The SDK's HTTP: bearer-token JSON and image requests to the barrierfree API, retried across a
// dropped connection (the journey's state is on the server, so a retry loses nothing).

/** @typedef {{type?: string, title?: string, detail?: string}} Problem  An RFC 9457 problem document. */

/** An HTTP error from the API (``status`` 0: the network was unreachable). */
export class ApiError extends Error {
  /** @param {number} status @param {Problem} problem */
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    /** The problem's stable code, e.g. ``wrong-step``. */
    this.code = (problem.type || "").replace("/problems/", "");
  }
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when the browser says it is online again, or after ``ms`` (whichever is first). */
function onlineOr(ms) {
  return new Promise((resolve) => {
    const done = () => { window.removeEventListener("online", done); clearTimeout(timer); resolve(); };
    const timer = setTimeout(done, ms);
    window.addEventListener("online", done);
  });
}

/**
 * @typedef {object} RequestOptions
 * @property {unknown} [json]   a body sent as application/json
 * @property {BodyInit} [body]  a raw body (an image Blob, FormData)
 * @property {string} [type]    the raw body's Content-Type
 * @property {Record<string, string>} [query]
 * @property {boolean} [patient]  keep retrying while the network is down (a queued capture), telling
 *   ``onWaiting`` once, instead of giving up after five tries
 */

export class Transport {
  /** @param {{api: string, token: string, journeyId: string}} options */
  constructor({ api, token, journeyId }) {
    this.api = api.replace(/\/$/, "");
    this.token = token;
    this.journeyId = journeyId;
    /** Called once when a patient request starts waiting for the network, and again when it got through. */
    this.onWaiting = () => {};
    this.onResumed = () => {};
  }

  /** The path of this journey's resource ``suffix`` under the API. */
  journeyPath(suffix = "") { return `/journeys/${this.journeyId}${suffix}`; }

  /** @param {string} path */
  url(path) { return `${this.api}${path}`; }

  /**
   * @param {string} method @param {string} path @param {RequestOptions} [options]
   * @returns {Promise<any>} the response's JSON
   */
  async request(method, path, { json, body, type, query, patient = false } = {}) {
    const headers = { Authorization: `Bearer ${this.token}` };
    let payload = body;
    if (json !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(json); }
    if (type) headers["Content-Type"] = type;
    const url = `${this.api}${path}${query ? `?${new URLSearchParams(query)}` : ""}`;
    let waiting = false;
    for (let attempt = 0; ; attempt += 1) {
      let response;
      try {
        response = await fetch(url, { method, headers, body: payload, credentials: "omit" });
      } catch (error) {
        // A dropped connection: wait and retry; the journey's state is on the server.
        if (!patient && attempt >= 5) throw new ApiError(0, { title: "offline", detail: String(error) });
        if (patient && !waiting) { waiting = true; this.onWaiting(); }
        if (patient) await onlineOr(Math.min(4000, 500 * 2 ** attempt));
        else await sleep(500 * 2 ** attempt);
        continue;
      }
      if (waiting) { waiting = false; this.onResumed(); }
      if (response.status === 429 && attempt < 5) {
        await sleep(1000 * Number(response.headers.get("Retry-After") || 1));
        continue;
      }
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new ApiError(response.status, data);
      return data;
    }
  }
}
