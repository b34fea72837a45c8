// A "Print" button for pages meant for paper (a trainer's guide): shown only when script runs,
// since without it the browser's own print command does the same.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
