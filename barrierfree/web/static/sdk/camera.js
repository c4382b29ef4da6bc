// The camera: getUserMedia (playsinline, muted, the front or back camera as the step needs) and
// JPEG grabs of its frames at a given width.

/** Thrown when there is no camera or the person (or an iframe without allow="camera") refused it. */
export class CameraUnavailable extends Error {}

export class Camera {
  /** @param {HTMLVideoElement} video  the (aria-hidden) preview element the frames are drawn from */
  constructor(video) {
    this.video = video;
    /** @type {MediaStream|null} */
    this.stream = null;
    /** @type {"user"|"environment"|null} */
    this.facing = null;
    this.canvas = null;
  }

  /**
   * Opens the camera facing ``facing`` (kept open when it already is); resolves once frames arrive.
   * @param {"user"|"environment"} facing @param {() => boolean} running  false stops the wait
   */
  async open(facing, running) {
    if (this.stream && this.facing === facing) return;
    this.close();
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: false, video: { facingMode: { ideal: facing }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      this.stream = null;
      throw new CameraUnavailable(String(error && error.name));
    }
    this.facing = facing;
    this.video.srcObject = this.stream;
    await this.video.play().catch(() => {});
    while (running() && !(this.video.videoWidth > 0)) await new Promise((resolve) => setTimeout(resolve, 250));
  }

  close() {
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
  }

  /** Draws the current frame at most ``width`` px wide; the canvas it is on (reused). */
  draw(width) {
    this.canvas = drawOn(this.canvas, this.video, this.video.videoWidth, this.video.videoHeight, width);
    return this.canvas;
  }

  /**
   * Holds the current frame at most ``fullWidth`` px wide (kept until the next ``hold``: the still
   * a capture on this frame sends) and returns it drawn down to at most ``width`` px, the copy
   * the on-device guide judges. So the still is the very frame that met the guide's criteria,
   * not one grabbed a compute time later, when a trembling hand may have blurred or moved it.
   * @param {number} fullWidth @param {number} width @returns {HTMLCanvasElement}
   */
  hold(fullWidth, width) {
    const held = this.heldCanvas = drawOn(this.heldCanvas, this.video, this.video.videoWidth, this.video.videoHeight, fullWidth);
    this.small = drawOn(this.small, held, held.width, held.height, width);
    this.held = held;
    return this.small;
  }

  /**
   * Takes the frame ``hold`` holds (null when none): the caller keeps it as a still, and the next
   * ``hold`` draws on a new canvas, so a still kept across frames is never drawn over.
   * @returns {HTMLCanvasElement|null}
   */
  take() {
    const held = this.held;
    this.held = null;
    if (held) this.heldCanvas = null;
    return held;
  }

  /**
   * The current frame as a JPEG at most ``width`` px wide.
   * @param {number} width @param {number} quality 0..1 @returns {Promise<Blob>}
   */
  grab(width, quality) {
    const canvas = this.draw(width);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  }

  /**
   * A capture: the current frame at most ``width`` px wide, re-encoded at a lower quality while it is
   * over ``maxBytes`` (the server's frame limit, from the wire constants), so it is never refused for size.
   * @param {number} width @param {number} quality @param {number} maxBytes @returns {Promise<Blob>}
   */
  async capture(width, quality, maxBytes) {
    return this.encode(this.draw(width), quality, maxBytes);
  }

  /** ``canvas`` as a JPEG at ``quality``, lowered while it is over ``maxBytes``. @returns {Promise<Blob>} */
  async encode(canvas, quality, maxBytes) {
    let blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
    for (let q = quality - 0.15; blob.size > maxBytes && q > 0.3; q -= 0.15) {
      blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", q));
    }
    return blob;
  }
}

/** ``source`` (``sourceWidth`` × ``sourceHeight``) drawn at most ``width`` px wide on ``canvas`` (made when null). */
function drawOn(canvas, source, sourceWidth, sourceHeight, width) {
  const scale = Math.min(1, width / sourceWidth);
  const target = canvas || document.createElement("canvas");
  target.width = Math.round(sourceWidth * scale);
  target.height = Math.round(sourceHeight * scale);
  target.getContext("2d").drawImage(source, 0, 0, target.width, target.height);
  return target;
}
