/* While a resident types a proposal's title, the open proposals of the process that share a
   word with it are shown under the title field (from /api/v1/proposals/similar), so they can
   support one instead of writing it again. Without this script the form's "Check for similar
   proposals" step shows the same list. The region is polite: a screen reader hears the list
   once the typing pauses. */
(function () {
  "use strict";

  function setUp(hint) {
    var form = hint.closest("form");
    var title = form && form.querySelector("input[name=title]");
    if (!title || !window.fetch) { return; }
    var timer = null;
    var asked = "";

    function show(found) {
      hint.textContent = "";
      if (!found.length) { return; }
      var heading = document.createElement("p");
      heading.className = "similar-hint-heading";
      heading.textContent = hint.dataset.heading;
      var list = document.createElement("ul");
      found.forEach(function (proposal) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = proposal.url;
        link.textContent = proposal.title;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" (" + proposal.state_label + ")"));
        list.appendChild(item);
      });
      hint.appendChild(heading);
      hint.appendChild(list);
    }

    function ask() {
      var typed = title.value.trim();
      if (typed === asked) { return; }
      asked = typed;
      if (typed.length < 4) { show([]); return; }
      var url = hint.dataset.url + "?process=" + encodeURIComponent(hint.dataset.process) +
        "&title=" + encodeURIComponent(typed);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) { if (title.value.trim() === typed) { show(found); } })
        .catch(function () { show([]); });
    }

    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 400);
    });
    title.insertAdjacentElement("afterend", hint);
    hint.hidden = false;
  }

  document.querySelectorAll(".similar-hint").forEach(setUp);
}());
