#include "admin_page.hpp"

#include <nlohmann/json.hpp>

#include "assets.hpp"
#include "embedded_files.hpp"
#include "html.hpp"
#include "layout.hpp"
#include "vocabulary.hpp"

namespace evidence::server::web {

using nlohmann::json;

namespace {

// "report_number" → "Report number", "members" → "Members".
std::string field_label(const std::string& name) {
  std::string label = name;
  for (char& c : label) c = c == '_' ? ' ' : c;
  if (!label.empty()) label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

// The vocabulary a property's $ref (or its items' $ref) names, if any.
const core::Vocabulary* vocabulary_of(const json& property) {
  const json& target = property.contains("items") ? property["items"] : property;
  std::string ref = target.value("$ref", "");
  if (ref == "vocabularies/countries.json") return &core::countries();
  if (ref == "vocabularies/themes.json") return &core::themes();
  if (ref == "vocabularies/exploitation.json") return &core::exploitation_forms();
  if (ref == "vocabularies/document-types.json") return &core::document_types();
  return nullptr;
}

std::string options_html(const core::Vocabulary& vocabulary, bool with_empty) {
  // By label, as people look for them.
  std::vector<std::pair<std::string, std::string>> entries;
  for (const auto& [code, label] : vocabulary.labels()) entries.emplace_back(label, code);
  std::sort(entries.begin(), entries.end());
  std::string html = with_empty ? R"(<option value="">—</option>)" : "";
  for (const auto& [label, code] : entries) {
    html += R"(<option value=")" + escape(code) + R"(">)" + escape(label) + "</option>";
  }
  return html;
}

// A field without a default (the catalogue, whose default depends on the level) starts
// empty, so that leaving it alone sends nothing and the server's default holds.
std::string enum_options_html(const json& property) {
  std::string chosen = property.value("default", "");
  std::string html = chosen.empty() ? R"(<option value="" selected>(the default)</option>)" : "";
  for (const auto& value : property["enum"]) {
    std::string text = value.get<std::string>();
    html += R"(<option value=")" + escape(text) + '"' + (text == chosen ? " selected" : "") + ">" +
            escape(field_label(text)) + "</option>";
  }
  return html;
}

std::string field_html(const std::string& prefix, const std::string& name, const json& property, bool required) {
  std::string id = prefix + "-" + name;
  std::string hint = property.value("description", "");
  std::string kind;
  std::string control;
  std::string common = R"( id=")" + escape(id) + R"(" name=")" + escape(name) + R"(")" +
                       (hint.empty() ? "" : R"( aria-describedby=")" + escape(id) + R"(-hint")");
  const core::Vocabulary* vocabulary = vocabulary_of(property);
  std::string type = property.value("type", "");
  if (vocabulary != nullptr && type == "array") {
    kind = "choices";
    control = "<select multiple size=\"6\"" + common + ">" + options_html(*vocabulary, false) + "</select>";
    hint += hint.empty() ? "Several may be chosen (Ctrl or ⌘ + click)." : " Several may be chosen (Ctrl or ⌘ + click).";
  } else if (vocabulary != nullptr) {
    kind = "choice";
    control = "<select" + common + ">" + options_html(*vocabulary, true) + "</select>";
  } else if (property.contains("enum")) {
    // A closed list (the access level): its values in the schema's order, its default chosen.
    kind = "choice";
    control = "<select" + common + ">" + enum_options_html(property) + "</select>";
  } else if (name == "authors") {
    kind = "authors";
    control = "<textarea rows=\"3\"" + common + " placeholder=\"Family, Given — one person per line\"></textarea>";
  } else if (type == "array") {
    kind = "lines";
    control = "<textarea rows=\"2\"" + common + " placeholder=\"One per line\"></textarea>";
  } else if (type == "integer") {
    kind = "integer";
    control = "<input type=\"number\" step=\"1\"" + common + ">";
  } else if (name == "summary") {
    kind = "text";
    control = "<textarea rows=\"4\"" + common + "></textarea>";
  } else {
    kind = "text";
    std::string extra;
    if (property.contains("maxLength")) extra += " maxlength=\"" + std::to_string(property["maxLength"].get<int>()) + "\"";
    if (property.contains("pattern")) {
      // The schema's pattern is anchored; HTML adds its own anchors and flags.
      std::string pattern = property["pattern"];
      if (pattern.starts_with("^")) pattern.erase(0, 1);
      if (pattern.ends_with("$")) pattern.pop_back();
      extra += " pattern=\"" + escape(pattern) + "\"";
    }
    if (name == "date") extra += " placeholder=\"2024, 2024-03 or 2024-03-15\"";
    if (name == "language") extra += " placeholder=\"en, fr, es-419…\"";
    control = "<input type=\"text\"" + common + extra + (required ? " required" : "") + ">";
  }
  std::string html = R"(<div class="field" data-kind=")" + kind + R"(" data-name=")" + escape(name) + '"';
  // What an edit shows where the document sets nothing: the schema's default.
  if (property.contains("default") && property["default"].is_string())
    html += R"( data-default=")" + escape(property["default"].get<std::string>()) + '"';
  html += ">";
  html += R"(<label for=")" + escape(id) + R"(">)" + escape(field_label(name)) + (required ? " <span class=\"required\">(required)</span>" : "") + "</label>";
  html += control;
  if (!hint.empty()) html += R"(<small id=")" + escape(id) + R"(-hint">)" + escape(hint) + "</small>";
  html += R"(<p class="field-error" role="alert" hidden></p></div>)";
  return html;
}

}  // namespace

std::string metadata_fields_html(const std::string& prefix, bool with_id) {
  // In the schema's own order (title first), not the alphabetical order of json's maps.
  auto schema = nlohmann::ordered_json::parse(core::embedded_file("document.schema.json"));
  std::string html;
  for (const auto& [name, property] : schema["properties"].items()) {
    if (name == "$schema" || (name == "id" && !with_id)) continue;
    html += field_html(prefix, name, json(property), name == "title");
  }
  return html;
}

ApiResponse admin_page() {
  std::string main =
      R"(<main id="main" class="admin narrow">
<h1>Add and edit documents</h1>
<noscript><p class="error">This page needs JavaScript: it sends your token with each change. Without it, use the API
(<code>POST /api/documents</code>, see the README).</p></noscript>
<section id="signin" aria-labelledby="signin-h">
<h2 id="signin-h">Sign in</h2>
<form id="signin-form" class="admin-form">
<div class="field"><label for="token">Token</label>
<input id="token" type="password" autocomplete="off" spellcheck="false" required aria-describedby="token-hint">
<small id="token-hint">Made by <code>evidence-server token add NAME --role editor</code> (or <code>--role reader</code>, to read members' documents). Uploads and edits send it from this tab only; the search and document pages of this browser read with it for 12 hours, or until you sign out.</small></div>
<button type="submit">Sign in</button>
<p class="field-error" id="signin-error" role="alert" hidden></p>
</form>
<p id="signed-in" hidden>Signed in as <strong id="who"></strong> (<span id="role"></span>). <button type="button" id="signout">Sign out</button></p>
<p id="signed-out" role="status" hidden>Signed out: the pages of this browser read as anyone's again.</p>
</section>
<section id="upload" aria-labelledby="upload-h" hidden>
<h2 id="upload-h">Add a document</h2>
<form id="upload-form" class="admin-form" novalidate>
<div class="field"><label for="upload-file">PDF <span class="required">(required)</span></label>
<input id="upload-file" name="file" type="file" accept="application/pdf,.pdf" required>
<p class="field-error" role="alert" hidden></p></div>
)" + metadata_fields_html("upload", true) +
      R"(<button type="submit">Upload</button>
<p class="status" role="status" aria-live="polite"></p>
</form>
<div id="report" aria-live="polite"></div>
</section>
<section id="documents" aria-labelledby="documents-h" hidden>
<h2 id="documents-h">Documents</h2>
<p class="status" id="documents-status" role="status"></p>
<table class="documents"><thead><tr><th scope="col">Title</th><th scope="col">Date</th><th scope="col">Pages</th><th scope="col">Actions</th></tr></thead><tbody></tbody></table>
</section>
<section id="edit" aria-labelledby="edit-h" hidden>
<h2 id="edit-h">Edit <span id="editing-title"></span></h2>
<form id="edit-form" class="admin-form" novalidate>
)" + metadata_fields_html("edit", false) +
      R"(<button type="submit">Save changes</button> <button type="button" id="edit-cancel">Cancel</button>
<p class="status" role="status" aria-live="polite"></p>
</form>
</section>
</main>
<script src=")" +
      escape(asset_url("admin.js")) + R"(" defer></script>)";
  return html_response(page_html("Add and edit documents — Evidence Library", SearchBox{}, main), 200);
}

}  // namespace evidence::server::web
