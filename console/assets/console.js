// phoneprovd console: progressive enhancement only. Every page and form
// works without this script; with it, the fleet filters apply as soon as
// one changes, and risky buttons ask first.
"use strict";
document.addEventListener("change", function (e) {
  var f = e.target.form;
  if (f && f.classList.contains("autosubmit") && e.target.tagName === "SELECT") {
    f.requestSubmit ? f.requestSubmit() : f.submit();
  }
});
document.addEventListener("submit", function (e) {
  var q = e.target.getAttribute("data-confirm");
  if (q && !window.confirm(q)) {
    e.preventDefault();
  }
});
document.documentElement.classList.add("js");
