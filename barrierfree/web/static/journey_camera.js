// The journey's camera page: mounts the SDK on #barrierfree and keeps the page's heading,
// help, title and progress in step with it (the same page runs every camera step).
// A static file, not an inline script, so that the Content-Security-Policy needs no 'unsafe-inline'.
import { BarrierFree } from "./sdk/barrierfree.js";

const host = document.getElementById("barrierfree");
const sdk = BarrierFree.mount(host, {
  api: host.dataset.api, journeyId: host.dataset.journey, token: host.dataset.token,
  lang: host.dataset.lang, liveRegion: document.getElementById("live"),
  messages: JSON.parse(document.getElementById("sdk-labels").textContent),
  deviceEngine: host.dataset.deviceEngine || null,
});
const texts = JSON.parse(document.getElementById("step-texts").textContent);
const order = ["consent", "assistance", "card_front", "card_back", "liveness", "face_match", "review"];
host.addEventListener("barrierfree:step", (event) => {
  const step = event.detail.step;
  if (!texts[step]) { window.location.assign(host.dataset.next); return; }
  const [title, help] = texts[step];
  document.getElementById("step-title").textContent = title;
  document.getElementById("step-help").textContent = help;
  document.title = `${title} · ${texts.title}`;
  const progress = document.querySelector(".progress");
  if (progress) progress.textContent = texts.progress.replace("{number}", order.indexOf(step) + 1);
});
// An unsure face match sent to staff: the step page says what happens next (and speaks it when self-voicing).
host.addEventListener("barrierfree:staff-review", () => window.location.assign(host.dataset.next));
window.barrierfree = sdk;
