// "Mark all present" on the register: fills in the empty rows of active trainees as present,
// in the form, where the trainer sees them, and leaves every value already chosen or typed.
// Nothing is saved until the trainer presses "Save the register". Without this script the
// button asks the server for the same filled-in form.
(function () {
  "use strict";
  var button = document.querySelector("[data-fill-present]");
  if (!button) return;
  var table = document.querySelector("table.register");
  var status = document.getElementById("fill-status");
  var minutes = table.dataset.sessionMinutes;

  button.addEventListener("click", function (event) {
    event.preventDefault();
    var filled = 0;
    table.querySelectorAll("tbody tr[data-fill]").forEach(function (row) {
      var select = row.querySelector("select");
      if (select.disabled || select.value !== "") return;
      select.value = "present";
      var field = row.querySelector("input.minutes");
      if (field && field.value === "") field.value = minutes;
      row.classList.add("row-filled");
      filled += 1;
    });
    status.textContent = filled ? button.dataset.filled : button.dataset.none;
    status.classList.remove("visually-hidden");
    status.classList.add("flash", "flash-info");
  });
})();
