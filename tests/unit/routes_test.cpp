// Tests of search-server/app/routes.hpp: the table matched once per request — route names
// for /metrics, placeholders, the methods a path takes, the pages' paths — and the answers
// to requests no route takes.

#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "routes.hpp"

namespace {

using evidence::server::Access;
using evidence::server::ApiResponse;
using evidence::server::BodyKind;
using evidence::server::match_route;
using evidence::server::routes;
using evidence::server::unrouted;

std::string header_of(const ApiResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(route_table)

BOOST_AUTO_TEST_CASE(routes_have_a_fixed_set_of_names) {
  const std::pair<const char*, const char*> kCases[] = {{"/", "search_page"},
                                                        {"/?q=x", "search_page"},
                                                        {"/d/abc", "document_page"},
                                                        {"/admin", "admin_page"},
                                                        {"/static/site.css", "static"},
                                                        {"/favicon.ico", "static"},
                                                        {"/healthz", "healthz"},
                                                        {"/metrics?x=1", "metrics"},
                                                        {"/documents/abc.pdf", "pdf"},
                                                        {"/api/search?q=a", "search"},
                                                        {"/api/trends", "trends"},
                                                        {"/api/export", "export"},
                                                        {"/api/whoami", "whoami"},
                                                        {"/api/documents", "documents"},
                                                        {"/api/documents/abc", "document"},
                                                        {"/api/documents/abc/hits", "hits"},
                                                        {"/api/documents/abc/similar", "similar"},
                                                        {"/api/documents/abc/cite", "cite"},
                                                        {"/api/documents/abc/pages/2", "page"},
                                                        {"/api/nothing", "other"},
                                                        {"/x/y/z", "other"},
                                                        {"/api/documents/abc/pages", "other"},
                                                        {"/documents/.pdf", "other"},
                                                        {"%zz", "other"},
                                                        {"", "other"}};
  for (const auto& [target, name] : kCases) {
    BOOST_TEST(match_route("GET", target).name() == name, target);
    BOOST_TEST(match_route("HEAD", target).name() == name, target);
  }
  BOOST_TEST(match_route("POST", "/api/documents").name() == "documents");
  BOOST_TEST(match_route("PATCH", "/api/documents/abc").name() == "document");
  BOOST_TEST(match_route("POST", "/metrics").name() == "other");
}

BOOST_AUTO_TEST_CASE(placeholders_are_decoded_and_given_in_order) {
  auto page = match_route("GET", "/api/documents/a%20b/pages/7?x=1");
  BOOST_TEST_REQUIRE(page.route != nullptr);
  BOOST_TEST(page.params == (std::vector<std::string>{"a b", "7"}), boost::test_tools::per_element());
  auto pdf = match_route("HEAD", "/documents/report.2024.pdf");
  BOOST_TEST_REQUIRE(pdf.route != nullptr);
  BOOST_TEST(pdf.params == std::vector<std::string>{"report.2024"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(each_route_says_who_may_call_it_and_what_it_carries) {
  auto add = match_route("POST", "/api/documents");
  BOOST_TEST_REQUIRE(add.route != nullptr);
  BOOST_TEST((add.route->access == Access::kEditor));
  BOOST_TEST((add.route->body == BodyKind::kUpload));
  auto edit = match_route("PATCH", "/api/documents/x");
  BOOST_TEST_REQUIRE(edit.route != nullptr);
  BOOST_TEST((edit.route->body == BodyKind::kJson));
  for (const char* open :
       {"/healthz", "/metrics", "/admin", "/static/site.css", "/favicon.ico", "/api/whoami"}) {
    BOOST_TEST((match_route("GET", open).access() == Access::kOpen), open);
  }
  for (const char* reader : {"/", "/d/x", "/api/search", "/documents/x.pdf", "/nothing/here"}) {
    BOOST_TEST((match_route("GET", reader).access() == Access::kReader), reader);
  }
  // Only the write routes need an editor; the browser session is open (signing in checks the
  // token it is given).
  for (const auto& route : routes()) {
    BOOST_TEST(((route.access == Access::kEditor) == (route.method != "GET" && route.name != "session")),
               route.pattern);
  }
  for (const char* method : {"POST", "DELETE"}) {
    BOOST_TEST((match_route(method, "/api/session").access() == Access::kOpen), method);
  }
}

BOOST_AUTO_TEST_CASE(pages_own_every_path_outside_the_api) {
  for (const char* page : {"/", "/?q=x", "/d/abc?page=2", "/static/site.css?v=1", "/anything/else", "/%zz"}) {
    BOOST_TEST(match_route("GET", page).page, page);
  }
  for (const char* api :
       {"/api/search?q=x", "/%61pi/search", "/healthz", "/metrics", "/documents/abc.pdf", "*"}) {
    BOOST_TEST(!match_route("GET", api).page, api);
  }
}

BOOST_AUTO_TEST_CASE(a_path_that_takes_other_methods_is_405_with_allow) {
  auto post = unrouted(match_route("POST", "/api/search?q=x"));
  BOOST_TEST(post.status == 405);
  BOOST_TEST(header_of(post, "Allow") == "GET, HEAD");
  BOOST_TEST(nlohmann::json::parse(post.body)["error"]["message"] == "use GET, HEAD for /api/search");
  BOOST_TEST(header_of(unrouted(match_route("PUT", "/api/documents")), "Allow") == "GET, HEAD, POST");
  BOOST_TEST(header_of(unrouted(match_route("POST", "/api/documents/x")), "Allow") ==
             "GET, HEAD, PATCH, DELETE");
  BOOST_TEST(unrouted(match_route("POST", "/")).status == 405);
}

BOOST_AUTO_TEST_CASE(unknown_paths_are_404_as_json_or_as_a_page) {
  auto api = unrouted(match_route("GET", "/api/nothing"));
  BOOST_TEST(api.status == 404);
  BOOST_TEST(nlohmann::json::parse(api.body)["error"]["message"] == "no such resource: /api/nothing");
  auto page = unrouted(match_route("GET", "/nothing/here"));
  BOOST_TEST(page.status == 404);
  BOOST_TEST(page.content_type.starts_with("text/html"));
  BOOST_TEST(page.body.find("There is no page at /nothing/here.") != std::string::npos);
  BOOST_TEST(unrouted(match_route("GET", "/api/%zz")).status == 400);
}

BOOST_AUTO_TEST_SUITE_END()
