#include "evsim/net/maybe_tls_stream.hpp"

#include <boost/beast/websocket/teardown.hpp>

namespace evsim::net {

MaybeTlsStream::Plain& MaybeTlsStream::tcp() noexcept {
    if (auto* tls = std::get_if<Tls>(&stream_)) return tls->next_layer();
    return *std::get_if<Plain>(&stream_);
}

void beast_close_socket(MaybeTlsStream& stream) {
    boost::system::error_code ignored;
    stream.socket().close(ignored);
}

void teardown(boost::beast::role_type role, MaybeTlsStream& stream, boost::system::error_code& error) {
    stream.visit([&](auto& next) {
        using boost::beast::websocket::teardown;
        teardown(role, next, error);
    });
}

}  // namespace evsim::net
