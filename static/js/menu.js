// The main menu and the language picker behind a "Menu" button on narrow screens, so the header
// is one row. The script runs right after the header, so the menu is folded before the page is
// drawn; without script the menu simply stays open.
(function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  var menu = document.getElementById("main-nav");
  var header = button && button.closest(".site-header");
  if (!button || !menu) {
    return;
  }
  document.documentElement.classList.add("has-menu-button");
  button.hidden = false;
  function show(open) {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("is-open", open);
    header.classList.toggle("menu-open", open);
  }
  button.addEventListener("click", function () {
    show(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
})();
