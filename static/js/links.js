// The sheet of one-time password links: copy them all at once, or print the sheet.
// Without script the links stay readable and the CSV download still works.
(function () {
  "use strict";

  function rows(sheet) {
    var table = sheet.querySelector("table");
    var lines = [];
    table.querySelectorAll("tr").forEach(function (row) {
      var cells = row.querySelectorAll("th, [data-cell]");
      lines.push(Array.prototype.map.call(cells, function (cell) {
        return (cell.value !== undefined ? cell.value : cell.textContent).trim();
      }).join("\t"));
    });
    return lines.join("\n") + "\n";
  }

  document.querySelectorAll(".links-sheet").forEach(function (sheet) {
    var copy = sheet.querySelector("[data-copy-links]");
    var print = sheet.querySelector("[data-print]");
    var status = sheet.querySelector("[data-copy-status]");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(rows(sheet)).then(
          function () { status.textContent = status.dataset.copied; },
          function () { status.textContent = status.dataset.copyFailed; }
        );
      });
    }
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  });
})();
