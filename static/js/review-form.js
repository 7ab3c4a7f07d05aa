// The rubric form's running total, as the reader types. The server computes the same sum on save:
// points × weight over the criteria scored, rounded half up to the cent. Integer arithmetic (tenths of a point
// × hundredths of a weight) keeps it exact, so the page never shows a total the server would not.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  var output = document.getElementById("running-total");
  if (!form || !output) {
    return;
  }
  var inputs = form.querySelectorAll("input.js-score");
  var rubricTotal = output.getAttribute("data-rubric-total");

  // Whole tenths in a decimal string such as "12" or "12.5"; null when it is not such a number.
  function tenths(text) {
    var match = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(text);
    if (!match) {
      return null;
    }
    var fraction = (match[2] || "").replace(/0+$/, "");
    if (fraction.length > 1) {
      return null;
    }
    return parseInt(match[1], 10) * 10 + (fraction ? parseInt(fraction, 10) : 0);
  }

  function hundredths(text) {
    var parts = String(text).split(".");
    var cents = ((parts[1] || "") + "00").slice(0, 2);
    return parseInt(parts[0], 10) * 100 + parseInt(cents, 10);
  }

  function update() {
    var thousandths = 0;
    var scored = 0;
    var notCounted = 0;
    inputs.forEach(function (input) {
      if (!input.value.trim()) {
        return;
      }
      var points = tenths(input.value);
      var max = hundredths(input.getAttribute("data-max"));
      var step = input.getAttribute("data-half-points") === "true" ? 5 : 10;
      if (points === null || points * 10 > max || points % step !== 0) {
        notCounted += 1;
        return;
      }
      scored += 1;
      thousandths += points * hundredths(input.getAttribute("data-weight"));
    });
    var cents = Math.floor((thousandths + 5) / 10);
    var text = "Weighted total: " + (cents / 100).toFixed(2) + " of " + rubricTotal +
      " (" + scored + " of " + inputs.length + " criteria scored";
    if (notCounted) {
      text += "; " + notCounted + " not counted until corrected";
    }
    output.textContent = text + ")";
  }

  form.addEventListener("input", function (event) {
    if (event.target.classList.contains("js-score")) {
      update();
    }
  });
  update();
})();
