// Behaviour the pages share, from a file rather than inline handlers: the Content-Security-Policy
// (jigai/core/middleware.py) runs scripts from the platform's own files only.
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) {
    el.form.submit();
  }
});
