/* toolkit ui: a step that runs is polled until it ends (the page never waits on it), and a form sent once
   cannot be sent twice by a second click. No library, nothing fetched from elsewhere. */
(function () {
  "use strict";
  function poll(box) {
    var url = box.getAttribute("data-poll");
    function again() {
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (answer) {
          var state = answer.headers.get("x-job-state");
          return answer.text().then(function (html) {
            if (state !== "running") { window.location.reload(); return; }
            box.innerHTML = html;
            window.setTimeout(again, 250);
          });
        })
        .catch(function () { window.setTimeout(again, 1000); });
    }
    window.setTimeout(again, 100);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(poll);
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
        form.setAttribute("data-sent", "1");
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; b.classList.add("busy"); });
      });
    });
    document.querySelectorAll("label.drop input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () {
        if (input.files.length) { input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit(); }
      });
    });
  });
})();
