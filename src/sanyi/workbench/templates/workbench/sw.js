/* 三一工作台的 service worker（手写，见 docs/adr/0024-phone-workbench-service-worker.md）.
   Static assets: cache first. Pages: network first; without a network, the few grid pages
   an officer works from (home, 今日任务, a task they opened) from the last visit, anything
   else the offline page. Nothing but those pages is kept, and signing out clears them. */
"use strict";
var CONFIG = {{ config|safe }};
var SHELL = "sanyi-shell-" + CONFIG.version;
var PAGES = "sanyi-pages-" + CONFIG.version;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) { return cache.addAll(CONFIG.shell); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("sanyi-") === 0 && n !== SHELL && n !== PAGES;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function keepable(url) {
  return CONFIG.keep.indexOf(url.pathname) !== -1 || url.pathname.indexOf(CONFIG.keepPrefix) === 0;
}

function staticFirst(request) {
  return caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  });
}

function pageNetworkFirst(request, url) {
  return fetch(request).then(function (response) {
    if (keepable(url) && response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return (keepable(url) ? caches.match(request, { cacheName: PAGES }) : Promise.resolve(null))
      .then(function (hit) { return hit || caches.match(CONFIG.offline); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(staticFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(pageNetworkFirst(request, url));
  }
});

self.addEventListener("message", function (event) {
  if (event.data === "sanyi-signed-out") {
    event.waitUntil(caches.delete(PAGES));
  }
});

/* Background Sync, where the browser has it: the page registers "sanyi-visit-drafts" when
   it saves a draft; the page that is open then sends the drafts (it holds the session's
   CSRF token), so here the worker only wakes the open pages. */
self.addEventListener("sync", function (event) {
  if (event.tag !== "sanyi-visit-drafts") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (c) { c.postMessage("sanyi-send-drafts"); });
  }));
});
