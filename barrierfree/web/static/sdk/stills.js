// The card stills of the on-device path: which frames one capture sends the server.
//
// The server reads each still and fuses the readings; a reading resting on one still is answered
// "read once more". Stills drawn blindly a frame apart after the capture were often blurred by the
// hand (the simulation: 5-7 px, every time, so one capture after another was read once more). So
// only frames the card finder judged usable (guidance.still_usable: sharp, wholly in view, no glare,
// not the other side; guidance/stills.js) go with the captured frame: those of the same dwell from
// ``still_window_s`` before it (up to ``max_stills``), then, while there are fewer than the server
// accepts on (``stills_to_accept``), those observed after it for ``still_budget_s`` at most.
// A capture answered "read once more" (its stills read valid, but too few agreeing to rest on) is
// carried: its stills go again after the next capture's own, so the server, which keeps nothing
// between requests on this path, fuses them with the new ones, as the server path's own memory of
// the step's readings does. (Without it, a trembling hand that gave one usable still a capture was
// asked to "hold still" capture after capture: a simulated user heard it 5 times and failed.)
// testkit/blind_users/capture.py models this for the blind-user simulation.

import { IN_PLACE_PHASES } from "./guidance/stills.js";

export class CardStills {
  /** @param {import("./camera.js").Camera} camera */
  constructor(camera) {
    this.camera = camera;
    /** @type {{canvas: HTMLCanvasElement, t: number, captured: boolean}[]} */
    this.kept = [];
    /** @type {HTMLCanvasElement[]} the stills of a capture answered "read once more" */
    this.carried = [];
  }

  /** The stills of a capture answered "read once more": sent again after the next capture's own. @param {HTMLCanvasElement[]} stills */
  carry(stills) { this.carried = [...stills]; }

  /** Forgets everything kept and carried (a new step). */
  drop() { this.kept = []; this.carried = []; }

  /**
   * After a guided card frame (device path): keeps its held full-resolution frame when the guide
   * captured on it, or had the card in place and the finder judged the frame usable; forgets what
   * it kept once the card is no longer in place (a new dwell starts).
   * @param {import("./barrierfree").Guidance} guidance
   * @param {import("./barrierfree").Wire["limits"]} limits
   */
  note(guidance, limits) {
    if (!guidance.captured && !IN_PLACE_PHASES.includes(guidance.phase || "")) { this.kept = []; return; }
    if (!(guidance.captured || guidance.still_usable)) return;
    const canvas = this.camera.take();
    if (!canvas) return;
    const t = guidance.timestamp_s;
    this.kept.push({ canvas, t, captured: Boolean(guidance.captured) });
    this.kept = this.kept.filter((k) => k.t >= t - limits.still_window_s - 1e-6).slice(-limits.max_stills);
  }

  /**
   * The stills of the capture just decided (``note`` has seen its frame): the captured frame, usable
   * frames of its dwell (the latest first), the carried stills (``max_stills`` in all), then usable frames ``guideFrame``
   * observes after it, until there are ``stills_to_accept`` or ``still_budget_s`` has passed (or
   * ``going`` turns false): every second spent looking is the person's, holding still.
   * @param {() => Promise<import("./barrierfree").Guidance>} guideFrame
   * @param {import("./barrierfree").Wire["limits"]} limits @param {() => boolean} going
   * @returns {Promise<HTMLCanvasElement[]>}
   */
  async collect(guideFrame, limits, going) {
    const kept = this.kept;
    this.kept = [];
    const ordered = [...kept.filter((k) => k.captured), ...kept.filter((k) => !k.captured).reverse()];
    const stills = [...ordered.map((k) => k.canvas), ...this.carried].slice(0, limits.max_stills);
    this.carried = [];
    const until = performance.now() + 1000 * limits.still_budget_s;
    const enough = Math.min(limits.max_stills, limits.stills_to_accept || limits.max_stills);
    while (stills.length && stills.length < enough && performance.now() < until && going()) {
      const guidance = await guideFrame();
      // An engine that does not judge stills (no still_usable: a host's own engine) has its frames taken as they come.
      const canvas = guidance.still_usable !== false ? this.camera.take() : null;
      if (canvas) stills.push(canvas);
    }
    return stills;
  }
}
