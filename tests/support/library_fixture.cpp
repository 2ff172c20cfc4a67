#include "library_fixture.hpp"

#include "corpus_builder.hpp"

namespace evidence::testing {

void LibraryFixture::add_pdf(const std::filesystem::path& name, const std::vector<std::string>& pages,
                             const std::string& sidecar, const std::string& title) const {
  add_pdf_spec(name, pdfgen::simple_pdf(pages, title), sidecar);
}

void LibraryFixture::add_pdf_spec(const std::filesystem::path& name, const pdfgen::PdfSpec& spec,
                                  const std::string& sidecar) const {
  write_pdf(corpus() / name, spec);
  if (!sidecar.empty())
    write_file(corpus() / std::filesystem::path(name).replace_extension(".json"), sidecar);
}

nlohmann::json LibraryFixture::index_corpus(const std::vector<std::string>& extra) const {
  return summary_of(run_indexer(corpus(), index(), extra));
}

void LibraryFixture::start_server(const std::vector<std::string>& extra) {
  client.reset();
  server.reset();
  server = std::make_unique<ServerProcess>(index(), corpus(), extra);
  client = std::make_unique<HttpClient>(server->port());
}

HttpResult LibraryFixture::search(const std::string& query, const std::string& extra) {
  return client->get("/api/search?q=" + url_encode(query) + extra);
}

}  // namespace evidence::testing
