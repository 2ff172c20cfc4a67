#pragma once
// A Boost.Beast request body that hands the bytes of a streamed body (an upload) to a
// BodySink as they arrive: a 200 MB upload never sits in memory. Why a body was refused is
// the sink's to say; Beast only learns that it was.

#include <cstdint>
#include <memory>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include "../api/http_types.hpp"

namespace evidence::server {

struct StreamedBody {
  using value_type = std::shared_ptr<BodySink>;  // set before the body is read

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : sink_(body) {}

    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) {
      ec = sink_ ? boost::beast::error_code{}
                 : boost::beast::errc::make_error_code(boost::beast::errc::invalid_argument);
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      std::size_t taken = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers);
           it != boost::asio::buffer_sequence_end(buffers); ++it) {
        boost::asio::const_buffer buffer = *it;
        if (!sink_->take(std::string_view(static_cast<const char*>(buffer.data()), buffer.size()))) {
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
    value_type& sink_;
  };
};

}  // namespace evidence::server
