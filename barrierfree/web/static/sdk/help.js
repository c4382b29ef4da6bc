// Time limits and help: the time-limit warning and its extension (every limit is extendable), the
// help offer after repeated trouble, typing the fields a card reading kept failing, and waiting
// for a member of staff.

import { el } from "./ui.js";

export class Help {
  /** @param {import("./session.js").Session} session */
  constructor(session) {
    this.session = session;
    this.warnTimer = null;
  }

  /** Warns (spoken, live region, focus on "more time") when the journey's warning time comes. */
  watchDeadline() {
    const s = this.session;
    clearTimeout(this.warnTimer);
    const journey = s.journey;
    if (!journey || !journey.warn_at) return;
    const inMs = Date.parse(journey.warn_at) - Date.now();
    this.warnTimer = setTimeout(() => {
      s.emit("warning", { deadline: journey.deadline });
      s.enqueue({ id: "journey.sdk_time_warning" });
      s.extendButton.focus();
    }, Math.max(0, inMs));
  }

  async extend() {
    const s = this.session;
    s.journey = await s.request("POST", s.journeyPath("/extend"));
    s.enqueue({ id: "journey.sdk_time_extended" });
    this.watchDeadline();
  }

  /** The step is paused (five failures in three minutes): stop the camera, offer a person or a retry. */
  showHelp() {
    const s = this.session;
    s.stop();
    s.emit("paused", { journey: s.journey });
    s.enqueue({ id: "journey.sdk_help_offer" });
    this.helpButtons(s.journey.help_options);
    s.ui.helpBox.querySelector("button").focus();
  }

  /** A face match unsure twice waits for a member of staff: no camera and no retry; say so (once), not the help offer. */
  waitForStaff() {
    const s = this.session;
    s.stop();
    s.emit("staff-review", { journey: s.journey });
    const id = s.journey.message_id || "face.match.staff_review";
    const said = [...s.queue.map((item) => item.cue), s.lastCue].some((cue) => cue && (cue.message_id || cue.id) === id);
    if (!said) s.enqueue({ id });
  }

  /** The guide offers a person after repeated trouble; the camera keeps going while the offer stands. */
  offerHelp() {
    this.session.emit("help", { journey: this.session.journey });
    this.helpButtons(["sign_language", "call_back"]);
  }

  offerTyping() {
    const s = this.session;
    this.offerHelp();
    const node = s.ui.button("bf-type-fields", "journey.sdk_type_fields", () => {
      s.typeFields = true;
      s.manualRequested = true;
    });
    s.ui.helpBox.prepend(node);
    s.enqueue({ id: "journey.sdk_type_fields_offer" });
  }

  helpButtons(choices) {
    const s = this.session;
    const box = s.ui.helpBox;
    box.replaceChildren();
    for (const choice of choices) {
      const node = s.ui.button(`bf-help-${choice}`, `journey.sdk_help_${choice}`, async () => {
        s.journey = await s.request("POST", s.journeyPath("/help"), { json: { choice } });
        if (choice === "retry") { box.hidden = true; s.running = true; s.run().catch((e) => s.fail(e)); return; }
        s.enqueue({ id: `journey.sdk_help_${choice}_requested` });
        if (s.journey.help_url) box.append(el("a", { href: s.journey.help_url, id: "bf-help-link" }, s.t("journey.sdk_help_open_queue")));
      });
      box.append(node);
    }
    box.hidden = false;
  }
}
