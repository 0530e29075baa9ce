// Starts ReDoc on /redoc (a file, not an inline script: the page's CSP allows scripts from this origin only).
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("redoc");
  Redoc.init(element.dataset.openapi, { hideDownloadButton: false }, element);
});
