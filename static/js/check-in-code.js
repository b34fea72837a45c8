// The check-in code on the room's screen: fetched again when it changes, without reloading the
// page (a timed reload cannot be paused, WCAG 2.2.1), and paused or resumed with the button.
// Without this script the page shows the code of its minute and a link to the current one.
(function () {
  "use strict";
  var live = document.querySelector("[data-refresh]");
  var button = document.getElementById("pause-code");
  if (!live || !button) return;
  var timer = null;
  var paused = false;

  function schedule(seconds) {
    clearTimeout(timer);
    live.dataset.state = paused ? "paused" : "waiting";
    if (!paused) timer = setTimeout(refresh, seconds * 1000);
  }

  function refresh() {
    live.dataset.state = "loading";
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-refresh]");
        if (!fresh) throw new Error("no code in the page");
        var code = live.querySelector(".check-in-code");
        var freshCode = fresh.querySelector(".check-in-code");
        if (code && freshCode) {
          // the same live region gets the new text, so a screen reader announces it
          code.textContent = freshCode.textContent;
          live.querySelector(".qr").innerHTML = fresh.querySelector(".qr").innerHTML;
        } else {
          live.innerHTML = fresh.innerHTML; // the window opened or closed
        }
        live.dataset.refresh = fresh.dataset.refresh;
        schedule(Number(fresh.dataset.refresh) || 30);
      })
      .catch(function () {
        schedule(10); // no connection: try again soon
      });
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    paused = !paused;
    button.textContent = paused ? button.dataset.resume : button.dataset.pause;
    if (paused) schedule(0);
    else refresh();
  });
  schedule(Number(live.dataset.refresh) || 30);
})();
