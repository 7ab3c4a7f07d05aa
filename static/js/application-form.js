// Application section forms: a warning before leaving with unsaved changes, live budget totals,
// character counters, and "add another" for programs of study and partners.
// Every page works without this script; the server computes the same totals and counts.
(function () {
  "use strict";

  // Unsaved changes: warn only when something was typed since the page loaded, never on submit.
  document.querySelectorAll("form[data-section-form]").forEach(function (form) {
    var dirty = form.dataset.dirty === "true"; // a refused save: the input on screen is not stored
    function markDirty() { dirty = true; }
    form.addEventListener("input", markDirty);
    form.addEventListener("change", markDirty);
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return undefined;
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to show their own warning
      return "";
    });
  });

  // Money is summed in whole cents so that totals never show floating-point errors.
  function cents(text) {
    var cleaned = String(text || "").replace(/[$,\s]/g, "");
    if (cleaned === "") return 0;
    var match = /^(\d*)(?:\.(\d{0,2}))?$/.exec(cleaned);
    if (!match || (match[1] === "" && !match[2])) return null;
    return parseInt(match[1] || "0", 10) * 100 + parseInt(((match[2] || "") + "00").slice(0, 2), 10);
  }

  function dollars(amount) {
    var whole = Math.floor(amount / 100);
    var part = amount % 100;
    return "$" + whole.toLocaleString("en-US") + "." + (part < 10 ? "0" : "") + part;
  }

  document.querySelectorAll("table[data-budget-grid]").forEach(function (table) {
    var form = table.closest("form") || document;
    var inputs = table.querySelectorAll("input[data-row][data-column]");
    function recompute(event) {
      var rows = {};
      var columns = {};
      var grand = 0;
      inputs.forEach(function (input) {
        var value = cents(input.value);
        // A cell is marked as it is typed in; at the start the server's marks (and messages) stand.
        if (event) input.classList.toggle("is-invalid", value === null);
        if (value === null) return;
        rows[input.dataset.row] = (rows[input.dataset.row] || 0) + value;
        columns[input.dataset.column] = (columns[input.dataset.column] || 0) + value;
        grand += value;
      });
      table.querySelectorAll("[data-row-total]").forEach(function (output) {
        output.textContent = dollars(rows[output.dataset.rowTotal] || 0);
      });
      table.querySelectorAll("[data-column-total]").forEach(function (output) {
        output.textContent = dollars(columns[output.dataset.columnTotal] || 0);
      });
      form.querySelectorAll("[data-grand-total]").forEach(function (output) {
        output.textContent = dollars(grand);
      });
    }
    table.addEventListener("input", recompute);
    // Once at the start too: what was typed before this script ran, or what the browser put back on returning to
    // the page, counts as well.
    recompute();
  });

  // Character counters: "123 of 5,000 characters", announced politely to screen readers.
  function characters(text) {
    return Array.from(text.replace(/\r\n?/g, "\n")).length; // as the server counts them
  }

  function updateCounter(textarea) {
    var counter = document.getElementById(textarea.dataset.counter);
    if (!counter) return;
    var limit = parseInt(textarea.dataset.charLimit, 10);
    var length = characters(textarea.value);
    var text = length.toLocaleString("en-US") + " of " + limit.toLocaleString("en-US") + " characters";
    if (length > limit) text += ": " + (length - limit).toLocaleString("en-US") + " over the limit";
    counter.textContent = text;
    counter.classList.toggle("text-danger", length > limit);
    counter.classList.toggle("fw-bold", length > limit);
  }

  document.querySelectorAll("textarea[data-char-limit][data-counter]").forEach(function (textarea) {
    textarea.addEventListener("input", function () { updateCounter(textarea); });
  });

  // "Add another": copy the formset's empty form, numbered after the last one.
  document.querySelectorAll("button[data-add-form]").forEach(function (button) {
    var prefix = button.dataset.addForm;
    var template = document.getElementById(prefix + "-empty-form");
    var list = document.querySelector('[data-formset-list="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !list || !total) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var added = holder.firstElementChild;
      list.appendChild(added);
      total.value = String(index + 1);
      var first = added.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  });
})();
