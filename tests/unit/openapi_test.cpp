// Keeps schemas/openapi.json honest: it parses, its references resolve, every operation it
// names is a route of the table (search-server/app/routes.cpp) and answered, and every route
// of the table is in it. Keeps docs/api.md honest: it has a heading for each operation of the
// file, and none for anything else.

#include <boost/test/unit_test.hpp>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "index_reader.hpp"
#include "routes.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using evidence::server::Access;
using evidence::server::ApiRequest;
using evidence::server::ApiResponse;
using evidence::server::handle_request;
using evidence::server::IndexReader;
using evidence::server::match_route;
using evidence::server::RouteMatch;
using evidence::server::routes;
using nlohmann::json;

const fs::path kSchemas = fs::path(EVIDENCE_SOURCE_DIR) / "schemas";
const fs::path kApiDoc = fs::path(EVIDENCE_SOURCE_DIR) / "docs" / "api.md";

const std::set<std::string> kMethods = {"get", "head", "post", "put", "patch", "delete", "options", "trace"};

json load(const fs::path& path) {
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot open " << path.filename());
  return json::parse(in);
}

const json& openapi_file() {
  static const json document = load(kSchemas / "openapi.json");
  return document;
}

// A parameter, or the component it refers to.
const json& resolve(const json& parameter) {
  if (!parameter.contains("$ref")) return parameter;
  std::string pointer = parameter["$ref"].get<std::string>();
  BOOST_REQUIRE(pointer.rfind("#/", 0) == 0);
  return openapi_file().at(json::json_pointer(pointer.substr(1)));
}

// The path with each {name} replaced by its parameter's example.
std::string concrete_path(const std::string& path, const json& path_item, const json& operation) {
  std::string out = path;
  for (const json* list : {&path_item, &operation}) {
    for (const auto& entry : list->value("parameters", json::array())) {
      const json& parameter = resolve(entry);
      if (parameter.at("in") != "path") continue;
      std::string name = parameter.at("name").get<std::string>();
      BOOST_REQUIRE_MESSAGE(parameter.contains("example"),
                            path << ": path parameter " << name << " has no example");
      const json& example = parameter["example"];
      std::string value = example.is_string() ? example.get<std::string>() : example.dump();
      std::string placeholder = "{" + name + "}";
      for (auto at = out.find(placeholder); at != std::string::npos; at = out.find(placeholder)) {
        out.replace(at, placeholder.size(), value);
      }
    }
  }
  BOOST_TEST(out.find('{') == std::string::npos, path << ": a path parameter is not declared");
  return out;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

void collect_refs(const json& value, std::vector<std::string>& refs) {
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (key == "$ref" && member.is_string()) refs.push_back(member.get<std::string>());
      collect_refs(member, refs);
    }
  } else if (value.is_array()) {
    for (const auto& member : value) collect_refs(member, refs);
  }
}

// The route headings of docs/api.md, "### `GET /api/search`", as "GET /api/search" with the
// line each is on. A line that starts like one ("### `") and is not one is a failure.
std::map<std::string, int> documented_routes() {
  std::ifstream in(kApiDoc);
  BOOST_REQUIRE_MESSAGE(in, "cannot open docs/api.md");
  std::map<std::string, int> routes;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string prefix = "### `";
    if (line.rfind(prefix, 0) != 0) continue;
    std::string route = line.substr(prefix.size());
    bool closed = !route.empty() && route.back() == '`';
    if (closed) route.pop_back();
    auto space = route.find(' ');
    std::string method = route.substr(0, space);
    bool well_formed = closed && space != std::string::npos && route.size() > space + 1 &&
                       route[space + 1] == '/' && route.find_first_of(" `", space + 1) == std::string::npos &&
                       method == upper(method) && kMethods.count(lower(method)) == 1;
    BOOST_TEST(well_formed, "docs/api.md line " << number << ": \"" << line
                                                << "\" is not a route heading \"### `METHOD /path`\"");
    if (!well_formed) continue;
    auto [at, added] = routes.emplace(route, number);
    BOOST_TEST(added, "docs/api.md line " << number << ": " << route << " has a heading already, on line "
                                          << at->second);
  }
  return routes;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(openapi)

BOOST_AUTO_TEST_CASE(file_parses_as_openapi_3_1) {
  const json& document = openapi_file();
  BOOST_TEST(document.at("openapi") == "3.1.0");
  BOOST_TEST(document.at("info").at("title").is_string());
  BOOST_TEST(document.at("paths").is_object());
  BOOST_TEST(document.at("components").at("securitySchemes").at("bearerAuth").at("scheme") == "bearer");
}

BOOST_AUTO_TEST_CASE(every_reference_resolves) {
  std::vector<std::string> refs;
  collect_refs(openapi_file(), refs);
  BOOST_TEST(!refs.empty());
  for (const auto& ref : refs) {
    if (ref.rfind("#/", 0) == 0) {
      BOOST_TEST(openapi_file().contains(json::json_pointer(ref.substr(1))),
                 ref << " names nothing in the file");
      continue;
    }
    // A file beside openapi.json, relative to schemas/, and a JSON Schema.
    std::string file = ref.substr(0, ref.find('#'));
    BOOST_TEST_CONTEXT(ref) {
      BOOST_REQUIRE(fs::is_regular_file(kSchemas / file));
      json schema = load(kSchemas / file);
      BOOST_TEST(schema.contains("$schema"));
      if (auto hash = ref.find('#'); hash != std::string::npos && hash + 1 < ref.size()) {
        BOOST_TEST(schema.contains(json::json_pointer(ref.substr(hash + 1))));
      }
    }
  }
}

// Every operation of the file is a route of the table, and the reading ones answer through
// handle_request over an index that does not exist: 503 (or, for pages that need no index,
// 200), never 404 or 405.
BOOST_AUTO_TEST_CASE(every_operation_is_answered) {
  evidence::testing::TempDir dir;
  IndexReader reader(dir / "no-index", std::chrono::milliseconds(0));
  // The probe can tell: an unknown route is a 404.
  BOOST_TEST(handle_request(ApiRequest{"GET", "/api/nothing"}, reader).status == 404);

  for (const auto& [path, path_item] : openapi_file().at("paths").items()) {
    for (const auto& [method, operation] : path_item.items()) {
      if (kMethods.count(method) == 0) continue;
      std::string target = concrete_path(path, path_item, operation);
      BOOST_TEST_CONTEXT(method << " " << path << " as " << target) {
        RouteMatch match = match_route(upper(method), target);
        BOOST_TEST_REQUIRE(match.route != nullptr);
        BOOST_TEST(match.route->pattern == path);
        if (match.route->access == Access::kEditor || match.route->name == "whoami" ||
            match.route->name == "session")
          continue;  // need a writer
        ApiResponse response = handle_request(ApiRequest{upper(method), target}, reader);
        BOOST_TEST(response.status != 404);
        BOOST_TEST(response.status != 405);
      }
    }
  }
}

// The table and the file name the same operations (a GET route answers HEAD too, which the
// file names where it matters).
BOOST_AUTO_TEST_CASE(every_route_is_in_the_file) {
  std::set<std::string> described;
  for (const auto& [path, path_item] : openapi_file().at("paths").items()) {
    for (const auto& [method, operation] : path_item.items()) {
      if (kMethods.count(method) != 0) described.insert(method + " " + path);
    }
  }
  std::set<std::string> routed;
  for (const auto& route : routes()) {
    std::string method = lower(std::string(route.method));
    routed.insert(method + " " + std::string(route.pattern));
    if (method == "get") routed.insert("head " + std::string(route.pattern));
  }
  for (const auto& route : routed) {
    if (route.starts_with("head ")) continue;
    BOOST_TEST(described.count(route) == 1, route << " is not in openapi.json");
  }
  for (const auto& route : described)
    BOOST_TEST(routed.count(route) == 1, route << " is not a route of the server");
}

// docs/api.md describes the API route by route under headings "### `GET /api/search`":
// one for each operation of openapi.json, and none that the file does not have.
BOOST_AUTO_TEST_CASE(docs_api_md_has_a_heading_for_every_operation) {
  std::map<std::string, int> documented = documented_routes();
  std::set<std::string> described;
  for (const auto& [path, path_item] : openapi_file().at("paths").items()) {
    for (const auto& [method, operation] : path_item.items()) {
      if (kMethods.count(method) != 0) described.insert(upper(method) + " " + path);
    }
  }
  BOOST_TEST(!described.empty());
  for (const auto& route : described) {
    BOOST_TEST(documented.count(route) == 1,
               "docs/api.md has no heading \"### `" << route << "`\" for this operation of openapi.json");
  }
  for (const auto& [route, line] : documented) {
    BOOST_TEST(described.count(route) == 1, "docs/api.md line " << line << ": \"### `" << route
                                                                << "`\" is not an operation of openapi.json");
  }
}

BOOST_AUTO_TEST_SUITE_END()
