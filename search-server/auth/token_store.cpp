#include "token_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "durable_file.hpp"
#include "metadata.hpp"
#include "sha256.hpp"

namespace evidence::server {
namespace {

using core::Error;
using core::ErrorCode;
using core::Result;
using core::Status;

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kHexDigestSize = 64;

std::string errno_message(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

// RFC 4648 section 5, without padding.
std::string base64url(const unsigned char* bytes, std::size_t size) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned int buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8U) | bytes[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(buffer >> static_cast<unsigned>(bits)) & 63U];
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << static_cast<unsigned>(6 - bits)) & 63U];
  return out;
}

Result<std::string> random_token() {
  unsigned char bytes[kTokenBytes];
  if (RAND_bytes(bytes, static_cast<int>(kTokenBytes)) != 1) {
    return Error{ErrorCode::kInternal, "the system random number generator failed"};
  }
  std::string token = std::string(kTokenPrefix) + base64url(bytes, kTokenBytes);
  OPENSSL_cleanse(bytes, kTokenBytes);
  return token;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-' || c == '@';
    if (!ok) return false;
  }
  return true;
}

bool valid_digest(const std::string& hex) {
  return hex.size() == kHexDigestSize && hex.find_first_not_of("0123456789abcdef") == std::string::npos;
}

Result<TokenInfo> token_from_json(const nlohmann::json& entry) {
  if (!entry.is_object()) return Error{ErrorCode::kInvalidArgument, "a token entry is not an object"};
  TokenInfo info;
  auto text = [&](const char* key) {
    auto it = entry.find(key);
    return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  info.name = text("name");
  info.created = text("created");
  info.sha256 = text("sha256");
  auto role = role_from_name(text("role"));
  if (!valid_name(info.name)) return Error{ErrorCode::kInvalidArgument, "a token entry has no valid name"};
  if (!role) return Error{ErrorCode::kInvalidArgument, "token " + info.name + " has no valid role"};
  if (!valid_digest(info.sha256)) return Error{ErrorCode::kInvalidArgument, "token " + info.name + " has no valid sha256"};
  info.role = *role;
  // Files written before tokens had groups have none.
  if (auto groups = entry.find("groups"); groups != entry.end()) {
    if (!groups->is_array())
      return Error{ErrorCode::kInvalidArgument, "token " + info.name + " has no valid groups"};
    for (const auto& group : *groups) {
      if (!group.is_string() || !core::is_valid_group_name(group.get_ref<const std::string&>())) {
        return Error{ErrorCode::kInvalidArgument, "token " + info.name + " has no valid groups"};
      }
      info.groups.push_back(group.get<std::string>());
    }
  }
  return info;
}

// Holds an exclusive flock on PATH.lock, so two `token add` runs cannot lose each other's
// token between reading and replacing the file.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path) {
    std::filesystem::path lock = path;
    lock += ".lock";
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      error_ = errno_message("cannot open", lock);
    } else if (::flock(fd_, LOCK_EX) != 0) {
      error_ = errno_message("cannot lock", lock);
    }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  std::string error_;
};

}  // namespace

const char* role_name(Role role) { return role == Role::kEditor ? "editor" : "reader"; }

std::optional<Role> role_from_name(std::string_view name) {
  if (name == "editor") return Role::kEditor;
  if (name == "reader") return Role::kReader;
  return std::nullopt;
}

std::string iso8601_utc(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char text[32];
  std::size_t size = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return std::string(text, size);
}

Result<std::vector<TokenInfo>> read_token_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return std::vector<TokenInfo>{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kIo, errno_message("cannot read", path)};
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  if (document.is_discarded() || !document.is_object() || !document.contains("tokens") ||
      !document["tokens"].is_array()) {
    return Error{ErrorCode::kInvalidArgument, path.string() + ": not a token file (a JSON object with \"tokens\")"};
  }
  std::vector<TokenInfo> tokens;
  for (const auto& entry : document["tokens"]) {
    auto info = token_from_json(entry);
    if (!info) return Error{ErrorCode::kInvalidArgument, path.string() + ": " + info.error().message};
    tokens.push_back(std::move(info).value());
  }
  return tokens;
}

Status write_token_file(const std::filesystem::path& path, const std::vector<TokenInfo>& tokens) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& token : tokens) {
    entries.push_back(
        {{"name", token.name}, {"role", role_name(token.role)}, {"created", token.created}, {"sha256", token.sha256}});
    if (!token.groups.empty()) entries.back()["groups"] = token.groups;
  }
  std::string bytes = nlohmann::json{{"version", 1}, {"tokens", entries}}.dump(2) + "\n";

  return core::replace_file(path, bytes, 0600);
}

TokenStore::TokenStore(TokenStoreOptions options)
    : options_(std::move(options)), tokens_(std::make_shared<const std::vector<TokenInfo>>()) {
  std::lock_guard lock(mutex_);
  load_if_changed();
}

void TokenStore::load_if_changed() {
  last_check_ = std::chrono::steady_clock::now();
  FileStamp stamp;
  struct stat info {};
  if (::stat(options_.path.c_str(), &info) == 0) {
    stamp = {true, static_cast<long long>(info.st_ino), static_cast<long long>(info.st_size),
             static_cast<long long>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec};
  }
  if (loaded_ && *loaded_ == stamp) return;
  auto tokens = read_token_file(options_.path);
  loaded_ = stamp;
  if (!tokens) {
    // Fail closed: a file that does not read lets no token in, rather than an old list
    // that may still hold a revoked token.
    tokens_ = std::make_shared<const std::vector<TokenInfo>>();
    error_ = tokens.error().message;
    return;
  }
  tokens_ = std::make_shared<const std::vector<TokenInfo>>(std::move(tokens).value());
  error_.clear();
}

Result<std::string> TokenStore::add(const std::string& name, Role role, std::vector<std::string> groups) {
  if (!valid_name(name)) {
    return Error{ErrorCode::kInvalidArgument,
                 "token name must be 1 to 64 letters, digits or . _ - @, not \"" + name + "\""};
  }
  for (const auto& group : groups) {
    if (!core::is_valid_group_name(group)) {
      return Error{
          ErrorCode::kInvalidArgument,
          "a group name must be 1 to 64 of a-z, 0-9 and '-', not starting with '-', not \"" + group + "\""};
    }
  }
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  FileLock file_lock(options_.path);
  if (!file_lock.error().empty()) return Error{ErrorCode::kIo, file_lock.error()};
  auto tokens = read_token_file(options_.path);
  if (!tokens) return tokens.error();
  for (const auto& token : *tokens) {
    if (token.name == name) return Error{ErrorCode::kInvalidArgument, "a token named " + name + " already exists"};
  }
  auto token = random_token();
  if (!token) return token.error();
  tokens->push_back({name, role, iso8601_utc(std::chrono::system_clock::now()), core::sha256_hex(*token),
                     std::move(groups)});
  if (Status saved = write_token_file(options_.path, *tokens); !saved) return saved.error();
  std::lock_guard lock(mutex_);
  load_if_changed();
  return token;
}

Status TokenStore::revoke(const std::string& name) {
  FileLock file_lock(options_.path);
  if (!file_lock.error().empty()) return Status{ErrorCode::kIo, file_lock.error()};
  auto tokens = read_token_file(options_.path);
  if (!tokens) return tokens.error();
  auto before = tokens->size();
  std::erase_if(*tokens, [&](const TokenInfo& token) { return token.name == name; });
  if (tokens->size() == before) return Status{ErrorCode::kNotFound, "no token named " + name};
  if (Status saved = write_token_file(options_.path, *tokens); !saved) return saved;
  std::lock_guard lock(mutex_);
  load_if_changed();
  return {};
}

Result<std::vector<TokenInfo>> TokenStore::list() const { return read_token_file(options_.path); }

Result<TokenIdentity> TokenStore::verify(std::string_view presented) {
  std::shared_ptr<const std::vector<TokenInfo>> tokens;
  bool broken = false;
  {
    std::lock_guard lock(mutex_);
    if (std::chrono::steady_clock::now() - last_check_ >= options_.check_interval) load_if_changed();
    tokens = tokens_;
    broken = !error_.empty();
  }
  if (broken) return Error{ErrorCode::kInternal, "tokens cannot be checked: the token file does not load"};
  if (presented.substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return Error{ErrorCode::kUnauthorized, "not an Evidence Library token"};
  }
  std::string digest = core::sha256_hex(presented);
  // Every entry is compared, with CRYPTO_memcmp, so the time taken says nothing about
  // which entry (or how much of one) matched.
  const TokenInfo* match = nullptr;
  for (const auto& token : *tokens) {
    bool equal = CRYPTO_memcmp(digest.data(), token.sha256.data(), kHexDigestSize) == 0;
    match = equal ? &token : match;
  }
  if (match == nullptr) return Error{ErrorCode::kUnauthorized, "unknown or revoked token"};
  return TokenIdentity{match->name, match->role, match->groups};
}

std::string TokenStore::error() {
  std::lock_guard lock(mutex_);
  return error_;
}

}  // namespace evidence::server
