#pragma once
// A Boost.Beast body that streams a byte range of an open file (an ApiResponse's
// FileBody), 64 KiB at a time with pread: a large PDF is never read into memory whole,
// and the range needs no seek (Beast 1.74's file_body always starts at the file's
// beginning).

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include "../api/http_types.hpp"

namespace evidence::server {

struct FileRangeBody {
  using value_type = FileBody;

  /// The Content-Length Beast announces.
  static std::uint64_t size(const value_type& body) { return body.length; }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body) : body_(body) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      std::uint64_t remaining = body_.length - sent_;
      ec = {};
      if (remaining == 0) return boost::none;
      auto amount = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, buffer_.size()));
      ssize_t read = 0;
      do {
        read = ::pread(body_.file->fd(), buffer_.data(), amount, static_cast<off_t>(body_.offset + sent_));
      } while (read < 0 && errno == EINTR);
      if (read < 0) {
        ec = boost::beast::error_code(errno, boost::system::system_category());
        return boost::none;
      }
      if (read == 0) {  // the file became shorter while it was sent
        ec = boost::beast::http::error::short_read;
        return boost::none;
      }
      sent_ += static_cast<std::uint64_t>(read);
      return {{const_buffers_type(buffer_.data(), static_cast<std::size_t>(read)), sent_ < body_.length}};
    }

   private:
    const value_type& body_;
    std::uint64_t sent_ = 0;
    std::array<char, 64 * 1024> buffer_{};
  };
};

}  // namespace evidence::server
