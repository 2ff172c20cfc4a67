#pragma once
// Building test corpora: PDFs with known text on known pages, sidecars, and running the
// real evidence-index on them.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pdf_writer.hpp"
#include "process.hpp"

namespace evidence::testing {

/// Writes a PDF whose page i (1-based) holds page_texts[i-1]; throws on failure.
void write_pages(const std::filesystem::path& path, const std::vector<std::string>& page_texts,
                 const std::string& title = "");
/// Writes a PDF from a full spec; throws on failure.
void write_pdf(const std::filesystem::path& path, const pdfgen::PdfSpec& spec);
/// Writes text (or bytes) to a file.
void write_file(const std::filesystem::path& path, const std::string& content);
/// Reads a whole file.
std::string read_file(const std::filesystem::path& path);

/// Path of a built executable ("evidence-index", "evidence-server").
std::string binary(const std::string& name);

/// Runs evidence-server token add name --role role (--group G for each of groups) --tokens
/// tokens and returns the token it prints; throws when it prints none.
std::string add_token(const std::filesystem::path& tokens, const std::string& name,
                      const std::string& role = "reader", const std::vector<std::string>& groups = {});

/// Runs evidence-index --json --progress never on corpus into index, with extra flags.
ProcessResult run_indexer(const std::filesystem::path& corpus, const std::filesystem::path& index,
                          const std::vector<std::string>& extra = {});

/// Three A4 pages whose middle one is a scan (an image of its text, no text layer): "Quarterly
/// inspection of fishing vessels found debt bondage among deckhands."
pdfgen::PdfSpec partly_scanned_report();

/// The JSON summary printed by a successful run_indexer.
nlohmann::json summary_of(const ProcessResult& result);

}  // namespace evidence::testing
