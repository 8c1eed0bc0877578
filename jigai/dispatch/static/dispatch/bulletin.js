// The bulletin's charts, drawn from the JSON the page carries in #chart-data (no inline script: the
// Content-Security-Policy allows scripts from the platform's own files only).
window.addEventListener("load", function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!window.echarts) { return; }
  var charts = [];
  [["chart-investment", "investment"], ["chart-projects", "projects"], ["chart-trend", "trend"]].forEach(function (pair) {
    var el = document.getElementById(pair[0]);
    if (el) { var c = echarts.init(el); c.setOption(data[pair[1]]); charts.push(c); }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
