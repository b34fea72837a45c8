// Saves each quiz answer on the server as it is given. An answer that cannot be sent (no
// connection) waits in this browser's storage and is sent again when the connection returns,
// or when the page is opened again. Without this script the page's "Save answers" button works.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var url = form.dataset.autosave;
  var token = form.querySelector("input[name=csrf_token]").value;
  var storeKey = "tugi-attempt-" + form.dataset.attempt;
  var overall = document.getElementById("save-state");
  var timers = {};

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function store(pending) {
    try { window.localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* full or private mode */ }
  }
  function stateOf(position) {
    var box = form.querySelector('[data-position="' + position + '"] .question-state');
    return box || overall;
  }
  function show(position, text, kind) {
    var box = stateOf(position);
    box.textContent = text;
    box.dataset.state = kind;
  }
  function fieldsOf(position) {
    var prefix = "q-" + position;
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === prefix || el.name.indexOf(prefix + "-") === 0;
    });
  }
  function encode(position) {
    var data = new URLSearchParams();
    data.append("position", position);
    fieldsOf(position).forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      data.append(el.name, el.value);
    });
    return data.toString();
  }
  // One request at a time, oldest question first, so that a later answer is never overwritten
  // by an earlier one that arrived late; a newer answer to the same question replaces the queued one.
  var busy = false;
  function send(position, body) {
    var pending = load();
    pending[position] = body;
    store(pending);
    show(position, form.dataset.textSaving, "saving");
    pump();
  }
  function pump() {
    if (busy) return;
    var pending = load();
    var positions = Object.keys(pending);
    if (!positions.length) return;
    var position = positions[0], body = pending[position];
    busy = true;
    fetch(url, {
      method: "POST",
      body: body + "&csrf_token=" + encodeURIComponent(token),
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token, "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (reply) { return { status: response.status, reply: reply }; },
                                   function () { return { status: response.status, reply: {} }; });
    }).then(function (result) {
      busy = false;
      var now = load();
      var newer = now[position] !== undefined && now[position] !== body;
      if (result.status < 500 && !newer) { delete now[position]; store(now); }
      if (result.reply.closed) { window.location.reload(); return; }
      if (result.status >= 500) {
        show(position, form.dataset.textError + " " + (result.reply.error || ""), "error");
        window.setTimeout(pump, 3000);
        return;
      }
      if (!newer) {
        if (result.status === 200) show(position, form.dataset.textSaved, "saved");
        else show(position, form.dataset.textError + " " + result.reply.error, "error");
      }
      pump();
    }).catch(function () {
      busy = false;
      show(position, form.dataset.textOffline, "offline");
      window.setTimeout(pump, 5000);
    });
  }
  function changed(event) {
    var box = event.target.closest("[data-position]");
    if (!box) return;
    var position = box.dataset.position;
    var typing = event.type === "input" && (event.target.tagName === "TEXTAREA" || event.target.type === "text");
    if (event.type === "input" && !typing) return;
    window.clearTimeout(timers[position]);
    timers[position] = window.setTimeout(function () { send(position, encode(position)); }, typing ? 800 : 0);
  }
  function restore(position, body) {
    var values = new URLSearchParams(body);
    fieldsOf(position).forEach(function (el) {
      var given = values.getAll(el.name);
      if (el.type === "radio" || el.type === "checkbox") el.checked = given.indexOf(el.value) >= 0;
      else el.value = given.length ? given[0] : "";
    });
  }
  function resendAll() {
    pump();
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  window.addEventListener("online", resendAll);
  var waiting = load();
  Object.keys(waiting).forEach(function (position) { restore(position, waiting[position]); });
  resendAll();

  var countdown = document.querySelector(".countdown[data-deadline]");
  if (countdown) {
    var deadline = Date.parse(countdown.dataset.deadline);
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      countdown.textContent = countdown.dataset.label + " " + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left === 0) { window.setTimeout(function () { window.location.reload(); }, 1500); return; }
      window.setTimeout(tick, 1000);
    };
    tick();
  }
})();
