/* Page behaviour shared by the portal and the workbench. Loaded as a static file because
   the Content Security Policy allows no inline script. */
(function () {
  "use strict";

  var STORAGE_KEY = "sanyi-care";
  var COOKIE_NAME = "sanyi_care";
  var root = document.documentElement;

  function readStored() {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (e) {
      return null; // storage blocked (private mode): the cookie alone remembers
    }
  }

  function cookieValue(name) {
    var match = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : null;
  }

  function remember(on) {
    try {
      window.localStorage.setItem(STORAGE_KEY, on ? "1" : "0");
    } catch (e) {
      /* cookie below still works */
    }
    // The cookie lets the server render the next page in the right size, without a flash.
    document.cookie =
      COOKIE_NAME + "=" + (on ? "1" : "0") + "; path=/; max-age=31536000; SameSite=Lax" +
      (window.location.protocol === "https:" ? "; Secure" : "");
  }

  function show(on) {
    root.classList.toggle("care", on);
    var buttons = document.querySelectorAll("[data-care-toggle]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  // localStorage is the browser's lasting memory; if the cookie was cleared or expired,
  // restore it from there.
  var stored = readStored();
  var cookieOn = cookieValue(COOKIE_NAME) === "1";
  if (stored !== null && (stored === "1") !== cookieOn) {
    remember(stored === "1");
  }
  var initial = stored !== null ? stored === "1" : cookieOn;
  show(initial);

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-care-toggle]") : null;
    if (!button) return;
    var on = !root.classList.contains("care");
    remember(on);
    show(on);
  });

  // Printing: folded sections (community stations…) are printed open, then folded back.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < closed.length; i++) {
      closed[i].open = true;
      openedForPrint.push(closed[i]);
    }
  });
  window.addEventListener("afterprint", function () {
    while (openedForPrint.length) openedForPrint.pop().open = false;
  });

  // A failed submit: the page comes back with the error summary at the top of the form
  // that failed (the form posts to "…#error-summary", so the browser already scrolled
  // there). Focus it so screen readers read it and the keyboard starts from it; the
  // summary's links then move the focus to each field.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    // A successful post redirects, and the browser carries the form's "#error-summary"
    // over to the next page: drop it from the address when that page has no summary.
    if (window.location.hash === "#error-summary" && !document.getElementById("error-summary")) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    if (!summary) return;
    summary.focus();
    if (summary.scrollIntoView) summary.scrollIntoView({ block: "start" });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    field.focus();
    var label = document.querySelector("label[for='" + field.id + "']");
    (field.closest("fieldset") || label || field).scrollIntoView({ block: "start" });
  });

  // A long dropdown (units grouped by level) marked data-filterable gets a filter box
  // above it: typing hides the options that do not contain the text (or their
  // data-search words: the unit picker's pinyin initials and codes). Without JavaScript
  // the dropdown stays a plain grouped select.
  function filterOptions(select, text) {
    var query = text.trim().toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      // data-search, when given, adds what the text does not show (pinyin initials, code).
      var key = (option.text + " " + (option.getAttribute("data-search") || "")).toLowerCase();
      var match = !query || key.indexOf(query) !== -1;
      option.hidden = !match;
      option.disabled = !match;
      if (match) shown += 1;
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    return shown;
  }

  function addFilter(select) {
    if (select.dataset.filterReady) return;
    select.dataset.filterReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.id = select.id + "-filter";
    box.className = "select-filter";
    box.setAttribute("aria-controls", select.id);
    box.setAttribute("autocomplete", "off");
    box.placeholder = select.dataset.filterable || "输入文字筛选";
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.className = "visually-hidden";
    label.textContent = "筛选" + (select.labels && select.labels[0] ? select.labels[0].textContent : "选项");
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.addEventListener("input", function () {
      var shown = filterOptions(select, box.value);
      status.textContent = box.value ? "找到" + shown + "项" : "";
    });
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select);
  }

  function addFilters(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-filterable]"), addFilter);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { addFilters(); });
  } else {
    addFilters();
  }
  document.addEventListener("htmx:load", function (event) { addFilters(event.target); });

  // htmx: send the CSRF token with every request that changes data.
  document.addEventListener("htmx:configRequest", function (event) {
    var headers = event.detail.headers;
    if (headers["X-CSRFToken"]) return;
    var token = cookieValue("csrftoken");
    if (!token) {
      var input = document.querySelector("input[name=csrfmiddlewaretoken]");
      token = input ? input.value : null;
    }
    if (token) headers["X-CSRFToken"] = token;
  });

  // Single-key shortcuts (the counter): an element with data-shortcut="n" is clicked when
  // N is pressed outside a text field, without Ctrl, Alt or Cmd. The keys are shown on the
  // buttons (<kbd>) and explained once on the page ([data-shortcut-help]).
  function typingIn(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }
  function showShortcutHelp() {
    if (!document.querySelector("[data-shortcut]")) return;
    document.querySelectorAll("[data-shortcut-help]").forEach(function (el) {
      el.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showShortcutHelp);
  } else {
    showShortcutHelp();
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (!event.key || event.key.length !== 1 || typingIn(event.target)) return;
    var key = event.key.toLowerCase();
    var target = document.querySelector("[data-shortcut='" + key.replace(/[^a-z0-9]/g, "") + "']");
    if (!target || key.replace(/[^a-z0-9]/g, "") === "") return;
    event.preventDefault();
    target.click();
  });
})();
