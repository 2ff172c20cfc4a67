#pragma once
// Where the executables find their files, whatever folder they are started in. What a library
// keeps (its index, tokens, audit log) lives in one data directory (--data-dir); what the
// project ships (the thesaurus) is installed beside the executables, in
// PREFIX/share/evidence-library, or read from the source tree by an executable of a build tree.

#include <filesystem>
#include <string>
#include <string_view>

namespace evidence::core {

/// The data directory when neither --data-dir nor EVIDENCE_DATA_DIR names one: var/ in the
/// working directory, where the quick start (scripts/start.sh) keeps its index.
inline constexpr std::string_view kDefaultDataDir = "var";

/// What a data directory holds when no flag names another place.
struct DataDir {
  std::filesystem::path root;
  std::filesystem::path index() const { return root / "index"; }
  std::filesystem::path corpus() const { return root / "corpus"; }
  std::filesystem::path tokens() const { return root / "tokens.json"; }
  std::filesystem::path audit_log() const { return root / "audit.jsonl"; }
};

/// The path as an absolute one, read from the working directory, without "." or "..".
std::filesystem::path absolute_path(const std::filesystem::path& path);

/// The running executable's own file (/proc/self/exe); empty when it cannot be read.
std::filesystem::path running_executable();

/// The folder of the files the project ships, for this executable: share/evidence-library
/// beside its bin/ when installed; the source tree's schemas/ when it lies in the build tree
/// it was built in; empty otherwise.
std::filesystem::path shipped_files_dir(const std::filesystem::path& executable);

/// Where share/evidence-library is expected for this executable once installed, to say so
/// when it is missing.
std::filesystem::path installed_files_dir(const std::filesystem::path& executable);

/// What a path named on the command line must be before a program starts on it.
enum class PathMust {
  kBeFile,      // an existing file (the thesaurus)
  kBeFolder,    // an existing folder (the data directory, the corpus)
  kBeInFolder,  // in an existing folder; it may be created (a token file, an index)
};

/// What is wrong with `path`, named by `flag`, for a person ("--thesaurus /x.json: no such
/// file"); empty when nothing is.
std::string path_problem(std::string_view flag, const std::filesystem::path& path, PathMust must);

}  // namespace evidence::core
