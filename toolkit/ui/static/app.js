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
    document.querySelectorAll("label.drop").forEach(function (zone) {
      var input = zone.querySelector("input[type=file]");
      function send() { if (input.files.length) { input.form.requestSubmit(); } }
      input.addEventListener("change", send);
      /* A file dropped anywhere on the zone is picked (not opened by the browser). */
      zone.addEventListener("dragover", function (event) { event.preventDefault(); zone.classList.add("over"); });
      zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        zone.classList.remove("over");
        if (event.dataTransfer && event.dataTransfer.files.length) { input.files = event.dataTransfer.files; send(); }
      });
    });
  });
})();
