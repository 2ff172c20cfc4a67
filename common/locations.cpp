#include "locations.hpp"

#include <algorithm>
#include <system_error>

// CMake gives these (common/CMakeLists.txt): the way from the installed bin/ to
// share/evidence-library, and the trees this executable was built from and in.
#if !defined(EVIDENCE_SHARE_FROM_BIN) || !defined(EVIDENCE_BUILD_TREE) || !defined(EVIDENCE_SOURCE_SCHEMAS)
#error \
    "common/CMakeLists.txt defines EVIDENCE_SHARE_FROM_BIN, EVIDENCE_BUILD_TREE and EVIDENCE_SOURCE_SCHEMAS"
#endif

namespace evidence::core {
namespace fs = std::filesystem;

namespace {

bool is_inside(const fs::path& file, const fs::path& folder) {
  std::error_code ec;
  fs::path inner = fs::weakly_canonical(file, ec);
  if (ec) return false;
  fs::path outer = fs::weakly_canonical(folder, ec);
  if (ec || outer.empty()) return false;
  auto [end, ignored] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return end == outer.end();
}

}  // namespace

fs::path absolute_path(const fs::path& path) {
  if (path.empty()) return path;
  return fs::absolute(path).lexically_normal();
}

fs::path running_executable() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self;
}

fs::path installed_files_dir(const fs::path& executable) {
  return (executable.parent_path() / EVIDENCE_SHARE_FROM_BIN).lexically_normal();
}

fs::path shipped_files_dir(const fs::path& executable) {
  if (executable.empty()) return {};
  std::error_code ec;
  fs::path installed = installed_files_dir(executable);
  if (fs::is_directory(installed, ec)) return installed;
  // A build tree: the source tree it was built from is still beside it.
  if (is_inside(executable, EVIDENCE_BUILD_TREE) && fs::is_directory(EVIDENCE_SOURCE_SCHEMAS, ec)) {
    return fs::path(EVIDENCE_SOURCE_SCHEMAS);
  }
  return {};
}

std::string path_problem(std::string_view flag, const fs::path& path, PathMust must) {
  std::string named = std::string(flag) + " " + path.string() + ": ";
  std::error_code ec;
  auto status = fs::status(path, ec);
  switch (must) {
    case PathMust::kBeFile:
      if (!fs::exists(status)) return named + "no such file";
      if (fs::is_directory(status)) return named + "a folder, not a file";
      return {};
    case PathMust::kBeFolder:
      if (!fs::exists(status)) return named + "no such folder";
      if (!fs::is_directory(status)) return named + "not a folder";
      return {};
    case PathMust::kBeInFolder: {
      fs::path folder = path.parent_path();
      if (folder.empty() || fs::is_directory(folder, ec)) return {};
      return named + "its folder " + folder.string() + " does not exist";
    }
  }
  return {};
}

}  // namespace evidence::core
