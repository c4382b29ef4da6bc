/**
 * Python's arithmetic where JavaScript's differs, so the port gives the very numbers the
 * Python reference gives: rounding halves to even (`round`), rounding to n decimals, and
 * floor division of floats (`//`). Written here rather than taken from a library: each is a
 * few lines of CPython's own algorithm, and no npm package promises Python's exact results.
 * @module
 */

/**
 * Python's `round(x)`: the nearest integer, halves to the even one.
 * @param {number} x
 * @returns {number}
 */
export function roundHalfEven(x) {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Python's `round(x, digits)` for the small digit counts the guidance uses (the decimal
 * expansion of the double, as CPython rounds it).
 * @param {number} x
 * @param {number} digits
 * @returns {number}
 */
export function roundTo(x, digits) {
  if (!Number.isFinite(x)) return x;
  // toFixed rounds an exact tie away from zero; Python to the even neighbour. The double's exact
  // decimal expansion (100 places hold it for the magnitudes guidance rounds) tells a tie.
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf(".");
  const kept = exact.slice(0, digits > 0 ? point + 1 + digits : point);
  if (/^50*$/.test(exact.slice(point + 1 + digits)) && Number(kept.at(-1)) % 2 === 0) {
    return Math.sign(x) * Number(kept);
  }
  return Number(x.toFixed(digits));
}

/**
 * Python's `x // y` for floats (CPython's float_floor_div).
 * @param {number} vx
 * @param {number} wx
 * @returns {number}
 */
export function floorDiv(vx, wx) {
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod && (wx < 0) !== (mod < 0)) {
    mod += wx;
    div -= 1.0;
  }
  if (div) {
    let floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
    return floordiv;
  }
  return 0 * (vx / wx);
}

/**
 * Whether `value` is a finite number (Python's `value is not None and math.isfinite(value)`).
 * @param {unknown} value
 * @returns {value is number}
 */
export function finite(value) {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * The range of one coordinate of a quad's corners (numpy's `ptp`).
 * @param {ReadonlyArray<ReadonlyArray<number>>} quad
 * @param {number} axis
 * @returns {number}
 */
export function ptp(quad, axis) {
  let low = Infinity;
  let high = -Infinity;
  for (const corner of quad) {
    low = Math.min(low, corner[axis]);
    high = Math.max(high, corner[axis]);
  }
  return high - low;
}
