// "Add another row" on the program and round-configuration forms: copies the formset's empty form (the
// <template id="empty-row">), numbered after the last row. Without JavaScript one blank row is always offered.
(function () {
  "use strict";
  var button = document.getElementById("add-row");
  var template = document.getElementById("empty-row");
  var rows = document.getElementById("rows");
  if (!button || !template || !rows) {
    return;
  }
  var total = document.getElementById("id_" + button.dataset.prefix + "-TOTAL_FORMS");
  if (!total) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    rows.insertAdjacentHTML(
      "beforeend",
      template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1))
    );
    total.value = String(index + 1);
    var first = rows.lastElementChild.querySelector("input:not([type=hidden]), textarea, select");
    if (first) {
      first.focus();
    }
  });
})();
