/* Window (counter) pages: show only the fields the chosen decision needs, and the print
   buttons. A static file because the Content Security Policy allows no inline script. */
(function () {
  "use strict";

  function syncDecision(form) {
    var checked = form.querySelector("input[name=decision]:checked");
    var value = checked ? checked.value : "";
    var blocks = form.querySelectorAll("[data-decision]");
    for (var i = 0; i < blocks.length; i++) {
      blocks[i].hidden = blocks[i].getAttribute("data-decision") !== value;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("accept-form");
    if (form) {
      syncDecision(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "decision") syncDecision(form);
      });
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) window.print();
  });
})();
