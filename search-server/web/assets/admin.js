// Evidence Library /admin: sign in with a token, add a PDF with its metadata, edit and
// withdraw documents, through the write API (POST, PATCH, DELETE /api/documents).
// The token stays in this tab (sessionStorage) and goes only into Authorization headers; signing
// in also asks the server for a browser session (POST /api/session), whose cookie the search
// and document pages read with. The cookie is HttpOnly: no script, this one included, sees it.
"use strict";
(function () {
  var KEY = "evidence-token";
  function $(selector, root) { return (root || document).querySelector(selector); }
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function token() { return sessionStorage.getItem(KEY) || ""; }

  function call(method, url, body, type) {
    var headers = { "Authorization": "Bearer " + token() };
    if (type) headers["Content-Type"] = type;
    return fetch(url, { method: method, headers: headers, body: body }).then(function (response) {
      return response.text().then(function (text) {
        var json = null;
        try { json = JSON.parse(text); } catch (e) { json = null; }
        return { status: response.status, body: json };
      });
    });
  }

  function message(result) {
    if (result.body && result.body.error) return result.body.error.message;
    return "the server answered " + result.status;
  }

  // ---- the metadata form <-> JSON ------------------------------------------------------
  function fieldValue(field) {
    var control = $("[name]", field);
    var kind = field.dataset.kind;
    if (kind === "choices") {
      return all("option", control).filter(function (o) { return o.selected; }).map(function (o) { return o.value; });
    }
    var text = control.value.trim();
    if (kind === "integer") return text === "" ? null : parseInt(text, 10);
    if (kind === "lines") return text.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
    if (kind === "authors") {
      return text.split("\n").map(function (l) { return l.trim(); }).filter(Boolean).map(function (line) {
        var comma = line.indexOf(",");
        if (comma < 0) return { family: line };
        var person = { family: line.slice(0, comma).trim() };
        var given = line.slice(comma + 1).trim();
        if (given) person.given = given;
        return person;
      });
    }
    return text === "" ? null : text;
  }

  function isEmpty(value) { return value === null || (Array.isArray(value) && value.length === 0); }

  // For an upload empty fields are left out; for an edit they are null (a merge patch
  // removes them).
  function collect(form, forEdit) {
    var metadata = {};
    all(".field[data-kind]", form).forEach(function (field) {
      var value = field.hidden ? null : fieldValue(field);
      if (!isEmpty(value)) metadata[field.dataset.name] = value;
      else if (forEdit) metadata[field.dataset.name] = null;
    });
    return metadata;
  }

  function fill(form, document) {
    all(".field[data-kind]", form).forEach(function (field) {
      var control = $("[name]", field);
      var value = document[field.dataset.name];
      if ((value === undefined || value === null) && field.dataset.default) value = field.dataset.default;
      var kind = field.dataset.kind;
      if (kind === "choices") {
        var chosen = Array.isArray(value) ? value : [];
        all("option", control).forEach(function (o) { o.selected = chosen.indexOf(o.value) >= 0; });
      } else if (kind === "lines") {
        control.value = Array.isArray(value) ? value.join("\n") : "";
      } else if (kind === "authors") {
        control.value = Array.isArray(value) ? value.map(function (p) {
          return p.given ? p.family + ", " + p.given : p.family;
        }).join("\n") : "";
      } else {
        control.value = value === undefined || value === null ? "" : String(value);
      }
    });
  }

  // The groups are asked for only when the level is restricted, the catalogue (listed or
  // hidden) only when it is not public: the schema allows them only then.
  function showGroups(form) {
    var level = $("[name=access]", form);
    var groups = $('.field[data-name="groups"]', form);
    var catalogue = $('.field[data-name="catalogue"]', form);
    if (level && groups) groups.hidden = level.value !== "restricted";
    if (level && catalogue) catalogue.hidden = level.value === "public";
  }
  all("form.admin-form").forEach(function (form) {
    var level = $("[name=access]", form);
    if (!level) return;
    level.addEventListener("change", function () { showGroups(form); });
    form.addEventListener("reset", function () { setTimeout(function () { showGroups(form); }, 0); });
    showGroups(form);
  });

  function clearErrors(form) {
    all(".field-error", form).forEach(function (p) { p.hidden = true; p.textContent = ""; });
    all("[aria-invalid]", form).forEach(function (c) { c.removeAttribute("aria-invalid"); });
  }

  // A 422 names the field at fault ("date", "authors[0].family"): mark it.
  function showError(form, result) {
    var status = $(".status", form);
    status.textContent = message(result);
    status.classList.add("error");
    var name = result.body && result.body.error && result.body.error.field;
    if (!name) return;
    var field = $('.field[data-name="' + name.split(/[.[]/)[0] + '"]', form);
    if (!field) return;
    var control = $("[name]", field);
    control.setAttribute("aria-invalid", "true");
    var p = $(".field-error", field);
    p.textContent = message(result);
    p.hidden = false;
    control.focus();
  }

  function say(form, text) {
    var status = $(".status", form);
    status.classList.remove("error");
    status.textContent = text;
  }

  // ---- signing in ------------------------------------------------------------------------
  // The pages are opened by the browser itself, which sends no Authorization header: POST
  // /api/session answers with the cookie they read with (members' documents on any library,
  // everything on a private one). Only reads take it; writes need the header. The server ends
  // it after 12 hours, or at sign-out (DELETE /api/session).
  function signedIn(who) {
    $("#signed-out").hidden = true;
    $("#signin-form").hidden = true;
    $("#signed-in").hidden = false;
    $("#who").textContent = who.name;
    $("#role").textContent = who.role;
    $("#upload").hidden = who.role !== "editor";
    $("#documents").hidden = false;
    loadDocuments();
  }

  function signIn(candidate) {
    sessionStorage.setItem(KEY, candidate);
    return call("POST", "/api/session").then(function (result) {
      if (result.status === 200) return signedIn(result.body);
      sessionStorage.removeItem(KEY);
      var error = $("#signin-error");
      error.textContent = message(result);
      error.hidden = false;
    });
  }

  $("#signin-form").addEventListener("submit", function (event) {
    event.preventDefault();
    $("#signin-error").hidden = true;
    signIn($("#token").value.trim());
  });
  function signOut() {
    sessionStorage.removeItem(KEY);
    return fetch("/api/session", { method: "DELETE" }).then(function () {
      if (location.hash === "#sign-out") history.replaceState(null, "", location.pathname);
      $("#signin-form").hidden = false;
      $("#signed-in").hidden = true;
      ["#upload", "#documents", "#edit"].forEach(function (section) { $(section).hidden = true; });
      $("#signed-out").hidden = false;
    });
  }
  $("#signout").addEventListener("click", signOut);

  // ---- adding ----------------------------------------------------------------------------
  function report(result) {
    var r = result.body.report;
    var box = $("#report");
    box.textContent = "";
    var h = document.createElement("h3");
    h.textContent = "Added: " + result.body.document.title;
    box.appendChild(h);
    var list = document.createElement("ul");
    var lines = [r.pages + (r.pages === 1 ? " page" : " pages"),
                 "language " + r.language + (r.language_detected ? " (detected from the text)" : "")];
    if (r.ocr_pages && r.ocr_pages.length) lines.push("read by OCR: pages " + r.ocr_pages.join(", "));
    if (r.pages_without_text && r.pages_without_text.length) lines.push("no text found on pages " + r.pages_without_text.join(", "));
    (r.warnings || []).forEach(function (w) { lines.push("warning: " + w); });
    lines.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    box.appendChild(list);
    var link = document.createElement("a");
    link.href = result.body.link;
    link.textContent = "Open the document page";
    box.appendChild(link);
  }

  $("#upload-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    clearErrors(form);
    var file = $("#upload-file").files[0];
    if (!file) return showError(form, { status: 0, body: { error: { message: "choose a PDF", field: "file" } } });
    var metadata = collect(form, false);
    if (!metadata.title) return showError(form, { status: 0, body: { error: { message: "title: required", field: "title" } } });
    var body = new FormData();
    body.append("metadata", new Blob([JSON.stringify(metadata)], { type: "application/json" }));
    body.append("file", file, file.name);
    say(form, "Uploading and indexing…");
    call("POST", "/api/documents", body).then(function (result) {
      if (result.status !== 201) return showError(form, result);
      say(form, "Added.");
      form.reset();
      report(result);
      loadDocuments();
    }, function () { showError(form, { status: 0, body: { error: { message: "the server cannot be reached" } } }); });
  });

  // ---- the list, editing, withdrawing ----------------------------------------------------
  function button(text, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }

  // note: what to say above the list once it is loaded (the outcome of a withdrawal).
  function loadDocuments(note) {
    var status = $("#documents-status");
    status.textContent = "Loading…";
    return call("GET", "/api/documents?limit=1000").then(function (result) {
      var body = $("#documents tbody");
      body.textContent = "";
      if (result.status !== 200) { status.textContent = message(result); return; }
      status.textContent = (note ? note + " " : "") + result.body.total + (result.body.total === 1 ? " document." : " documents.");
      var editor = $("#role").textContent === "editor";
      result.body.documents.forEach(function (d) {
        var row = document.createElement("tr");
        var title = document.createElement("td");
        var link = document.createElement("a");
        link.href = "/d/" + encodeURIComponent(d.id);
        link.textContent = d.title;
        title.appendChild(link);
        var date = document.createElement("td");
        date.textContent = d.date || "";
        var pages = document.createElement("td");
        pages.textContent = d.page_count;
        var actions = document.createElement("td");
        if (editor) {
          actions.appendChild(button("Edit", function () { startEdit(d.id); }));
          actions.appendChild(button("Withdraw", function () { withdraw(d); }));
        }
        [title, date, pages, actions].forEach(function (cell) { row.appendChild(cell); });
        body.appendChild(row);
      });
    });
  }

  var editing = null;
  function startEdit(id) {
    call("GET", "/api/documents/" + encodeURIComponent(id)).then(function (result) {
      if (result.status !== 200) { $("#documents-status").textContent = message(result); return; }
      editing = id;
      var form = $("#edit-form");
      clearErrors(form);
      say(form, "");
      fill(form, result.body);
      showGroups(form);
      $("#editing-title").textContent = result.body.title;
      $("#edit").hidden = false;
      $("#edit-h").scrollIntoView();
      $("[name]", form).focus();
    });
  }

  $("#edit-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = event.target;
    clearErrors(form);
    say(form, "Saving and re-indexing…");
    call("PATCH", "/api/documents/" + encodeURIComponent(editing), JSON.stringify(collect(form, true)),
         "application/merge-patch+json").then(function (result) {
      if (result.status !== 200) return showError(form, result);
      say(form, "Saved.");
      $("#editing-title").textContent = result.body.document.title;
      loadDocuments();
    });
  });
  $("#edit-cancel").addEventListener("click", function () { $("#edit").hidden = true; editing = null; });

  function withdraw(d) {
    if (!window.confirm("Withdraw \u201c" + d.title + "\u201d? It leaves search now; its files are kept in .withdrawn/ and can be restored.")) return;
    call("DELETE", "/api/documents/" + encodeURIComponent(d.id)).then(function (result) {
      if (result.status === 200) loadDocuments("Withdrawn: " + d.title + " (its files are kept in " + result.body.kept_in + ").");
      else $("#documents-status").textContent = message(result);
    });
  }

  // The pages' "Sign out" link comes here.
  if (location.hash === "#sign-out") signOut();
  else if (token()) signIn(token());
})();
