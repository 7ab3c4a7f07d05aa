// Bar charts drawn as SVG from the data table inside each <figure data-chart="bar">.
// The table stays on the page: it is the chart's text alternative and what shows without JavaScript.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var BAR = "#1d3f6e"; // the site's navy: contrast 10.9:1 on white
  var ROW = 28, LABEL_WIDTH = 190, VALUE_WIDTH = 70, WIDTH = 640;

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function rows(table) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      var cell = row.querySelector("td[data-value]");
      return { label: row.querySelector("th").textContent.trim(), value: parseFloat(cell.dataset.value) || 0,
               shown: cell.textContent.trim() };
    });
  }

  function draw(figure) {
    var holder = figure.querySelector(".chart-canvas");
    var table = document.getElementById(holder.dataset.for);
    var data = rows(table);
    if (!data.length) { return; }
    var max = Math.max.apply(null, data.map(function (d) { return d.value; })) || 1;
    var plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    var height = data.length * ROW + 8;
    var caption = figure.querySelector("figcaption").textContent.trim();
    var svg = el("svg", { viewBox: "0 0 " + WIDTH + " " + height, width: "100%", role: "img",
                          "aria-label": caption + ": bar chart. The table below gives the same values.",
                          "class": "chart-svg" });
    data.forEach(function (d, i) {
      var y = i * ROW + 4;
      var w = Math.max(d.value > 0 ? 1 : 0, Math.round(plot * d.value / max));
      svg.appendChild(el("text", { x: LABEL_WIDTH - 8, y: y + ROW / 2 + 4, "text-anchor": "end",
                                   "font-size": 13, fill: "#212529" }, d.label));
      svg.appendChild(el("rect", { x: LABEL_WIDTH, y: y + 4, width: w, height: ROW - 8, fill: BAR }));
      // The value is written beside each bar, so no reading depends on colour or length alone.
      svg.appendChild(el("text", { x: LABEL_WIDTH + w + 6, y: y + ROW / 2 + 4, "font-size": 13, fill: "#212529" },
                         d.shown));
    });
    holder.appendChild(svg);
  }

  document.querySelectorAll('figure[data-chart="bar"]').forEach(draw);
})();
