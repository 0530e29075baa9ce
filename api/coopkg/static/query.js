// Optional enhancement of the query page: Ctrl+Enter (or Cmd+Enter) in the editor runs the query.
// The page works without it (the form is a plain GET to /query).
(function () {
  "use strict";
  var form = document.getElementById("sparql-form");
  if (!form || !window.fetch) { return; }
  form.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") { form.submit(); }
  });
})();
