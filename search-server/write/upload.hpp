#pragma once
// An upload as it arrives: the multipart body of POST /api/documents parsed on the fly, the
// PDF part written straight to a temporary file in the corpus's .incoming/ folder (hashed
// as it goes), the metadata part kept in memory (at most 1 MiB). No sockets here: the HTTP
// layer feeds the bytes.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "error.hpp"
#include "http_types.hpp"
#include "multipart.hpp"
#include "sha256.hpp"

namespace evidence::server {

/// A file that is deleted when this goes out of scope, unless it has been kept.
class TemporaryFile {
 public:
  TemporaryFile() = default;
  explicit TemporaryFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~TemporaryFile();
  TemporaryFile(TemporaryFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TemporaryFile& operator=(TemporaryFile&& other) noexcept;
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// It was moved into place: do not delete it.
  void keep() { path_.clear(); }

 private:
  std::filesystem::path path_;
};

/// A complete upload, ready for the writer.
struct Upload {
  TemporaryFile pdf;          // written and fsynced
  std::string file_name;      // as the client named it (may be empty)
  std::string sha256;         // hex, of the PDF part
  std::uint64_t size = 0;     // bytes of the PDF part
  std::optional<std::string> metadata;  // the metadata part's JSON text, when sent
};

/// The folder inside the corpus where uploads are written before they are complete.
/// Its name starts with a dot, so the indexer's corpus scan passes it by.
std::filesystem::path incoming_folder(const std::filesystem::path& corpus);

/// kTooLarge: "the PDF is larger than the upload limit of N MiB", however the upload was
/// found too large (its announced length, or its bytes as they arrive).
core::Error upload_too_large(std::uint64_t max_pdf_bytes);

/// Removes what uploads interrupted by a crash left in the incoming folder.
void clear_incoming(const std::filesystem::path& corpus);

class UploadReceiver final : public PartHandler, public BodySink {
 public:
  static constexpr std::size_t kMaxMetadataBytes = 1 << 20;

  /// Creates the temporary file; kIo when the corpus cannot be written.
  static core::Result<std::unique_ptr<UploadReceiver>> create(const std::filesystem::path& corpus,
                                                              std::string boundary, std::uint64_t max_pdf_bytes);
  ~UploadReceiver() override;

  /// The next bytes of the request body.
  core::Status feed(std::string_view bytes);
  bool take(std::string_view bytes) override { return feed(bytes).ok(); }
  /// The body is complete: checks that a PDF was sent, fsyncs it and hands it over.
  core::Result<Upload> finish();
  /// Why feed() failed, kept for the HTTP layer (which only sees an error code).
  std::optional<core::Error> error;

  core::Status begin_part(const PartHeaders& headers) override;
  core::Status part_data(std::string_view bytes) override;
  core::Status end_part() override;

 private:
  UploadReceiver(std::string boundary, std::uint64_t max_pdf_bytes, TemporaryFile file, int fd);
  core::Status write_pdf(std::string_view bytes);

  MultipartParser parser_;
  std::uint64_t max_pdf_bytes_;
  TemporaryFile file_;
  int fd_ = -1;
  core::Sha256 digest_;
  enum class Part { kNone, kFile, kMetadata } current_ = Part::kNone;
  bool have_file_ = false;
  std::string file_name_;
  std::uint64_t size_ = 0;
  std::string head_;  // the PDF's first bytes, until "%PDF-" has been looked for
  bool checked_magic_ = false;
  std::optional<std::string> metadata_;
};

}  // namespace evidence::server
