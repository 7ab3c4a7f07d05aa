// The round form: shows the grant period's fiscal years while the first year and the number of years are typed.
// The server writes the same preview into the page, so it is right without JavaScript until a year is changed.
(function () {
  "use strict";
  var start = document.getElementById("id_grant_start_year");
  var years = document.getElementById("id_grant_years");
  var out = document.querySelector("#fiscal-years-preview strong");
  if (!start || !years || !out) {
    return;
  }
  function update() {
    var s = parseInt(start.value, 10);
    var n = parseInt(years.value, 10);
    if (!(s >= 2000 && s <= 2100 && n >= 1 && n <= 10)) {
      out.textContent = "enter a first year from 2000 to 2100 and 1 to 10 years";
      return;
    }
    var list = [];
    for (var y = s; y < s + n; y++) {
      list.push(y + "-" + String((y + 1) % 100).padStart(2, "0"));
    }
    out.textContent = list.join(", ");
  }
  start.addEventListener("input", update);
  years.addEventListener("input", update);
})();
