#include "html.hpp"

#include "params.hpp"

namespace evidence::server::web {

namespace {

constexpr std::string_view kMarkOpen = "<mark>";
constexpr std::string_view kMarkClose = "</mark>";
constexpr std::string_view kEllipsis = "\u2026";

// The entities Xapian's snippets (and HTML escapers generally) produce, decoded.
std::string decode_entities(std::string_view text) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&#x27;", '\''}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool decoded = false;
    if (text[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out += c;
          i += entity.size() - 1;
          decoded = true;
          break;
        }
      }
    }
    if (!decoded) out += text[i];
  }
  return out;
}

// Calls on_text(text) and on_mark(open) for the pieces of a snippet, in order.
template <class OnText, class OnMark>
void split_marks(std::string_view snippet, OnText&& on_text, OnMark&& on_mark) {
  while (!snippet.empty()) {
    auto open = snippet.find(kMarkOpen);
    auto close = snippet.find(kMarkClose);
    auto next = std::min(open, close);
    on_text(snippet.substr(0, next));
    if (next == std::string_view::npos) return;
    bool is_open = next == open;
    on_mark(is_open);
    snippet.remove_prefix(next + (is_open ? kMarkOpen.size() : kMarkClose.size()));
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string snippet_html(std::string_view snippet) {
  std::string out;
  int open_marks = 0;
  split_marks(
      snippet, [&](std::string_view text) { out += escape(decode_entities(text)); },
      [&](bool open) {
        if (open && open_marks == 0) out += kMarkOpen;
        if (!open && open_marks == 1) out += kMarkClose;
        open_marks = open ? open_marks + 1 : std::max(0, open_marks - 1);
      });
  if (open_marks > 0) out += kMarkClose;  // never leave a mark open
  return out;
}

std::string snippet_text(std::string_view snippet) {
  std::string text;
  split_marks(snippet, [&](std::string_view piece) { text += decode_entities(piece); }, [](bool) {});
  std::string_view view = trim(text);
  if (view.starts_with(kEllipsis)) view.remove_prefix(kEllipsis.size());
  if (view.ends_with(kEllipsis)) view.remove_suffix(kEllipsis.size());
  return std::string(trim(view));
}

std::string url_encode(std::string_view text) { return percent_encode(text); }

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    out += out.empty() ? '?' : '&';
    out += url_encode(name) + "=" + url_encode(value);
  }
  return out;
}

std::string hidden_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string html;
  for (const auto& [name, value] : fields) {
    html += R"(<input type="hidden" name=")" + escape(name) + R"(" value=")" + escape(value) + R"(">)";
  }
  return html;
}

std::string page_name(int page, const std::string& label) {
  std::string name = "p. " + std::to_string(page);
  if (!label.empty() && label != std::to_string(page)) name += " (printed " + label + ")";
  return name;
}

}  // namespace evidence::server::web
