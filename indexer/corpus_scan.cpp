#include "corpus_scan.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

namespace evidence::indexer {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;

namespace {

constexpr std::size_t kHeaderWindow = 1024;  // the PDF header may follow some junk

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

bool has_extension(const std::string& name, std::string_view ext) {
  if (name.size() <= ext.size()) return false;
  return std::equal(ext.rbegin(), ext.rend(), name.rbegin(), [](char a, char b) {
    return a == static_cast<char>(std::tolower(static_cast<unsigned char>(b)));
  });
}

enum class Kind { kPdf, kNotPdf, kEmpty, kUnreadable };

std::pair<Kind, std::string> sniff(const fs::path& path, const struct stat& st) {
  if (st.st_size == 0) return {Kind::kEmpty, {}};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0 && errno == ELOOP) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return {Kind::kUnreadable, std::strerror(errno)};
  char buffer[kHeaderWindow];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  int saved = errno;
  ::close(fd);
  if (n < 0) return {Kind::kUnreadable, std::strerror(saved)};
  std::string_view head(buffer, static_cast<std::size_t>(n));
  return {head.find("%PDF-") != std::string_view::npos ? Kind::kPdf : Kind::kNotPdf, {}};
}

struct Walker {
  fs::path root;
  fs::path canonical_root;
  CorpusScan scan;
  std::set<std::pair<dev_t, ino_t>> visited;  // directories, against symlink loops
  std::set<std::string> json_files;

  bool inside_root(const fs::path& target) const {
    auto rel = target.lexically_relative(canonical_root);
    return !rel.empty() && rel.native().rfind("..", 0) != 0;
  }

  void reject(const std::string& rel, ErrorCode code, std::string message) {
    scan.rejected.push_back({rel, Error{code, std::move(message)}});
  }

  void walk(const fs::path& dir, const std::string& rel_dir) {
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) {
      reject(rel_dir.empty() ? "." : rel_dir, ErrorCode::kIo, "cannot read the folder: " + ec.message());
      return;
    }
    std::vector<fs::directory_entry> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      entries.push_back(*it);
    }
    for (const auto& entry : entries) visit(entry.path(), rel_dir);
  }

  void visit(const fs::path& path, const std::string& rel_dir) {
    std::string name = path.filename().native();
    // Hidden names are not the corpus's: the server's .incoming/ (uploads being received)
    // and .withdrawn/ (withdrawn documents), editors' and file managers' own files.
    if (is_hidden_name(name)) return;
    std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
    struct stat lst {};
    if (::lstat(path.c_str(), &lst) != 0) {
      reject(rel, ErrorCode::kIo, std::string("cannot read: ") + std::strerror(errno));
      return;
    }
    struct stat st = lst;
    if (S_ISLNK(lst.st_mode)) {
      std::error_code ec;
      fs::path target = fs::canonical(path, ec);
      if (ec) {
        reject(rel, ErrorCode::kIo, "broken symbolic link");
        return;
      }
      if (!inside_root(target)) {
        reject(rel, ErrorCode::kIo, "symbolic link leads outside the corpus; not followed");
        return;
      }
      if (::stat(path.c_str(), &st) != 0) {
        reject(rel, ErrorCode::kIo, std::string("cannot read: ") + std::strerror(errno));
        return;
      }
    }
    if (S_ISDIR(st.st_mode)) {
      if (!visited.insert({st.st_dev, st.st_ino}).second) return;
      walk(path, rel);
      return;
    }
    if (!S_ISREG(st.st_mode)) {
      ++scan.other_files;
      return;
    }
    if (has_extension(name, ".json")) {
      json_files.insert(rel);
      return;
    }
    bool named_pdf = has_extension(name, ".pdf");
    auto [kind, detail] = sniff(path, st);
    switch (kind) {
      case Kind::kPdf:
        scan.pdfs.push_back({core::FileStamp{rel, static_cast<std::uint64_t>(st.st_size), mtime_ns(st)},
                             path, std::nullopt});
        return;
      case Kind::kEmpty:
        if (named_pdf) reject(rel, ErrorCode::kEmptyFile, "the file is empty (0 bytes)");
        else ++scan.other_files;
        return;
      case Kind::kNotPdf:
        if (named_pdf) reject(rel, ErrorCode::kNotPdf, "not a PDF: the file does not start with %PDF-");
        else ++scan.other_files;
        return;
      case Kind::kUnreadable:
        reject(rel, ErrorCode::kIo, "cannot read: " + detail);
        return;
    }
  }

  void attach_sidecars() {
    std::set<std::string> used;
    for (auto& pdf : scan.pdfs) {
      std::string sidecar = sidecar_path_for(pdf.stamp.path);
      if (!json_files.count(sidecar)) continue;
      struct stat st {};
      fs::path absolute = root / sidecar;
      if (::stat(absolute.c_str(), &st) != 0) continue;
      pdf.sidecar = core::FileStamp{sidecar, static_cast<std::uint64_t>(st.st_size), mtime_ns(st)};
      used.insert(sidecar);
    }
    for (const auto& json : json_files) {
      if (!used.count(json)) ++scan.other_files;
    }
  }
};

}  // namespace

bool is_hidden_name(std::string_view name) { return !name.empty() && name.front() == '.'; }

std::string sidecar_path_for(const std::string& pdf_relative_path) {
  auto slash = pdf_relative_path.rfind('/');
  auto dot = pdf_relative_path.rfind('.');
  bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  return (has_ext ? pdf_relative_path.substr(0, dot) : pdf_relative_path) + ".json";
}

core::Result<CorpusScan> scan_corpus(const fs::path& root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical, ec)) {
    return Error{ErrorCode::kIo, "the corpus folder " + root.string() + " does not exist or is not a folder"};
  }
  if (::access(canonical.c_str(), R_OK | X_OK) != 0) {
    return Error{ErrorCode::kIo, "the corpus folder " + root.string() + " cannot be read: " + std::strerror(errno)};
  }
  Walker walker{canonical, canonical, {}, {}, {}};
  struct stat st {};
  ::stat(canonical.c_str(), &st);
  walker.visited.insert({st.st_dev, st.st_ino});
  walker.walk(canonical, "");
  walker.attach_sidecars();
  auto by_path = [](const auto& a, const auto& b) { return a.stamp.path < b.stamp.path; };
  std::sort(walker.scan.pdfs.begin(), walker.scan.pdfs.end(), by_path);
  std::sort(walker.scan.rejected.begin(), walker.scan.rejected.end(),
            [](const auto& a, const auto& b) { return a.path < b.path; });
  return std::move(walker.scan);
}

}  // namespace evidence::indexer
