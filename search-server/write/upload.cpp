#include "upload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "durable_file.hpp"
#include "text.hpp"

namespace evidence::server {

namespace fs = std::filesystem;
using core::Error;
using core::ErrorCode;
using core::Status;

namespace {

// A PDF says so in its first kilobyte (the indexer's corpus scan uses the same rule).
constexpr std::size_t kMagicWindow = 1024;

std::string random_name() {
  std::random_device device;
  std::uniform_int_distribution<unsigned> byte(0, 255);
  std::string bytes;
  for (int i = 0; i < 12; ++i) bytes += static_cast<char>(byte(device));
  return "upload-" + core::to_hex(bytes) + ".pdf.part";
}

}  // namespace

TemporaryFile::~TemporaryFile() {
  if (!path_.empty()) {
    std::error_code ec;
    fs::remove(path_, ec);
  }
}

TemporaryFile& TemporaryFile::operator=(TemporaryFile&& other) noexcept {
  if (this != &other) {
    if (!path_.empty()) {
      std::error_code ec;
      fs::remove(path_, ec);
    }
    path_ = std::exchange(other.path_, {});
  }
  return *this;
}

fs::path incoming_folder(const fs::path& corpus) { return corpus / ".incoming"; }

void clear_incoming(const fs::path& corpus) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(incoming_folder(corpus), ec)) {
    if (entry.path().filename().string().starts_with("upload-")) fs::remove(entry.path(), ec);
  }
}

core::Result<std::unique_ptr<UploadReceiver>> UploadReceiver::create(const fs::path& corpus, std::string boundary,
                                                                     std::uint64_t max_pdf_bytes) {
  fs::path folder = incoming_folder(corpus);
  std::error_code ec;
  fs::create_directories(folder, ec);
  fs::path path = folder / random_name();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) {
    return Error{ErrorCode::kIo, "cannot store the upload in " + folder.string() + ": " + std::strerror(errno)};
  }
  return std::unique_ptr<UploadReceiver>(
      new UploadReceiver(std::move(boundary), max_pdf_bytes, TemporaryFile(path), fd));
}

UploadReceiver::UploadReceiver(std::string boundary, std::uint64_t max_pdf_bytes, TemporaryFile file, int fd)
    : parser_(std::move(boundary)), max_pdf_bytes_(max_pdf_bytes), file_(std::move(file)), fd_(fd) {}

UploadReceiver::~UploadReceiver() {
  if (fd_ >= 0) ::close(fd_);
}

Status UploadReceiver::feed(std::string_view bytes) {
  Status status = parser_.feed(bytes, *this);
  if (!status && !error) error = status.error();
  return status;
}

Status UploadReceiver::begin_part(const PartHeaders& headers) {
  if (headers.name == "file") {
    if (have_file_) return Error{ErrorCode::kInvalidArgument, "the upload has two 'file' parts; send one PDF"};
    have_file_ = true;
    current_ = Part::kFile;
    file_name_ = headers.filename.value_or("");
    return {};
  }
  if (headers.name == "metadata") {
    if (metadata_) return Error{ErrorCode::kInvalidArgument, "the upload has two 'metadata' parts"};
    metadata_.emplace();
    current_ = Part::kMetadata;
    return {};
  }
  return Error{ErrorCode::kInvalidArgument,
               "unknown part '" + headers.name + "': an upload has a 'file' part (the PDF) and a 'metadata' part (JSON)"};
}

Error upload_too_large(std::uint64_t max_pdf_bytes) {
  return Error{ErrorCode::kTooLarge, "the PDF is larger than the upload limit of " +
                                         std::to_string(max_pdf_bytes / (1024 * 1024)) + " MiB"};
}

Status UploadReceiver::write_pdf(std::string_view bytes) {
  size_ += bytes.size();
  if (size_ > max_pdf_bytes_) return upload_too_large(max_pdf_bytes_);
  digest_.update(bytes);
  return core::write_all(fd_, bytes, file_.path());
}

Status UploadReceiver::part_data(std::string_view bytes) {
  if (current_ == Part::kMetadata) {
    if (metadata_->size() + bytes.size() > kMaxMetadataBytes) {
      return Error{ErrorCode::kTooLarge, "the metadata part is larger than 1 MiB"};
    }
    metadata_->append(bytes);
    return {};
  }
  if (!checked_magic_) {
    // Refuse what is not a PDF as soon as its first kilobyte is in, not after 200 MB.
    head_.append(bytes.substr(0, kMagicWindow - std::min(kMagicWindow, head_.size())));
    if (head_.find("%PDF-") != std::string::npos) {
      checked_magic_ = true;
      head_.clear();
    } else if (head_.size() >= kMagicWindow) {
      return Error{ErrorCode::kNotPdf, "the file is not a PDF (no %PDF- header in its first kilobyte)"};
    }
  }
  return write_pdf(bytes);
}

Status UploadReceiver::end_part() {
  if (current_ == Part::kFile && !checked_magic_) {
    if (size_ == 0) return Error{ErrorCode::kEmptyFile, "the file part is empty (0 bytes)"};
    return Error{ErrorCode::kNotPdf, "the file is not a PDF (no %PDF- header)"};
  }
  current_ = Part::kNone;
  return {};
}

core::Result<Upload> UploadReceiver::finish() {
  if (error) return *error;
  if (Status done = parser_.finish(); !done) return done.error();
  if (!have_file_) return Error{ErrorCode::kInvalidArgument, "the upload has no 'file' part (the PDF)"};
  if (::fsync(fd_) != 0) return Error{ErrorCode::kIo, std::string("cannot store the upload: ") + std::strerror(errno)};
  ::close(fd_);
  fd_ = -1;
  Upload upload;
  upload.pdf = std::move(file_);
  upload.file_name = file_name_;
  upload.sha256 = digest_.hex();
  upload.size = size_;
  upload.metadata = std::move(metadata_);
  return upload;
}

}  // namespace evidence::server
