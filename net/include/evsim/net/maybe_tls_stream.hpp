// A TCP connection that is either plain or wrapped in TLS, decided when it is accepted, with one
// type for both: the HTTP, SSE and WebSocket sessions are written once against it instead of once
// per transport (or as templates instantiated twice). Each asynchronous operation dispatches on
// the variant and hands the caller's own completion handler to the chosen stream, so nothing is
// type-erased or allocated on the way.
//
// It is an AsyncReadStream and AsyncWriteStream (Beast's http::async_read and async_write,
// asio::async_write and websocket::stream<MaybeTlsStream> accept it); the free functions at the
// end are the customization points Beast's WebSocket stream looks up for closing and tearing down
// its next layer.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <utility>
#include <variant>

namespace evsim::net {

class MaybeTlsStream {
public:
    using Plain = boost::beast::tcp_stream;
    using Tls = boost::beast::ssl_stream<boost::beast::tcp_stream>;
    using executor_type = Plain::executor_type;

    explicit MaybeTlsStream(Plain plain) : stream_(std::in_place_type<Plain>, std::move(plain)) {}
    // TLS over `plain`; the server or client handshake is the caller's first operation (tls()).
    MaybeTlsStream(Plain plain, boost::asio::ssl::context& context)
        : stream_(std::in_place_type<Tls>, std::move(plain), context) {}

    MaybeTlsStream(MaybeTlsStream&&) = default;
    MaybeTlsStream& operator=(MaybeTlsStream&&) = default;

    bool is_tls() const noexcept { return std::holds_alternative<Tls>(stream_); }
    // Null for a plain connection.
    Tls* tls() noexcept { return std::get_if<Tls>(&stream_); }

    // The TCP layer under either: timeouts (expires_after), socket options, shutdown, close.
    Plain& tcp() noexcept;
    boost::asio::ip::tcp::socket& socket() noexcept { return tcp().socket(); }

    executor_type get_executor() noexcept { return tcp().get_executor(); }

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const MutableBuffers& to) {
                std::visit([&](auto& stream) { stream.async_read_some(to, std::move(handler)); }, stream_);
            },
            token, buffers);
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
            [this](auto handler, const ConstBuffers& from) {
                std::visit([&](auto& stream) { stream.async_write_some(from, std::move(handler)); }, stream_);
            },
            token, buffers);
    }

    // For the WebSocket teardown below.
    template <class Function>
    decltype(auto) visit(Function&& function) {
        return std::visit(std::forward<Function>(function), stream_);
    }

private:
    std::variant<Plain, Tls> stream_;
};

// Closes the TCP socket at once (Beast's websocket::stream calls this on a timeout or failure).
void beast_close_socket(MaybeTlsStream& stream);

// The WebSocket closing handshake's last step: TLS close_notify (for TLS), then the TCP shutdown.
void teardown(boost::beast::role_type role, MaybeTlsStream& stream, boost::system::error_code& error);

template <class Handler>
void async_teardown(boost::beast::role_type role, MaybeTlsStream& stream, Handler&& handler) {
    stream.visit([&](auto& next) {
        using boost::beast::websocket::async_teardown;
        async_teardown(role, next, std::forward<Handler>(handler));
    });
}

}  // namespace evsim::net
