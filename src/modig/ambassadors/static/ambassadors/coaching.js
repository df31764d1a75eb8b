// The coaching log offline: an entry submitted without network is kept in localStorage and
// sent when the network returns (the `online` event or the next page load). The form's
// server-issued idempotency key goes with it, so a resend can never make a second entry.
(function () {
  "use strict";
  var STORE = "modig.coaching.queue";

  function load() {
    try { return JSON.parse(window.localStorage.getItem(STORE)) || []; } catch (e) { return []; }
  }
  function save(queue) { window.localStorage.setItem(STORE, JSON.stringify(queue)); }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function status(text) {
    var box = document.getElementById("offline-status");
    if (!box) { return; }
    box.textContent = text;
    box.hidden = false;
  }
  function textOf(id, fallback) {
    var element = document.getElementById(id);
    return element ? element.textContent : fallback;
  }

  function body(pairs) {
    var data = new URLSearchParams();
    pairs.forEach(function (pair) {
      data.append(pair[0], pair[0] === "csrfmiddlewaretoken" ? (csrfToken() || pair[1]) : pair[1]);
    });
    return data;
  }

  // One POST; resolves to the JSON answer when saved, to a Response when refused, and
  // rejects when the network failed (or an answer that is not ours, e.g. a log-in page).
  function send(entry) {
    return window.fetch(entry.action, {
      method: "POST", body: body(entry.pairs), credentials: "same-origin",
      headers: {"X-Modig-Queue": "1", "X-CSRFToken": csrfToken()}
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("application/json") === 0) { return response.json(); }
      if (response.status === 400) { return response; }
      throw new Error("not saved");
    });
  }

  function showRefused(response) {
    return response.text().then(function (html) {
      document.open();
      document.write(html);
      document.close();
    });
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) { return; }
    var queue = load();
    if (!queue.length) { return; }
    flushing = true;
    var entry = queue[0];
    send(entry).then(function (answer) {
      save(load().filter(function (e) { return e.key !== entry.key; }));
      flushing = false;
      if (answer instanceof Response) { return showRefused(answer); }
      status(textOf("offline-sent-text", "Sent."));
      flush();
    }, function () { flushing = false; });
  }

  function keep(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) { pairs.push([name, String(value)]); });
    var key = form.querySelector("input[name=idempotency_key]").value;
    var queue = load().filter(function (e) { return e.key !== key; });
    queue.push({key: key, action: form.action, pairs: pairs});
    save(queue);
    status(textOf("offline-saved-text", "Saved on the phone."));
    form.reset();
    // A fresh key for the next entry typed offline, so it is not taken for a resend.
    form.querySelector("input[name=idempotency_key]").value = window.crypto.randomUUID();
  }

  function onSubmit(event) {
    var form = event.target;
    event.preventDefault();
    if (!navigator.onLine) { keep(form); return; }
    var pairs = [];
    new FormData(form).forEach(function (value, name) { pairs.push([name, String(value)]); });
    send({action: form.action, pairs: pairs}).then(function (answer) {
      if (answer instanceof Response) { return showRefused(answer); }
      window.location.assign(answer.url);
    }, function () { keep(form); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-offline-queue=coaching]");
    if (form && window.fetch && window.localStorage && window.crypto && window.crypto.randomUUID) {
      form.addEventListener("submit", onSubmit);
    }
    window.addEventListener("online", flush);
    flush();
  });
}());
