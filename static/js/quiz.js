// Saves each quiz answer on the server as it is given. An answer waits in this browser's storage
// (keyed by the attempt) until the server has stored it, so nothing is lost to a dropped
// connection, a server outage, an expired form token or the end of the session: the page says
// what happened, and the waiting answers are sent once the connection, the server or a new login
// is back. An answer is dropped only when the server refuses that very answer (the attempt was
// submitted, the question is not in it); the page lists those.
// Without this script the page's "Save answers" button works.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var url = form.dataset.autosave;
  var pagePath = window.location.pathname;
  var loginPath = form.dataset.loginPath;
  var token = form.querySelector("input[name=csrf_token]").value;
  var storeKey = "tugi-attempt-" + form.dataset.attempt;
  var overall = document.getElementById("save-state");
  var loginNotice = document.getElementById("save-login");
  var troubleNotice = document.getElementById("save-trouble");
  var refusedNotice = document.getElementById("save-refused");
  var timers = {};
  var busy = false, needsLogin = false, freshTokenTried = false, retryTimer = null, delay = 3000;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function store(pending) {
    try { window.localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* full or private mode */ }
  }
  function fieldset(position) {
    return form.querySelector('[data-position="' + position + '"]');
  }
  function show(position, text, kind) {
    var box = fieldset(position);
    box = (box && box.querySelector(".question-state")) || overall;
    box.textContent = text;
    box.dataset.state = kind;
  }
  function showWaiting(text, kind) {
    Object.keys(load()).forEach(function (position) { show(position, text, kind); });
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
  function retryLater(wait) {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(pump, wait);
  }
  // Lists an answer the server refused, under the question's number as shown.
  function refuse(position, reason) {
    var box = fieldset(position);
    var number = box ? box.dataset.number : String(Number(position) + 1);
    var item = document.createElement("li");
    item.textContent = form.dataset.textQuestion.replace("{n}", number) + ": " + reason;
    refusedNotice.querySelector("ul").appendChild(item);
    refusedNotice.hidden = false;
    show(position, form.dataset.textError + " " + reason, "error");
  }
  function drop(position, body) {
    var now = load();
    if (now[position] === body) { delete now[position]; store(now); return true; }
    return false;  // a newer answer to the question waits: it is sent next
  }

  // One request at a time, oldest question first, so that a later answer is never overwritten
  // by an earlier one that arrived late; a newer answer to the same question replaces the queued one.
  function send(position, body) {
    var pending = load();
    pending[position] = body;
    store(pending);
    show(position, form.dataset.textSaving, "saving");
    if (needsLogin) { show(position, form.dataset.textLogin, "waiting"); return; }
    pump();
  }
  function pump() {
    if (busy || needsLogin) return;
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
      var done = function (reply) {
        return { status: response.status, path: new URL(response.url).pathname, reply: reply || {} };
      };
      return response.json().then(done, function () { return done({}); });
    }).then(function (result) {
      busy = false;
      answered(position, body, result);
    }).catch(function () {
      busy = false;
      showWaiting(form.dataset.textOffline, "offline");
      retryLater(5000);
    });
  }
  function answered(position, body, result) {
    var reply = result.reply;
    if (result.status === 200 && reply.saved) {
      delay = 3000;
      freshTokenTried = false;
      troubleNotice.hidden = true;
      loginNotice.hidden = true;
      if (drop(position, body)) show(position, form.dataset.textSaved, "saved");
      pump();
    } else if (reply.refused) {  // the server's answer about this very answer: final
      if (reply.closed) {
        Object.keys(load()).forEach(function (each) { refuse(each, reply.error); });
        store({});
        document.getElementById("save-closed").hidden = false;
        return;
      }
      if (drop(position, body)) refuse(position, reply.error);
      pump();
    } else if (result.status >= 500) {  // an outage: keep everything and try again
      troubleNotice.hidden = false;
      show(position, form.dataset.textError + " " + (reply.error || ""), "error");
      retryLater(delay);
      delay = Math.min(delay * 2, 60000);
    } else {  // the session ended or the form's token expired: nothing is dropped
      busy = true;
      recover();
    }
  }
  // Opens the attempt's page again: a page of the attempt gives a fresh token to send with;
  // the login page means the session ended, and the person is asked to log in again.
  function recover() {
    fetch(pagePath, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        return response.text().then(function (html) {
          return { path: new URL(response.url).pathname, html: html };
        });
      }).then(function (page) {
        busy = false;
        if (page.path === loginPath) { loggedOut(); return; }
        var doc = new DOMParser().parseFromString(page.html, "text/html");
        var field = doc.querySelector("input[name=csrf_token]");
        if (field && !freshTokenTried) {
          freshTokenTried = true;
          token = field.value;
          pump();
          return;
        }
        showWaiting(form.dataset.textLater, "error");
        retryLater(30000);
        freshTokenTried = false;
      }).catch(function () {
        busy = false;
        showWaiting(form.dataset.textOffline, "offline");
        retryLater(5000);
      });
  }
  function loggedOut() {
    needsLogin = true;
    loginNotice.hidden = false;
    showWaiting(form.dataset.textLogin, "waiting");
  }
  // Back from another tab (where the person may have logged in again) or back online.
  function wake() {
    if (needsLogin && !busy) {
      needsLogin = false;
      freshTokenTried = false;
      busy = true;
      recover();
    } else {
      pump();
    }
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
    show(position, form.dataset.textSaving, "saving");
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  window.addEventListener("online", wake);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") wake();
  });
  var waiting = load();
  Object.keys(waiting).forEach(function (position) { restore(position, waiting[position]); });
  pump();

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
