/* The area chooser: with JavaScript, the community list shows only the communities of
   the chosen subdistrict. Without it the form works as it is (the server checks that
   the community belongs to the subdistrict). */
(function () {
  "use strict";

  function narrow(form) {
    var sub = form.querySelector("[data-area-subdistrict]");
    var comm = form.querySelector("[data-area-community]");
    if (!sub || !comm) return;
    var chosen = sub.options[sub.selectedIndex] ? sub.options[sub.selectedIndex].text : "";
    var groups = comm.querySelectorAll("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var mine = sub.value !== "" && groups[i].label === chosen;
      groups[i].hidden = !mine;
      groups[i].disabled = !mine;
      if (!mine && comm.selectedIndex > 0 && comm.options[comm.selectedIndex].parentNode === groups[i]) {
        comm.selectedIndex = 0;
      }
    }
  }

  function init() {
    var forms = document.querySelectorAll("[data-area-chooser]");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        narrow(form);
        var sub = form.querySelector("[data-area-subdistrict]");
        if (sub) sub.addEventListener("change", function () { narrow(form); });
      })(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
