// The on-device path's telemetry: cue ids, timings and captures (never images, texts or
// identities), sent in small batches for the audit and the help-after-repeated-failures rule.
// A batch that cannot be sent stays queued (bounded) and goes with the next one.

/**
 * @typedef {{kind: "cue", t: number, id: string}
 *   | {kind: "timing", t: number, name: "frame", ms: number}
 *   | {kind: "capture", t: number, code: string|null}
 *   | {kind: "failure", t: number, code: string}} TelemetryEvent
 */

export class Telemetry {
  /** @param {import("./transport.js").Transport} transport @param {number} maxEvents the server's limit per batch */
  constructor(transport, maxEvents) {
    this.transport = transport;
    this.maxEvents = maxEvents;
    /** @type {TelemetryEvent[]} */
    this.events = [];
    this.step = null;
    this.sending = false;
    /** Called with the journey the server returns (a failure may have paused the step). */
    this.onJourney = () => {};
  }

  /** Starts a new step's batch (the previous one is sent first). @param {string} step */
  begin(step) {
    if (this.step && this.step !== step) this.flush();
    this.step = step;
  }

  /** @param {TelemetryEvent} event */
  add(event) {
    this.events.push({ ...event, t: Math.round(event.t * 1000) / 1000 });
    if (this.events.length > this.maxEvents) this.events.splice(0, this.events.length - this.maxEvents);
  }

  /** Sends what is queued; kept for the next try when the network is down. */
  async flush() {
    if (this.sending || !this.events.length || !this.step) return;
    const batch = this.events.splice(0, this.maxEvents);
    const step = this.step;
    this.sending = true;
    try {
      const stored = await this.transport.request("POST", this.transport.journeyPath("/device/telemetry"), { json: { step, events: batch } });
      this.onJourney(stored.journey);
    } catch (error) {
      if (error.status === 0) this.events.unshift(...batch.slice(0, this.maxEvents - this.events.length));
    } finally {
      this.sending = false;
    }
  }
}
