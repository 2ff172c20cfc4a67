#pragma once
// A library for a test: a fresh temporary directory holding a corpus of generated PDFs (with
// sidecars when given), the index the real evidence-index builds from it, and the real
// evidence-server started over both with a client connected to it.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http_client.hpp"
#include "pdf_writer.hpp"
#include "server_process.hpp"
#include "temp_dir.hpp"

namespace evidence::testing {

struct LibraryFixture {
  /// A library whose corpus is dir/corpus and whose index is dir/index.
  LibraryFixture() = default;
  /// A library over a corpus that is already written elsewhere (the sample corpus).
  explicit LibraryFixture(std::filesystem::path corpus) : corpus_(std::move(corpus)) {}

  /// The corpus folder (dir/corpus unless the constructor named another).
  std::filesystem::path corpus() const { return corpus_.empty() ? dir / "corpus" : corpus_; }
  /// The index folder, dir/index.
  std::filesystem::path index() const { return dir / "index"; }

  /// Writes corpus()/name, a PDF whose page i holds pages[i-1] (and title, when given), and
  /// beside it, when sidecar is not empty, the sidecar of that name ending in .json.
  void add_pdf(const std::filesystem::path& name, const std::vector<std::string>& pages,
               const std::string& sidecar = "", const std::string& title = "") const;
  /// Writes corpus()/name from a full spec, with its sidecar as above.
  void add_pdf_spec(const std::filesystem::path& name, const pdfgen::PdfSpec& spec,
                    const std::string& sidecar = "") const;

  /// Runs evidence-index on corpus() into index() with extra flags and returns its JSON
  /// summary; throws when the run fails.
  nlohmann::json index_corpus(const std::vector<std::string>& extra = {}) const;

  /// Starts evidence-server on index() and corpus() with extra flags (stopping one already
  /// started), and connects client to it.
  void start_server(const std::vector<std::string>& extra = {});

  /// GET /api/search?q=<query, percent-encoded><extra> through client.
  HttpResult search(const std::string& query, const std::string& extra = "");

  TempDir dir;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<HttpClient> client;

 private:
  std::filesystem::path corpus_;
};

}  // namespace evidence::testing
