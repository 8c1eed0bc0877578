// Behaviour the pages share, from a file rather than inline handlers: the Content-Security-Policy
// (jigai/core/middleware.py) runs scripts from the platform's own files only.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});

// The header's menu on a phone: one button shows or hides the whole-word navigation (app.css, @media).
document.addEventListener("click", function (event) {
  var button = event.target && event.target.closest ? event.target.closest("[data-menu-toggle]") : null;
  if (!button) { return; }
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }
  var open = menu.classList.toggle("open");
  button.setAttribute("aria-expanded", open ? "true" : "false");
});

// A background job's page (jobs/detail.html): poll /jobs/<id>/status.json every two seconds and move the
// progress bar; when the job ends show the download link or the reason it failed. Without scripts the
// page refreshes itself (<noscript> meta refresh).
(function () {
  function poll(box) {
    var url = box.getAttribute("data-job-status");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { setTimeout(function () { poll(box); }, 5000); return; }
        var bar = document.getElementById("job-progress");
        if (bar) { bar.value = s.percent; bar.textContent = s.percent + "%"; }
        var text = function (id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } };
        text("job-percent", s.percent + "%");
        text("job-state", s.state_label);
        text("job-message", s.message);
        if (s.total) { text("job-count", "（" + s.done + " / " + s.total + "）"); }
        box.setAttribute("data-state", s.state);
        if (!s.finished) { setTimeout(function () { poll(box); }, 2000); return; }
        if (s.result_url) {
          var link = document.getElementById("job-download");
          if (link) { link.href = s.result_url; link.textContent = "下载 " + s.result_name; }
          document.getElementById("job-result").hidden = false;
        }
        if (s.state === "failed") {
          text("job-error-text", s.error);
          document.getElementById("job-error").hidden = false;
        }
        if (s.result && !document.getElementById("job-outcome")) { window.location.reload(); }
      })
      .catch(function () { setTimeout(function () { poll(box); }, 5000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-job-status]");
    if (box && box.getAttribute("data-state") !== "done" && box.getAttribute("data-state") !== "failed") { poll(box); }
  });
})();
