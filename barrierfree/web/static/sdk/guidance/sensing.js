/**
 * Phone sensor readings, cleaned (port of barrierfree/accessibility/guidance/sensing.py):
 * absurd values are dropped, never trusted, and noted.
 * @module
 */

/** field -> [lowest, highest] plausible value. @type {Readonly<Record<string, [number, number]>>} */
const LIMITS = Object.freeze({
  beta_deg: [-180.0, 180.0],
  gamma_deg: [-90.0, 90.0],
  acceleration_m_s2: [0.0, 200.0],
  ambient_lux: [0.0, 200000.0],
});

/**
 * The reading with implausible values set to `null`, and a note per dropped value.
 * @param {unknown} reading
 * @returns {[import("./guidance").SensorReading | null, string[]]}
 */
export function clean(reading) {
  if (reading === null || reading === undefined) return [null, []];
  if (typeof reading !== "object" || Array.isArray(reading)) return [null, ["sensor-reading-ignored"]];
  const source = /** @type {Record<string, unknown>} */ (reading);
  /** @type {Record<string, number | null>} */
  const cleaned = {};
  const notes = [];
  for (const [name, [low, high]] of Object.entries(LIMITS)) {
    const value = source[name];
    if (value === null || value === undefined) {
      cleaned[name] = null;
      continue;
    }
    const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (Number.isFinite(number) && low <= number && number <= high) cleaned[name] = number;
    else {
      cleaned[name] = null;
      notes.push(`sensor-${name.split("_")[0]}-ignored`);
    }
  }
  return [/** @type {import("./guidance").SensorReading} */ (/** @type {unknown} */ (cleaned)), notes];
}
