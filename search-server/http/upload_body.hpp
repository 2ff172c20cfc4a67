#pragma once
// A Boost.Beast request body that hands the bytes of an upload to an UploadReceiver as they
// arrive (multipart parsed on the fly, the PDF written straight to disk): a 200 MB upload
// never sits in memory. Why a body was refused is kept in the receiver; Beast only learns
// that it was.

#include <cstdint>
#include <memory>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include "../write/upload.hpp"

namespace evidence::server {

struct UploadBody {
  using value_type = std::shared_ptr<UploadReceiver>;  // set before the body is read

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : receiver_(body) {}

    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) {
      ec = receiver_ ? boost::beast::error_code{} : boost::beast::errc::make_error_code(boost::beast::errc::invalid_argument);
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      std::size_t taken = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers); ++it) {
        boost::asio::const_buffer buffer = *it;
        if (!receiver_->feed(std::string_view(static_cast<const char*>(buffer.data()), buffer.size()))) {
          ec = boost::beast::errc::make_error_code(boost::beast::errc::invalid_argument);
          return taken;
        }
        taken += buffer.size();
      }
      ec = {};
      return taken;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& receiver_;
  };
};

}  // namespace evidence::server
