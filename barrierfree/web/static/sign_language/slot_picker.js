// The time picker as one composite widget (WAI-ARIA Authoring Practices: Tabs with automatic
// activation, and a single-select Listbox), built from the page's no-script radio buttons:
// - the days are a tab list: one Tab stop; Left/Right (and Up/Down) move between days, Home/End
//   go to the first/last day; the day's times show at once;
// - the chosen day's times are a listbox: one Tab stop (roving tabindex); Up/Down, Home/End,
//   PageUp/PageDown (5 at a time), and typing the start of a time ("14") jumps to it;
//   Enter, Space or a click chooses the time.
// Choosing puts the value in the form's hidden "slot" field, marks the option selected, moves focus
// to the next field and tells sign_language.js ("slotchosen"), which announces it and holds the time.
(function () {
  "use strict";
  var picker = document.getElementById("slot-picker");
  var source = document.getElementById("slot-days");
  if (!picker || !source) return;
  var days = Array.prototype.map.call(source.querySelectorAll("fieldset.slot-day"), function (fieldset) {
    return {
      label: fieldset.getAttribute("data-label"),
      tab: fieldset.getAttribute("data-tab"),
      slots: Array.prototype.map.call(fieldset.querySelectorAll("input[type=radio]"), function (radio) {
        return { value: radio.value, label: radio.getAttribute("data-label"),
                 short: picker.querySelector("label[for='" + radio.id + "']").textContent.trim(), checked: radio.checked };
      })
    };
  });
  if (!days.length) return;  // "no free times" stays as it is

  var chosenField = document.getElementById("chosen-slot");
  var widget = document.createElement("div");
  widget.className = "picker";
  var tablist = document.createElement("div");
  tablist.setAttribute("role", "tablist");
  tablist.setAttribute("aria-label", picker.getAttribute("data-days-label"));
  tablist.className = "day-tabs";
  widget.appendChild(tablist);
  var tabs = [];
  var lists = [];

  days.forEach(function (day, d) {
    var tab = document.createElement("button");
    tab.type = "button";
    tab.id = "day-tab-" + d;
    tab.className = "day-tab";
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", "day-panel-" + d);
    tab.textContent = day.tab;
    tablist.appendChild(tab);
    tabs.push(tab);

    var panel = document.createElement("div");
    panel.id = "day-panel-" + d;
    panel.className = "day-panel";
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    var list = document.createElement("ul");
    list.className = "time-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", picker.getAttribute("data-times-on").replace("{day}", day.label));
    list.setAttribute("aria-describedby", "pick-hint");
    day.slots.forEach(function (slot, s) {
      var option = document.createElement("li");
      option.id = "time-" + d + "-" + s;
      option.className = "time-option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.tabIndex = -1;
      option.textContent = slot.short;
      option.setAttribute("data-value", slot.value);
      option.setAttribute("data-label", slot.label);
      list.appendChild(option);
    });
    panel.appendChild(list);
    widget.appendChild(panel);
    lists.push(list);
  });
  source.replaceWith(widget);
  document.getElementById("pick-hint-text").textContent = picker.getAttribute("data-hint");

  function options(list) { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
  function current() { return tabs.findIndex(function (tab) { return tab.getAttribute("aria-selected") === "true"; }); }

  // Roving tabindex inside a list: exactly one option is in the Tab order.
  function rove(list, option) {
    options(list).forEach(function (other) { other.tabIndex = other === option ? 0 : -1; });
  }
  function showDay(index, focusTab) {
    tabs.forEach(function (tab, d) {
      var on = d === index;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    });
    var list = lists[index];
    if (!list.querySelector("[tabindex='0']")) rove(list, list.querySelector("[aria-selected=true]") || options(list)[0]);
    if (focusTab) tabs[index].focus();
  }

  function choose(option, quietly) {
    lists.forEach(function (list) {
      options(list).forEach(function (other) { other.setAttribute("aria-selected", other === option ? "true" : "false"); });
    });
    rove(option.parentNode, option);
    chosenField.value = option.getAttribute("data-value");
    if (quietly) return;
    picker.dispatchEvent(new CustomEvent("slotchosen", { detail: { value: chosenField.value, label: option.getAttribute("data-label") } }));
    var next = document.getElementById(picker.getAttribute("data-next"));
    if (next) next.focus();
  }

  tablist.addEventListener("keydown", function (event) {
    var index = current();
    var last = tabs.length - 1;
    var to = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: last }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    showDay(to < 0 ? last : to > last ? 0 : to, true);
  });
  tabs.forEach(function (tab, d) { tab.addEventListener("click", function () { showDay(d, true); }); });

  // Type-to-jump: characters typed within a second form a prefix; the next time starting with it gets focus.
  var typed = "";
  var typedAt = 0;
  function jump(list, key) {
    var now = Date.now();
    typed = (now - typedAt > 1000 ? "" : typed) + key.toLowerCase();
    typedAt = now;
    var all = options(list);
    var from = all.indexOf(document.activeElement);
    var start = typed.length === 1 ? from + 1 : from;  // a new first key moves on; a longer prefix may stay
    for (var i = 0; i < all.length; i++) {
      var option = all[(Math.max(start, 0) + i) % all.length];
      if (option.textContent.toLowerCase().indexOf(typed) === 0) return option;
    }
    return null;
  }

  lists.forEach(function (list) {
    list.addEventListener("keydown", function (event) {
      var all = options(list);
      var at = all.indexOf(document.activeElement);
      var target = null;
      if (event.key === "ArrowDown") target = all[Math.min(at + 1, all.length - 1)];
      else if (event.key === "ArrowUp") target = all[Math.max(at - 1, 0)];
      else if (event.key === "Home") target = all[0];
      else if (event.key === "End") target = all[all.length - 1];
      else if (event.key === "PageDown") target = all[Math.min(at + 5, all.length - 1)];
      else if (event.key === "PageUp") target = all[Math.max(at - 5, 0)];
      else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        if (at >= 0) choose(all[at]);
        return;
      } else if (event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey) target = jump(list, event.key);
      if (!target) return;
      event.preventDefault();
      rove(list, target);
      target.focus();
    });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(option);
    });
  });

  // Start on the day of a time chosen before (a form shown again after an error), else the first day.
  var preset = -1;
  days.forEach(function (day, d) {
    day.slots.forEach(function (slot, s) {
      if (slot.checked) { preset = d; choose(document.getElementById("time-" + d + "-" + s), true); }
    });
  });
  showDay(Math.max(preset, 0), false);
})();
