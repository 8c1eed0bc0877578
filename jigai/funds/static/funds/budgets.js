// The budget page's chart, drawn from the JSON the page carries in #chart-data (no inline script: the
// Content-Security-Policy allows scripts from the platform's own files only).
window.addEventListener("load", function () {
  var el = document.getElementById("chart-budget");
  if (!el || !window.echarts) { return; }
  var chart = echarts.init(el);
  chart.setOption(JSON.parse(document.getElementById("chart-data").textContent));
  window.addEventListener("resize", function () { chart.resize(); });
});
