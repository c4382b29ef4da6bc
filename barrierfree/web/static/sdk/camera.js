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
    const video = this.video;
    const scale = Math.min(1, width / video.videoWidth);
    const canvas = this.canvas || (this.canvas = document.createElement("canvas"));
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return canvas;
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
    const canvas = this.draw(width);
    let blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
    for (let q = quality - 0.15; blob.size > maxBytes && q > 0.3; q -= 0.15) {
      blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", q));
    }
    return blob;
  }
}
