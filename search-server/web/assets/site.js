// Evidence Library: comfort on top of pages that work without JavaScript.
// Sort on change, fold filters on phones, jump to the page asked for, citation panels.
"use strict";
(function () {
  function each(selector, action) { Array.prototype.forEach.call(document.querySelectorAll(selector), action); }

  // Sorting applies as soon as an order is chosen (the button stays for keyboards).
  each("form.sort select", function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // On a narrow screen the filters start folded, so the results come first.
  if (window.matchMedia && window.matchMedia("(max-width: 52rem)").matches) {
    each("details.facet-panel", function (panel) { if (!panel.querySelector(".active")) panel.open = false; });
  }

  // /d/{id}?page=N without #pN: bring the page asked for into view.
  var current = document.querySelector(".hit.current");
  if (current && !location.hash) current.scrollIntoView({ block: "center" });

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      document.body.removeChild(area);
      if (done) resolve(); else reject(new Error("copy refused"));
    });
  }

  function show(panel, link) {
    var output = panel.querySelector(".cite-output");
    var pre = output.querySelector("pre");
    var status = output.querySelector(".copy-status");
    Array.prototype.forEach.call(panel.querySelectorAll(".cite-formats a"), function (a) {
      if (a === link) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
    status.textContent = "";
    pre.textContent = "Loading…";
    output.hidden = false;
    var request = (panel.citeRequest || 0) + 1;  // a later choice wins over a slower earlier one
    panel.citeRequest = request;
    fetch(link.href, { headers: { Accept: "text/plain, application/json" } }).then(function (response) {
      return response.text().then(function (text) {
        if (panel.citeRequest !== request) return;
        if (!response.ok) {
          var message = text;
          try { message = JSON.parse(text).error.message; } catch (e) { /* plain text */ }
          throw new Error(message || ("HTTP " + response.status));
        }
        pre.textContent = text;
        pre.dataset.format = link.dataset.format;
      });
    }).catch(function (error) {
      if (panel.citeRequest !== request) return;
      pre.textContent = "The citation could not be loaded: " + error.message;
    });
  }

  each("details.cite", function (panel) {
    panel.addEventListener("click", function (event) {
      var link = event.target.closest(".cite-formats a");
      if (link) { event.preventDefault(); show(panel, link); return; }
      var button = event.target.closest("button.copy");
      if (!button) return;
      var pre = panel.querySelector(".cite-output pre");
      var status = panel.querySelector(".copy-status");
      copyText(pre.textContent).then(function () { status.textContent = "Copied to the clipboard."; },
        function () { status.textContent = "Select the text and copy it with Ctrl+C."; });
    });
    panel.addEventListener("toggle", function () {
      if (panel.open && panel.querySelector(".cite-output").hidden) show(panel, panel.querySelector(".cite-formats a"));
    });
  });
})();
