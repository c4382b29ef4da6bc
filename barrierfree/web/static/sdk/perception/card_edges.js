/**
 * The card finder's edge maps (Python's barrierfree/vision/card/edges.py), computed on planes
 * that are allocated once per frame size and reused frame after frame: allocating and freeing some
 * twenty WebAssembly planes per frame, and going through the bindings once per channel and map,
 * was a good part of the per-frame time (benchmarks/ondevice_card_stages.py prints the stages).
 * The maps are made one at a time, strongest edges first, as the finder asks for them: it stops
 * asking once a map gave it a card it is sure of (edges.py says why that order).
 *
 * The maps are the same as Python's, bit for bit; two shortcuts give them at less cost:
 * - dilating `magnitude > t` by a 3×3 box is `dilate(magnitude, 3×3) > t` (the max of a window is
 *   over the threshold exactly when one of its pixels is), and that dilated magnitude is the
 *   "ridge" the ranking needs anyway: one float dilation instead of five binary ones;
 * - a 5×5 box dilation is two 3×3 ones (the frame's border is left out by both).
 */

/** Edge maps: (gradient threshold, dilation size) in the order they are searched, as edges.py's EDGE_MAPS. */
export const EDGE_MAPS = Object.freeze([[90.0, 3], [40.0, 3], [40.0, 5], [25.0, 3], [14.0, 3]]);
/** EDGE_MAPS's index of the map the glare walls are added to (the ordinary one), and of the map the wide one dilates. */
const WALLED = 3, WIDENED = 1;

/** Thresholds of the maps added in a dim frame, scaled by its exposure (edges.py's dim_maps), dilation 3×3. */
export const DIM_EDGE_THRESHOLDS = Object.freeze([14.0, 25.0]);

/**
 * edges.py's exposure_gain: how much the added maps' thresholds are lowered in a dim frame (0..1;
 * 1 in a well-lit one), from the 75th-percentile luma of the blurred frame.
 */
export function exposureGain(luma, s) {
  return Math.min(1, Math.max(s.min_edge_threshold_scale, percentileByHistogram(luma, 75) / s.dim_frame_luma));
}

/** edges.py's percentile_of: the first luma whose cumulative count reaches `percent` of the total. */
export function percentileByHistogram(values, percent) {
  const counts = new Float64Array(256);
  for (let i = 0; i < values.length; i++) counts[values[i]]++;
  return percentileOfCounts(counts, values.length, percent);
}

/** The same from a 256-bin histogram of `total` values. */
export function percentileOfCounts(counts, total, percent) {
  if (!total) return 0;
  const target = (total * percent) / 100;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += counts[v];
    if (seen >= target) return v;
  }
  return 256;
}

/**
 * Scratch planes for one shrunk-frame size. `rgb` takes the full frame as RGB and `small` the shrunk one, `maps` holds the edge maps (EDGE_MAPS order, then one
 * wall per glare level), `dimMaps` the maps added in a dim frame, `ridge` the dilated gradient magnitude, `gray` the shrunk frame's luma;
 * `mask`, `inverted`, `contours` and `hierarchy` are the candidate search's.
 */
export class EdgePlanes {
  constructor(cv, width, height, glareLevels) {
    const plane = (type) => new cv.Mat(height, width, type);
    this.cv = cv;
    this.width = width;
    this.height = height;
    this.size = new cv.Size(width, height);
    this.rgb = new cv.Mat(); // the full frame as RGB (sized by its first use)
    this.small = plane(cv.CV_8UC3); // ... and as RGB, what the finder looks at
    this.blurred = new cv.Mat();
    this.lab = new cv.Mat();
    this.labF = new cv.Mat();
    this.gx = new cv.Mat();
    this.gy = new cv.Mat();
    this.magnitudes = new cv.Mat();
    this.magnitude = plane(cv.CV_32F);
    this.ridge = plane(cv.CV_32F);
    this.luma = plane(cv.CV_8U);
    this.gray = plane(cv.CV_8U);
    this.maps = [...EDGE_MAPS, ...glareLevels].map(() => plane(cv.CV_8U));
    this.dimMaps = DIM_EDGE_THRESHOLDS.map(() => plane(cv.CV_8U));
    this.mask = cv.Mat.zeros(height, width, cv.CV_8U);
    this.inverted = plane(cv.CV_8U);
    this.contours = new cv.MatVector();
    this.hierarchy = new cv.Mat();
    this.kernel = cv.Mat.ones(3, 3, cv.CV_8U);
    this.anchor = new cv.Point(-1, -1);
    this.blurSize = new cv.Size(5, 5);
  }

  fits(width, height) {
    return this.width === width && this.height === height;
  }

  delete() {
    for (const mat of [this.rgb, this.small, this.blurred, this.lab, this.labF, this.gx, this.gy, this.magnitudes, this.magnitude, this.ridge,
      this.luma, this.gray, ...this.maps, ...this.dimMaps, this.mask, this.inverted, this.contours, this.hierarchy, this.kernel]) mat.delete();
  }

  dilate3(source, target) {
    const cv = this.cv;
    cv.dilate(source, target, this.kernel, this.anchor, 1, cv.BORDER_CONSTANT, cv.morphologyDefaultBorderValue());
  }

  /**
   * The gradient of `small` (an RGB or RGBA cv.Mat of this size), edges.py's gradient: fills `ridge`
   * (the dilated magnitude, which gives the maps and the candidates' ranking) and `luma`.
   */
  gradient(small) {
    const cv = this.cv;
    cv.GaussianBlur(small, this.blurred, this.blurSize, 0, 0, cv.BORDER_DEFAULT);
    cv.cvtColor(this.blurred, this.lab, cv.COLOR_RGB2Lab); // takes RGBA too: alpha is ignored
    this.lab.convertTo(this.labF, cv.CV_32F);
    // All three channels in one call each (the filters work per channel), then the weighted max of
    // their magnitudes, L at weight 1 and a, b at weight 2 (exact in float32), as edges.py.
    cv.Sobel(this.labF, this.gx, cv.CV_32F, 1, 0, 3, 1, 0, cv.BORDER_DEFAULT);
    cv.Sobel(this.labF, this.gy, cv.CV_32F, 0, 1, 3, 1, 0, cv.BORDER_DEFAULT);
    cv.magnitude(this.gx, this.gy, this.magnitudes);
    const per = this.magnitudes.data32F, magnitude = this.magnitude.data32F;
    for (let i = 0, j = 0; i < magnitude.length; i++, j += 3) {
      magnitude[i] = Math.max(per[j], 2 * per[j + 1], 2 * per[j + 2]);
    }
    this.dilate3(this.magnitude, this.ridge);
    cv.cvtColor(this.blurred, this.luma, cv.COLOR_RGB2GRAY);
  }

  /**
   * The edge maps (after gradient()), each with how far it eats into the regions it bounds (pixels),
   * [map, inset], made only when the finder asks for the next: EDGE_MAPS in order, then the glare walls
   * where there is glare (edges.py's edge_maps).
   */
  *edgeMaps(settings) {
    for (let k = 0; k < EDGE_MAPS.length; k++) {
      const [threshold, size] = EDGE_MAPS[k];
      if (size === 3) {
        // Views taken anew after each yield: the finder's work in between may grow the WebAssembly heap.
        const ridge = this.ridge.data32F, bits = this.maps[k].data;
        for (let i = 0; i < ridge.length; i++) bits[i] = ridge[i] > threshold ? 255 : 0;
      } else {
        this.dilate3(this.maps[WIDENED], this.maps[k]); // 5×5 is the 3×3 map dilated again
      }
      yield [this.maps[k], size / 2 + 0.5];
    }
    yield* this.glareBarriers(settings, [this.maps[WALLED], EDGE_MAPS[WALLED][1] / 2 + 0.5]);
  }

  /**
   * edges.py's dim_maps: in a dim frame (after gradient()), the faint and ordinary maps again at
   * thresholds lowered with its exposure, [[map, inset], ...]; none in a well-lit frame. Thresholds
   * in float32, as numpy compares the float32 magnitude with them.
   */
  dimEdges(settings) {
    const gain = exposureGain(this.luma.data, settings);
    if (gain >= 1) return [];
    const ridge = this.ridge.data32F;
    return DIM_EDGE_THRESHOLDS.map((threshold, k) => {
      const bits = this.dimMaps[k].data, t = Math.fround(threshold * gain);
      for (let i = 0; i < ridge.length; i++) bits[i] = ridge[i] > t ? 255 : 0;
      return [this.dimMaps[k], 2.0];
    });
  }

  /**
   * The ordinary edge map with the frame's brightest blob (a highlight) added as a wall, at each of
   * `glare_barrier_levels` (edges.py's glare_barriers). Where a highlight crosses the card's edge,
   * paper and background are both washed out and the edge ring has a gap; walled off by the
   * highlight, the card's interior is an enclosed region again. Only added maps: a frame without a
   * highlight is found as before.
   */
  *glareBarriers(s, [edges, inset]) {
    const top = percentileByHistogram(this.luma.data, 99.5);
    for (let k = 0; k < s.glare_barrier_levels.length; k++) {
      const luma = this.luma.data, ordinary = edges.data; // views taken anew after each yield, as above
      const floor = Math.max(s.glare_barrier_levels[k] * top, s.min_glare_barrier_luma);
      const wall = this.maps[EDGE_MAPS.length + k], bits = wall.data;
      let glare = 0;
      for (let i = 0; i < luma.length; i++) {
        if (luma[i] >= floor) { bits[i] = 255; glare++; } else bits[i] = ordinary[i];
      }
      if (glare) yield [wall, inset];
    }
  }
}
