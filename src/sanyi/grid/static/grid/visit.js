/* Doorstep visits on the phone: the signature pad, and offline drafts.
   A visit made without a network is kept in IndexedDB (fields, photos and the signature as
   Blobs) with an Idempotency-Key made when it was saved; it is marked 待上传 on the task and
   on 今日任务, and sent once to the API when the network is back (the online event, the
   next page load, or Background Sync). Sending it twice records one visit: the server keeps
   the key. Offline drafts use the signature: an SMS code needs the network. */
(function () {
  "use strict";
  var DB = "sanyi-drafts", STORE = "visits", sending = false;

  function db() {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open(DB, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(STORE, { keyPath: "key" }); };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }
  function tx(mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(STORE, mode), result;
        var req = work(t.objectStore(STORE));
        if (req) req.onsuccess = function () { result = req.result; };
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  var drafts = {
    all: function () { return tx("readonly", function (s) { return s.getAll(); }); },
    put: function (d) { return tx("readwrite", function (s) { return s.put(d); }); },
    remove: function (key) { return tx("readwrite", function (s) { return s.delete(key); }); }
  };

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  /* --- markers: 待上传 on tasks, the count on the phone home --- */
  function mark(list) {
    var byTask = {};
    list.forEach(function (d) { byTask[d.task] = d; });
    document.querySelectorAll("[data-draft-task]").forEach(function (el) {
      var d = byTask[el.dataset.draftTask];
      if (!d) { if (!el.dataset.sent) el.hidden = true; return; }
      el.hidden = false;
      el.textContent = d.error ? "上传失败：" + d.error : "待上传（" + d.saved + "保存在本机，有网络后自动发送）";
    });
    document.querySelectorAll("[data-draft-count]").forEach(function (el) {
      el.textContent = String(list.length);
    });
  }
  function refresh() { return drafts.all().then(mark).catch(function () {}); }

  /* --- sending --- */
  function send(d) {
    var body = new FormData();
    d.fields.forEach(function (f) { body.append(f[0], f[1]); });
    d.files.forEach(function (f) { body.append(f.name, f.blob, f.filename); });
    return fetch(d.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Idempotency-Key": d.key, "X-CSRFToken": csrf(), "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 201) {
        return drafts.remove(d.key).then(function () { sent(d); });
      }
      if (response.status === 401 || response.status === 403) {
        return null; // signed out: keep the draft untouched until the person signs in again
      }
      return response.json().catch(function () { return {}; }).then(function (problem) {
        d.error = problem.detail || "服务器没有接受（" + response.status + "）";
        return drafts.put(d);
      });
    });
  }
  function sent(d) {
    document.querySelectorAll('[data-draft-task="' + d.task + '"]').forEach(function (el) {
      el.dataset.sent = "1";
      el.hidden = false;
      el.textContent = "已上传，办件已进入下一环节";
    });
  }
  function sendAll() {
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    return drafts.all().then(function (list) {
      return list.filter(function (d) { return !d.error; }).reduce(function (chain, d) {
        return chain.then(function () { return send(d); }).catch(function () {});
      }, Promise.resolve());
    }).catch(function () {}).then(function () { sending = false; return refresh(); });
  }

  /* --- the visit form --- */
  function signaturePad(form) {
    var pad = document.getElementById("signature-pad");
    if (!pad) return null;
    pad.hidden = false;
    var canvas = pad.querySelector("canvas"), ctx = canvas.getContext("2d"), drawing = false;
    var state = { drawn: false, canvas: canvas };
    function at(e) {
      var r = canvas.getBoundingClientRect();
      return [(e.clientX - r.left) * canvas.width / r.width, (e.clientY - r.top) * canvas.height / r.height];
    }
    canvas.addEventListener("pointerdown", function (e) { drawing = true; var p = at(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); });
    canvas.addEventListener("pointermove", function (e) {
      if (!drawing) return; var p = at(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); state.drawn = true;
    });
    window.addEventListener("pointerup", function () { drawing = false; });
    document.getElementById("sig-clear").addEventListener("click", function () {
      ctx.clearRect(0, 0, canvas.width, canvas.height); state.drawn = false;
    });
    form.addEventListener("submit", function () {
      if (state.drawn) form.elements.signature.value = canvas.toDataURL("image/png");
    });
    return state;
  }

  function say(form, text) {
    var out = document.querySelector("[data-draft-message]");
    out.hidden = false;
    out.textContent = text;
    out.focus();
  }

  function saveDraft(form, pad) {
    var confirmation = form.querySelector('input[name="confirmation"]:checked');
    if (!confirmation || confirmation.value !== "signature" || !pad || !pad.drawn) {
      say(form, "现在没有网络，短信验证码发不出去：请选“手写签名”，请居民在下框内签名后再点“完成走访”。");
      return Promise.resolve();
    }
    var fields = [], files = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "signature") return;
      if (el.type === "file") {
        Array.prototype.forEach.call(el.files, function (f) { files.push({ name: el.name, blob: f, filename: f.name }); });
      } else if ((el.type === "radio" || el.type === "checkbox") && !el.checked) {
        return;
      } else {
        fields.push([el.name, el.value]);
      }
    });
    return new Promise(function (resolve) { pad.canvas.toBlob(resolve, "image/png"); }).then(function (blob) {
      files.push({ name: "signature", blob: blob, filename: "signature.png" });
      var now = new Date();
      return drafts.put({
        key: newKey(), task: form.dataset.task, url: form.dataset.api, fields: fields, files: files,
        saved: (now.getMonth() + 1) + "月" + now.getDate() + "日" + now.toTimeString().slice(0, 5)
      });
    }).then(function () {
      form.hidden = true;
      say(form, "没有网络，走访已保存在本机，标为“待上传”。有网络后会自动发送，只记录一次。");
      if (navigator.serviceWorker && navigator.serviceWorker.ready && window.SyncManager) {
        navigator.serviceWorker.ready.then(function (r) { return r.sync.register("sanyi-visit-drafts"); }).catch(function () {});
      }
      return refresh();
    });
  }

  function visitForm() {
    var form = document.getElementById("visit-form");
    if (!form) return;
    var pad = signaturePad(form);
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) return; // online: the page's own form, with its errors in place
      event.preventDefault();
      saveDraft(form, pad);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    visitForm();
    refresh().then(sendAll);
    window.addEventListener("online", sendAll);
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (e) { if (e.data === "sanyi-send-drafts") sendAll(); });
    }
  });
})();
