// The SDK's own user interface: the cue text, the ARIA live region, real <button>s, the help box,
// the (aria-hidden) preview and the flash layer.

/** @param {string} tag @param {Record<string, string>} [attrs] @param {string} [text] */
export function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

export class Ui {
  /**
   * @param {HTMLElement} element the host element
   * @param {{liveRegion?: HTMLElement|null}} options
   * @param {(id: string, params?: object) => string} t renders a catalog message
   */
  constructor(element, options, t) {
    this.element = element;
    this.t = t;
    const root = el("div", { class: "bf-sdk" });
    this.cueText = el("p", { class: "bf-cue", id: "bf-cue" });
    this.live = options.liveRegion || el("div", { role: "status", "aria-live": "polite", "aria-atomic": "true", class: "bf-live" });
    this.video = el("video", { playsinline: "", muted: "", autoplay: "", "aria-hidden": "true", class: "bf-video" });
    this.video.muted = true;
    // A camera delivers 1280 px or more: never wider than the page, or a phone zooms out (WCAG 1.4.10).
    // Set through the CSSOM, which a Content-Security-Policy without 'unsafe-inline' allows.
    this.video.style.cssText = "display:block;width:100%;max-width:100%;height:auto;";
    this.controls = el("div", { class: "bf-controls" });
    this.helpBox = el("div", { class: "bf-help", hidden: "" });
    this.flash = el("div", { class: "bf-flash", "aria-hidden": "true", hidden: "" });
    this.flash.style.cssText = "position:fixed;inset:0;z-index:2147483647;";
    root.append(this.cueText, this.controls, this.helpBox, this.video, this.flash);
    if (!options.liveRegion) root.append(this.live);
    element.append(root);
  }

  /** A real <button> labelled with catalog message ``messageId``. */
  button(id, messageId, action) {
    const node = el("button", { type: "button", id, "data-message": messageId });
    node.textContent = this.t(messageId);
    node.addEventListener("click", (event) => { event.preventDefault(); action(); });
    return node;
  }

  /** Labels every button again (once the catalog has arrived). */
  relabel() {
    for (const node of this.element.querySelectorAll("button[data-message]")) node.textContent = this.t(node.dataset.message);
  }

  /** Shows ``text`` and writes it to the live region (re-set, so that a repeated text is announced again). */
  write(text) {
    this.cueText.textContent = text;
    this.live.textContent = "";
    setTimeout(() => { this.live.textContent = text; }, 30);
  }

  /** @param {string} name @param {object} detail */
  emit(name, detail) {
    this.element.dispatchEvent(new CustomEvent(`barrierfree:${name}`, { detail, bubbles: true }));
  }
}
