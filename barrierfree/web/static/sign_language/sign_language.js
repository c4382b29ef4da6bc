// Sign-language pages: announced slot choice, live queue status, the video room.
// Every change is written into the page's live region (#live) as text; nothing relies on sound.
(function () {
  "use strict";
  var live = document.getElementById("live");
  function announce(text) {
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }
  function postJSON(url, body) {
    return fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
                        body: JSON.stringify(body) })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); });
  }

  // Time picker (slot_picker.js): a chosen time is announced, shown in text and, on the booking page, held.
  var picker = document.getElementById("slot-picker");
  if (picker) {
    var selection = document.getElementById("selection");
    var template = selection.getAttribute("data-selected-template");
    picker.addEventListener("slotchosen", function (event) {
      var text = template.replace("{label}", event.detail.label);
      selection.textContent = text;
      announce(text);
      if (holdBox) holdSlot(event.detail.value, picker.closest("form"), text);
    });
  }

  // Booking page: the chosen time is held while the customer types (POST bookings with hold), the
  // limit is shown in text, announced 20 s before it runs out and extended by a real button.
  var holdBox = document.getElementById("hold");
  var hold = null;
  function sendJSON(method, url, body) {
    return fetch(url, { method: method, headers: { "Content-Type": "application/json", Accept: "application/json" },
                        credentials: "same-origin", body: body ? JSON.stringify(body) : undefined })
      .then(function (r) { return r.json().then(function (doc) { return { ok: r.ok, doc: doc }; }); });
  }
  function holdText(name) { return holdBox.getAttribute("data-text-" + name); }
  function localTime(iso) {
    return new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23",
                                              timeZone: holdBox.getAttribute("data-tz") }).format(new Date(iso));
  }
  function showHold(text, speak) {
    document.getElementById("hold-text").textContent = text;
    holdBox.hidden = false;
    if (speak) announce(text);
  }
  function clearTimers() {
    if (hold) { window.clearTimeout(hold.warnTimer); window.clearTimeout(hold.endTimer); }
  }
  function startHold(booking, text) {
    clearTimers();
    // Timed from the seconds the server says are left, so a wrong phone clock cannot shorten the hold.
    var left = booking.hold_seconds_left * 1000;
    var warnSeconds = Number(holdBox.getAttribute("data-warn-seconds"));
    hold = { id: booking.id };
    document.getElementById("hold-id").value = booking.id;
    holdBox.classList.remove("warning");
    document.getElementById("hold-extend").hidden = false;
    showHold(text, true);
    hold.warnTimer = window.setTimeout(function () {
      holdBox.classList.add("warning");
      showHold(holdText("warning").replace("{seconds}", warnSeconds), true);
    }, Math.max(0, left - warnSeconds * 1000));
    hold.endTimer = window.setTimeout(endHold, left);
  }
  function endHold() {
    clearTimers();
    hold = null;
    document.getElementById("hold-id").value = "";
    document.getElementById("hold-extend").hidden = true;
    showHold(holdText("expired"), true);
  }
  function holdSlot(value, form, chosenText) {
    // Let the previous time go first, so that a new time next to it (same agent) is not refused as taken by our own hold.
    var released = hold ? sendJSON("DELETE", holdBox.getAttribute("data-api") + "/" + hold.id).catch(function () {}) : Promise.resolve();
    clearTimers();
    hold = null;
    document.getElementById("hold-id").value = "";
    var parts = value.split("|");
    var skill = form.querySelector("input[name=skill]").value;
    holding = released
      .then(function () { return sendJSON("POST", holdBox.getAttribute("data-api"), { agent_id: parts[0], start: parts[1], skill: skill, hold: true }); })
      .then(function (answer) {
        if (!answer.ok) {
          showHold(holdText(answer.doc.type === "/problems/slot-taken" ? "taken" : "failed"), true);
          document.getElementById("hold-extend").hidden = true;
          return;
        }
        var minutes = Math.round(answer.doc.hold_seconds_left / 60);
        startHold(answer.doc, chosenText + " " + holdText("held").replace("{time}", localTime(answer.doc.held_until)).replace("{minutes}", minutes));
      })
      .catch(function () { showHold(holdText("failed"), true); })
      .then(function () { holding = null; });
  }
  // A booking sent while the chosen time's hold is still on its way would find the time taken
  // (by that very hold): wait for the hold's answer, then send the form with its id.
  var holding = null;
  if (holdBox) {
    holdBox.closest("form").addEventListener("submit", function (event) {
      if (!holding) return;
      event.preventDefault();
      var form = holdBox.closest("form");
      holding.then(function () { form.submit(); });
    });
  }
  if (holdBox) {
    document.getElementById("hold-extend").addEventListener("click", function () {
      if (!hold) return;
      sendJSON("POST", holdBox.getAttribute("data-api") + "/" + hold.id + "/extend").then(function (answer) {
        if (answer.ok) startHold(answer.doc, holdText("extended").replace("{time}", localTime(answer.doc.held_until)));
        else endHold();
      }).catch(function () { showHold(holdText("failed"), true); });
    });
  }

  var errorBox = document.getElementById("error-box");
  if (errorBox) errorBox.focus();

  // Queue: poll the ticket; when an agent claims it, show, flash, vibrate and announce.
  var queue = document.getElementById("queue");
  if (queue && queue.getAttribute("data-status") === "waiting") {
    var state = document.getElementById("queue-state");
    var lastPosition = null;
    var pollQueue = function () {
      getJSON(queue.getAttribute("data-status-url")).then(function (ticket) {
        if (ticket.status === "waiting") {
          if (ticket.position !== lastPosition) {
            var text = queue.getAttribute("data-position-template").replace("{position}", ticket.position);
            state.textContent = text;
            if (lastPosition !== null) announce(text);
            lastPosition = ticket.position;
          }
          window.setTimeout(pollQueue, Number(queue.getAttribute("data-poll-ms")));
        } else if (ticket.status === "claimed") {
          var claimed = queue.getAttribute("data-claimed-text");
          state.textContent = claimed;
          document.getElementById("room-link").href = queue.getAttribute("data-room-url");
          document.getElementById("joining").hidden = false;
          document.body.classList.add("agent-joining");
          if (navigator.vibrate) navigator.vibrate([400, 200, 400, 200, 400]);
          announce(claimed);
          document.getElementById("joining-heading").focus();
        } else {
          window.location.reload();
        }
      }).catch(function () { window.setTimeout(pollQueue, 2 * Number(queue.getAttribute("data-poll-ms"))); });
    };
    pollQueue();
  }

  // Agent console: keep the waiting count current and announce changes.
  var consoleBox = document.getElementById("agent-console");
  if (consoleBox) {
    var count = document.getElementById("waiting-count");
    var known = null;
    var pollConsole = function () {
      getJSON(consoleBox.getAttribute("data-console-url")).then(function (data) {
        var text = consoleBox.getAttribute("data-count-template").replace("{count}", data.waiting.length);
        if (known !== null && data.waiting.length !== known) announce(text);
        known = data.waiting.length;
        count.textContent = text;
      }).catch(function () {}).then(function () {
        window.setTimeout(pollConsole, Number(consoleBox.getAttribute("data-poll-ms")));
      });
    };
    pollConsole();
  }

  var room = document.getElementById("room");
  if (room) startRoom(room);

  function startRoom(room) {
    var api = room.getAttribute("data-api");
    var role = room.getAttribute("data-role");
    var pollMs = Number(room.getAttribute("data-poll-ms"));
    var text = function (name) { return room.getAttribute("data-text-" + name); };

    // Chat beside the video: typed questions and captions. Lines go into the list inside the log
    // container. The server decides who sent a line from this browser's credential; "as" only says
    // which of the roles it holds this page is (one browser may hold both).
    var log = document.getElementById("chat-log");
    var lines = document.getElementById("chat-lines");
    var as = "as=" + encodeURIComponent(role);
    var lastLine = 0;
    var firstLoad = true;
    var pollChat = function () {
      getJSON(api + "/chat?" + as + "&after=" + lastLine).then(function (data) {
        data.lines.forEach(function (line) {
          lastLine = Math.max(lastLine, line.id);
          var item = document.createElement("li");
          var who = line.from === role ? text("you") : text("other");
          item.textContent = who + ": " + line.text;
          lines.appendChild(item);
          if (!firstLoad && line.from !== role) {
            announce(text("new").replace("{text}", line.text));
            if (navigator.vibrate) navigator.vibrate(200);
          }
        });
        firstLoad = false;
        log.scrollTop = log.scrollHeight;
      }).catch(function () {}).then(function () { window.setTimeout(pollChat, pollMs); });
    };
    pollChat();
    document.getElementById("chat-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("chat-text");
      var value = input.value.trim();
      if (!value) return;
      postJSON(api + "/chat?" + as, { text: value }).then(function () { input.value = ""; input.focus(); });
    });

    // WebRTC: the agent makes the offer; the customer answers. Signals go through the app.
    var startButton = document.getElementById("start-video");
    if (!startButton) return;
    var callState = document.getElementById("call-state");
    var setState = function (message) { callState.textContent = message; announce(message); };
    var pc = null;
    var lastSignal = 0;
    var send = function (kind, payload) { return postJSON(api + "/signals?" + as, { kind: kind, payload: payload }); };
    var makeOffer = function () {
      return pc.createOffer().then(function (offer) { return pc.setLocalDescription(offer); })
        .then(function () { return send("offer", pc.localDescription.toJSON()); });
    };
    var handle = function (signal) {
      if (signal.kind === "hello" && role === "agent") return makeOffer();
      if (signal.kind === "offer" && role === "customer") {
        return pc.setRemoteDescription(signal.payload).then(function () { return pc.createAnswer(); })
          .then(function (answer) { return pc.setLocalDescription(answer); })
          .then(function () { return send("answer", pc.localDescription.toJSON()); });
      }
      if (signal.kind === "answer" && role === "agent") return pc.setRemoteDescription(signal.payload);
      if (signal.kind === "candidate" && signal.payload) return pc.addIceCandidate(signal.payload).catch(function () {});
      return Promise.resolve();
    };
    var pollSignals = function () {
      getJSON(api + "/signals?" + as + "&after=" + lastSignal).then(function (data) {
        var chain = Promise.resolve();
        data.signals.forEach(function (signal) {
          lastSignal = Math.max(lastSignal, signal.id);
          chain = chain.then(function () { return handle(signal); });
        });
        return chain;
      }).catch(function () {}).then(function () { window.setTimeout(pollSignals, pollMs); });
    };
    startButton.addEventListener("click", function () {
      startButton.disabled = true;
      navigator.mediaDevices.getUserMedia({ video: true, audio: false }).then(function (stream) {
        document.getElementById("local-video").srcObject = stream;
        var servers = JSON.parse(room.getAttribute("data-ice") || "[]").map(function (url) { return { urls: url }; });
        pc = new RTCPeerConnection({ iceServers: servers });
        stream.getTracks().forEach(function (track) { pc.addTrack(track, stream); });
        pc.ontrack = function (event) { document.getElementById("remote-video").srcObject = event.streams[0]; };
        pc.onicecandidate = function (event) { if (event.candidate) send("candidate", event.candidate.toJSON()); };
        pc.onconnectionstatechange = function () {
          if (pc.connectionState === "connected") setState(text("connected"));
          if (pc.connectionState === "failed") setState(text("failed"));
        };
        setState(text("waiting"));
        // Only messages after our hello matter: an older offer belonged to an earlier visit.
        return getJSON(api + "/signals?" + as + "&after=0").then(function (data) {
          data.signals.forEach(function (s) { lastSignal = Math.max(lastSignal, s.id); });
          var customerWaiting = data.signals.some(function (s) { return s.kind === "hello"; });
          return send("hello", {}).then(function () {
            if (role === "agent" && customerWaiting) return makeOffer();
          });
        }).then(pollSignals);
      }).catch(function () { startButton.disabled = false; setState(text("denied")); });
    });
  }
})();
