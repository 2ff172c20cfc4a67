#include "thesaurus_source.hpp"

#include <fstream>
#include <sstream>

namespace evidence::server {

ThesaurusSource::ThesaurusSource(std::filesystem::path path)
    : path_(std::move(path)), thesaurus_(std::make_shared<core::Thesaurus>()) {
  std::lock_guard lock(mutex_);
  load_if_changed();
}

void ThesaurusSource::load_if_changed() {
  last_check_ = std::chrono::steady_clock::now();
  if (path_.empty()) return;
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(path_, ec);
  if (ec) {
    error_ = "cannot read " + path_.string() + ": " + ec.message();
    return;
  }
  if (mtime == loaded_mtime_ && error_.empty()) return;
  std::ifstream in(path_, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = core::Thesaurus::from_json(text.str());
  loaded_mtime_ = mtime;
  if (!parsed) {
    error_ = path_.string() + ": " + parsed.error().message;
    return;
  }
  thesaurus_ = std::make_shared<const core::Thesaurus>(std::move(parsed).value());
  error_.clear();
}

std::shared_ptr<const core::Thesaurus> ThesaurusSource::current() {
  std::lock_guard lock(mutex_);
  if (std::chrono::steady_clock::now() - last_check_ >= std::chrono::seconds(1)) load_if_changed();
  return thesaurus_;
}

std::string ThesaurusSource::error() {
  std::lock_guard lock(mutex_);
  return error_;
}

}  // namespace evidence::server
