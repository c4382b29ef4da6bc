// Journey pages: the time-limit warning (announced at least 20 s ahead) and the spoken read-back of the review.
const live = document.getElementById("live");
const meta = document.getElementById("journey-meta");
const assistance = meta ? meta.dataset.assistance : "";
if (assistance === "large_text") document.body.classList.add("large-text");

function announce(text, speak) {
  if (live) { live.textContent = ""; setTimeout(() => { live.textContent = text; }, 50); }
  if (speak && "speechSynthesis" in window) {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang;
    window.speechSynthesis.speak(utterance);
  }
}

// A page that tells what happens next (e.g. staff review) says it in the live region, and aloud when self-voicing.
const onLoad = document.querySelector("[data-announce-on-load]");
if (onLoad) setTimeout(() => announce(onLoad.textContent.trim(), assistance === "self_voicing" || assistance === "large_text"), 500);

const limit = document.getElementById("limit-text");
if (limit) {
  const warnIn = Date.parse(limit.dataset.warnAt) - Date.now();
  const endIn = Date.parse(limit.dataset.deadline) - Date.now();
  const selfVoicing = assistance === "self_voicing" || assistance === "large_text";
  if (endIn > 0) {
    // Already inside the warning window (a short limit): warn once the page has been read out.
    setTimeout(() => { limit.textContent = limit.dataset.warning; announce(limit.dataset.warning, selfVoicing); }, Math.max(warnIn, 1000));
  }
  if (endIn > 0) {
    setTimeout(() => { limit.textContent = limit.dataset.expired; announce(limit.dataset.expired, selfVoicing); }, endIn);
  }
}

const readBack = document.getElementById("read-back");
if (readBack) {
  readBack.addEventListener("click", () => {
    const lines = [...document.querySelectorAll("[data-read-back]")].map((input) => {
      const label = document.querySelector(`label[for="${input.id}"]`).textContent.trim();
      return `${label}: ${input.value}`;
    });
    announce(lines.join("; "), false);
    if ("speechSynthesis" in window) {
      window.speechSynthesis.cancel();
      for (const line of lines) {
        const utterance = new SpeechSynthesisUtterance(line);
        utterance.lang = readBack.dataset.lang;
        window.speechSynthesis.speak(utterance);
      }
    }
  });
}

// "Read this aloud": the consent text spoken for a person who has not chosen self-voicing yet.
for (const button of document.querySelectorAll("button.read-aloud")) {
  button.addEventListener("click", () => {
    const text = document.getElementById(button.dataset.read).innerText;
    announce(text, false);
    if ("speechSynthesis" in window && window.speechSynthesis) {
      window.speechSynthesis.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = button.dataset.lang;
      window.speechSynthesis.speak(utterance);
    }
  });
}
