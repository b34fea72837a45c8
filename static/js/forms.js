// The error summary of a refused form (see _form.html) takes the keyboard focus when the page
// loads, so a screen reader reads it first and each problem's link is a Tab away. A link moves
// the focus to its field and scrolls its label (or its group's legend) into view with it.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary[tabindex]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
    var label = legend || document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
