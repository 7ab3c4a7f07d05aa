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
})();
