// A table wider than the screen scrolls inside its frame (.table-wrap). A frame that scrolls is
// made reachable by keyboard (tabindex=0) and named for screen readers (role=region, after the
// table's caption or the nearest heading), so people who do not use a mouse can scroll it too.
// A frame that fits is left alone: it would only add a needless tab stop. Checked again when the
// window changes size (a phone turned sideways).
(function () {
  "use strict";

  function headingOf(wrap) {
    for (var node = wrap; node && node !== document.body; node = node.parentElement) {
      for (var before = node.previousElementSibling; before; before = before.previousElementSibling) {
        var heading = before.matches("h1, h2, h3, h4") ? before : before.querySelector("h1, h2, h3, h4");
        if (heading && heading.textContent.trim()) return heading.textContent.trim();
      }
    }
    return document.title;
  }

  // "Table: <caption or heading>", in the page's language; a name already given to another
  // frame on the page gets its heading or a number too, since two regions of one name confuse.
  function nameOf(wrap, used) {
    var caption = wrap.querySelector("caption");
    var heading = headingOf(wrap);
    var name = caption && caption.textContent.trim() ? caption.textContent.trim() : heading;
    if (used[name] && name !== heading) name = name + " · " + heading;
    var unique = name;
    for (var number = 2; used[unique]; number++) unique = name + " " + number;
    used[unique] = true;
    var template = document.body.dataset.tableLabel || "{name}";
    return template.replace("{name}", unique);
  }

  function update() {
    var used = {};
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1 && !wrap.closest(".visually-hidden");
      var ours = "scrollRegion" in wrap.dataset;
      if (scrolls && (ours || !wrap.hasAttribute("tabindex"))) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", nameOf(wrap, used));
        wrap.dataset.scrollRegion = "";
      } else if (!scrolls && ours) {
        // only what this script added is taken away again
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        delete wrap.dataset.scrollRegion;
      }
    });
  }

  update();
  window.addEventListener("resize", update);
})();
