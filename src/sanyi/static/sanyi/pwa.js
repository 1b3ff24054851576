/* The phone workbench: register the service worker (scope /workbench/) and clear the pages
   it keeps for offline use when the person signs out. No inline script: CSP allows 'self'. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="sanyi-sw"]');
  if (!meta || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(meta.content, { scope: meta.dataset.scope }).catch(function () {});
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-sign-out]")) return;
    if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("sanyi-signed-out");
    if (window.caches) {
      caches.keys().then(function (names) {
        names.filter(function (n) { return n.indexOf("sanyi-pages-") === 0; })
          .forEach(function (n) { caches.delete(n); });
      });
    }
  });
})();
