/* "看看我能不能办": answer at once in the browser with the same JSON Logic rules the
   server checks (json-logic-js). Without JavaScript the form posts to the server. */
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function answers(form, known) {
    var facts = Object.assign({}, known);
    var kind = form.querySelector("input[name=applicant_kind]:checked");
    if (kind && facts.applicant_kind == null) facts.applicant_kind = kind.value;
    var age = form.querySelector("input[name=age]");
    if (age && age.value.trim() !== "" && facts.age == null) {
      var n = Number(age.value);
      if (Number.isInteger(n) && n >= 0 && n <= 150) facts.age = n;
    }
    var area = form.querySelector("select[name=area]");
    if (area && area.value && facts.in_district == null) {
      var option = area.options[area.selectedIndex];
      facts.in_district = area.value !== "outside";
      facts.subdistrict = option.getAttribute("data-subdistrict") || "";
      facts.community = option.getAttribute("data-community") || "";
    }
    return facts;
  }

  function check(rules, facts) {
    var failed = [], open = 0, unchecked = 0;
    rules.forEach(function (rule) {
      // The fields a rule reads come from the server, which reads them as it checks them.
      var missing = rule.fields.filter(function (name) { return facts[name] == null; });
      if (missing.length) {
        // A field no question asks for is checked when the resident applies.
        var askable = missing.some(function (name) { return rule.asked.indexOf(name) >= 0; });
        if (askable) { open += 1; } else { unchecked += 1; }
        return;
      }
      if (!window.jsonLogic.truthy(window.jsonLogic.apply(rule.logic, facts))) {
        failed.push(rule.reason);
      }
    });
    return { failed: failed, open: open, unchecked: unchecked };
  }

  function strong(text) {
    var node = document.createElement("strong");
    node.textContent = text;
    return node;
  }

  // The messages come translated from the page (data-text-* on the panel).
  function show(box, outcome, text) {
    box.textContent = "";
    var message = document.createElement("div");
    if (outcome.failed.length) {
      message.className = "alert message-error";
      var lead = document.createElement("p");
      lead.appendChild(strong(text.ineligible));
      var list = document.createElement("ul");
      outcome.failed.forEach(function (reason) {
        var item = document.createElement("li");
        item.textContent = reason;
        list.appendChild(item);
      });
      message.appendChild(lead);
      message.appendChild(list);
    } else if (!outcome.open && !outcome.unchecked) {
      message.className = "alert message-success";
      message.appendChild(strong(text.eligible));
    } else if (!outcome.open) {
      message.textContent = text.checked;
    } else {
      message.textContent = text.ask;
    }
    box.appendChild(message);
  }

  function init() {
    var panel = document.querySelector("[data-eligibility]");
    if (!panel || !window.jsonLogic) return;
    var rules = readJson("eligibility-rules") || [];
    var known = readJson("eligibility-known") || {};
    var form = panel.querySelector("[data-eligibility-form]");
    var box = panel.querySelector("[data-eligibility-result]");
    if (!form || !box) return;
    var text = {
      ineligible: panel.getAttribute("data-text-ineligible"),
      eligible: panel.getAttribute("data-text-eligible"),
      checked: panel.getAttribute("data-text-checked"),
      ask: panel.getAttribute("data-text-ask")
    };
    function update() { show(box, check(rules, answers(form, known)), text); }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
