/**
 * Durations on the stream's clock, measured the way a person would count them
 * (port of barrierfree/accessibility/guidance/clock.py).
 *
 * Frame times are sums of frame intervals in floating point: a dwell of exactly 0.5 s can come
 * out as 0.49999999999999 s, so every duration the guidance compares goes through {@link lasted},
 * with a slack far below any frame interval.
 * @module
 */

/** Slack on every duration comparison, in seconds. */
export const CLOCK_SLACK_S = 1e-6;

/**
 * Whether `seconds` have passed from `since` to `t` (both in seconds on one clock).
 * @param {number} since
 * @param {number} t
 * @param {number} seconds
 * @returns {boolean}
 */
export function lasted(since, t, seconds) {
  return t - since >= seconds - CLOCK_SLACK_S;
}
