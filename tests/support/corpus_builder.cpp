#include "corpus_builder.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace evidence::testing {

void write_pdf(const std::filesystem::path& path, const pdfgen::PdfSpec& spec) {
  std::filesystem::create_directories(path.parent_path());
  std::string error = pdfgen::write_pdf(spec, path.string());
  if (!error.empty()) throw std::runtime_error(error);
}

void write_pages(const std::filesystem::path& path, const std::vector<std::string>& page_texts,
                 const std::string& title) {
  write_pdf(path, pdfgen::simple_pdf(page_texts, title));
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

pdfgen::PdfSpec partly_scanned_report() {
  pdfgen::PdfSpec spec =
      pdfgen::simple_pdf({"The first page has a text layer about shelters and case workers.",
                          "Quarterly inspection of fishing vessels found debt bondage among deckhands.",
                          "The third page has a text layer about reintegration grants."},
                         "Partly scanned report");
  spec.pages[1].scanned = true;
  return spec;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string binary(const std::string& name) {
  if (name == "evidence-index") return EVIDENCE_INDEX_BINARY;
  if (name == "evidence-server") return EVIDENCE_SERVER_BINARY;
  throw std::runtime_error("unknown binary " + name);
}

std::string add_token(const std::filesystem::path& tokens, const std::string& name, const std::string& role,
                      const std::vector<std::string>& groups) {
  std::vector<std::string> argv{
      binary("evidence-server"), "token", "add", name, "--role", role, "--tokens", tokens.string()};
  for (const auto& group : groups) argv.insert(argv.end(), {"--group", group});
  ProcessResult made = run_process(argv);
  std::smatch match;
  if (!std::regex_search(made.out, match, std::regex("evl_[A-Za-z0-9_-]+")))
    throw std::runtime_error("evidence-server token add " + name + " printed no token: " + made.out +
                             made.err);
  return match.str();
}

ProcessResult run_indexer(const std::filesystem::path& corpus, const std::filesystem::path& index,
                          const std::vector<std::string>& extra) {
  std::vector<std::string> argv{binary("evidence-index"), "--json", "--progress", "never",
                                "--index", index.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("--");
  argv.push_back(corpus.string());
  return run_process(argv);
}

nlohmann::json summary_of(const ProcessResult& result) {
  if (result.exit_code != 0) {
    throw std::runtime_error("evidence-index failed (" + std::to_string(result.exit_code) + "): " + result.err);
  }
  return nlohmann::json::parse(result.out);
}

}  // namespace evidence::testing
