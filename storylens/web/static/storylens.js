// storylens: small helpers; every page works without them.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // Story page: pointing at (or focusing) a sentence lights up the same fact in the other
  // outlets' columns.
  var outlets = document.getElementById("outlets");
  if (outlets) {
    var light = function (event, on) {
      var sentence = event.target.closest && event.target.closest(".sentence[data-fact]");
      if (!sentence) { return; }
      var fact = sentence.getAttribute("data-fact");
      outlets.querySelectorAll('.sentence[data-fact="' + fact + '"]').forEach(function (s) {
        s.classList.toggle("linked", on);
      });
    };
    outlets.addEventListener("mouseover", function (e) { light(e, true); });
    outlets.addEventListener("mouseout", function (e) { light(e, false); });
  }

  // Ingest page: once sent, say it is working and keep the button from sending twice.
  var form = document.getElementById("ingest");
  if (form) {
    form.addEventListener("submit", function () {
      var button = document.getElementById("ingest-submit");
      var status = document.getElementById("ingest-status");
      if (button) {
        button.disabled = true;
        button.textContent = "Working…";
      }
      if (status) {
        status.textContent = "Ingesting: cleaning, grouping and extracting. This page will show the result.";
      }
    });
  }
});
