// Small progressive enhancements every page may use; every page works without them. No inline script or event
// handler attribute anywhere: the Content-Security-Policy refuses them (README "Headers").
(function () {
  "use strict";

  // <button type="button" data-print hidden>Print</button>: shown, and working, only with JavaScript.
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });

  // A table wider than its box scrolls sideways inside it (.table-responsive). So that a keyboard can scroll it
  // too, such a box becomes a focusable region named by its table's caption, only while it does overflow.
  function focusableWhenScrolling() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
        box.dataset.madeFocusable = "";
      } else if (!scrolls && box.hasAttribute("data-made-focusable")) {
        ["tabindex", "role", "aria-label", "data-made-focusable"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
})();
