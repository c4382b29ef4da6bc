// The colour flash of the flash liveness challenge (WCAG 2.3.1: at most three flashes a second).

/** @typedef {{css: string, duration_ms: number, rgb?: number[]}} FlashColour  one colour as the server issued it */

/**
 * Shows ``colours`` full screen on ``layer``, each for at least its duration (and ``minFlashMs``, the
 * server's shortest colour, from the wire constants), in elapsed time: a colour's time starts at the
 * first animation frame after the one that drew it (by then it has been painted) and it is replaced
 * only when that much frame time has passed. A stalled main thread paints nothing, so a stall
 * lengthens the colour on screen and never shortens the next one (WCAG 2.3.1). ``started`` resolves
 * with the frame time the first colour was drawn in; ``done`` with the frame time each colour was
 * drawn in and the one the last was taken down in (performance.now() ms): what was really shown,
 * for the server's verifier.
 *
 * @param {HTMLElement} layer @param {FlashColour[]} colours @param {number} minFlashMs
 * @returns {{started: Promise<number>, done: Promise<number[]>}}
 */
export function showColours(layer, colours, minFlashMs) {
  if (!(minFlashMs > 1000 / 3)) throw new RangeError("minFlashMs must be over 1000/3 ms (WCAG 2.3.1)");
  let begin;
  const started = new Promise((resolve) => { begin = resolve; });
  const done = new Promise((resolve) => {
    const drawn = [];
    let index = -1;
    let since = null; // frame time from which colour ``index`` is known to be on screen
    const tick = (now) => {
      if (index >= 0 && since === null) since = now;
      const least = index >= 0 ? Math.max(minFlashMs, colours[index].duration_ms) : 0;
      if (index < 0 || now - since >= least) {
        index += 1;
        drawn.push(now);
        since = null;
        if (index === colours.length) {
          layer.hidden = true;
          layer.style.background = "";
          resolve(drawn);
          return;
        }
        layer.style.background = colours[index].css;
        if (index === 0) { layer.hidden = false; begin(now); }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return { started, done };
}
