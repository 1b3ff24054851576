/* The request forms: the organisation category is asked only of organisations.
   Without JavaScript the field simply stays visible. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-request-form]");
  if (!form) return;
  var category = form.querySelector("select[name$='organisation_category']");
  if (!category || !category.closest) return;
  var box = category.closest(".field");

  function sync() {
    var organisation = form.querySelector("input[name$='kind'][value='organisation']");
    box.hidden = !(organisation && organisation.checked);
  }

  form.addEventListener("change", function (event) {
    if (event.target.name && /kind$/.test(event.target.name)) sync();
  });
  sync();
})();
