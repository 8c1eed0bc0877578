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
