// The month screen: changing 本月完成投资 recomputes 开工累计完成投资 as 上月累计 + 本月, the way the
// server does for a blank cumulative; a cumulative the clerk typed is left alone, and the row says so.
// Amounts are exact: 万元 with up to 6 decimals (= fen) as integers, never binary floats.
(function () {
  var SCALE = 1000000n;
  function parse(text) {
    text = (text || "").replace(/[,，\s]/g, "");
    if (!/^\d+(\.\d{1,6})?$/.test(text)) return null;
    var parts = text.split(".");
    return BigInt(parts[0]) * SCALE + BigInt(((parts[1] || "") + "000000").slice(0, 6));
  }
  function show(value) {
    var whole = (value / SCALE).toString();
    var frac = (value % SCALE).toString().padStart(6, "0").replace(/0+$/, "");
    return frac ? whole + "." + frac : whole;
  }
  var table = document.getElementById("entry-table");
  if (!table) return;
  var RECOMPUTED = table.getAttribute("data-note-recomputed") || "";
  var MANUAL = table.getAttribute("data-note-manual") || "";
  table.querySelectorAll("tr[data-previous]").forEach(function (row) {
    var month = row.querySelector("input[name$='-month_investment_wan']");
    var cum = row.querySelector("input[name$='-cumulative_investment_wan']");
    var note = row.querySelector(".recompute-note");
    var previous = parse(row.getAttribute("data-previous"));
    if (!month || !cum || previous === null) return;
    function say(text) { if (note) note.textContent = text || ""; }
    var m0 = parse(month.value), c0 = parse(cum.value);
    cum.dataset.manual = c0 !== null && (m0 === null || c0 !== previous + m0) ? "1" : "";
    cum.addEventListener("input", function () {
      cum.dataset.manual = cum.value.trim() ? "1" : "";
      say(cum.dataset.manual ? MANUAL : "");
    });
    month.addEventListener("input", function () {
      var m = parse(month.value);
      if (m === null) return;
      if (cum.dataset.manual) {
        say(MANUAL);
        return;
      }
      cum.value = show(previous + m);
      say(RECOMPUTED);
    });
  });
})();
