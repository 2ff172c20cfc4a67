#pragma once
// Finding the PDFs of a corpus folder: a file is a PDF by its content ("%PDF-" in its
// first kilobyte), sidecars are NAME.json beside NAME.pdf, symlinks are followed only
// when they stay inside the corpus, and names that start with '.' are not part of the
// corpus (the server keeps uploads in progress in .incoming/, withdrawn files in .withdrawn/).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "records.hpp"

namespace evidence::indexer {

struct CorpusFile {
  core::FileStamp stamp;                   // path relative to the corpus root
  std::filesystem::path absolute;
  std::optional<core::FileStamp> sidecar;  // NAME.json, when it exists
};

/// A file the scan could not take, with the reason.
struct Rejection {
  std::string path;  // relative to the corpus root
  core::Error error;
};

struct CorpusScan {
  std::vector<CorpusFile> pdfs;  // sorted by path
  std::vector<Rejection> rejected;
  std::size_t other_files = 0;   // files that are neither PDFs nor sidecars
};

/// True for a file or folder name that the corpus passes over: it starts with '.'.
bool is_hidden_name(std::string_view name);

/// Walks the corpus below root. Fails only when root itself cannot be read.
core::Result<CorpusScan> scan_corpus(const std::filesystem::path& root);

/// The sidecar path of a PDF: the same name with the extension replaced by ".json".
std::string sidecar_path_for(const std::string& pdf_relative_path);

}  // namespace evidence::indexer
