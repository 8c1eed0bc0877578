/* Charts of the assessment pages: every element with data-chart holds its data as JSON attributes.
   Drawn with the vendored ECharts when it is there; otherwise the tables beside them carry the figures. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  function num(v) { return v === null || v === "" || v === undefined ? null : Number(v); }
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var kind = el.getAttribute("data-chart");
    var labels = JSON.parse(el.getAttribute("data-labels") || "[]");
    var series = JSON.parse(el.getAttribute("data-series") || "[]");
    var target = el.getAttribute("data-target");
    var chart = window.echarts.init(el);
    var option = {
      tooltip: { trigger: "axis" },
      // The legend under the plot, clear of the axis name; room on the right for the target's label, so
      // it never sits on the last unit's bar.
      legend: { bottom: 0 },
      grid: { left: 50, right: 76, top: 36, bottom: 84 },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 9 ? 40 : 0 } },
      yAxis: { type: "value", name: el.getAttribute("data-unit") || "" },
      series: series.map(function (s) {
        var item = { name: s.name, type: s.type || kind, data: s.data.map(num) };
        if (target !== null && s.markTarget) {
          var word = el.getAttribute("data-target-label") || "目标";  // the page's language
          item.markLine = { symbol: "none", data: [{ yAxis: Number(target), name: word }],
                            label: { position: "end", formatter: word + "\n" + target + (el.getAttribute("data-unit") || "") },
                            lineStyle: { color: "#b91c1c", type: "dashed" } };
        }
        return item;
      })
    };
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
