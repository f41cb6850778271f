// An SSE subscriber: a plain HTTP GET, then the response body fed to evsim's own sse::Parser, one
// counted event per dispatched event. Beast's response parser removes the transfer framing, so the
// body may be close-delimited (evsim serve) or chunked (most servers) alike.
#pragma once

#include <array>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <memory>
#include <optional>

#include "evsim/core/sse_parser.hpp"
#include "subscriber.hpp"

namespace evsim::bench::fanout {

class SseSubscriber final : public Subscriber,
                            private sse::ParserHandler,
                            public std::enable_shared_from_this<SseSubscriber> {
public:
    SseSubscriber(boost::asio::io_context& io, const Target& target, Tally& tally);

    void start() override;
    void stop() override;

private:
    void on_event(const sse::Event& event) override;
    void on_connect(const boost::system::error_code& error);
    void on_header(const boost::system::error_code& error);
    void read_body();
    void on_body(const boost::system::error_code& error);
    void fail(Stage stage, const std::string& what);

    const Target& target_;
    Tally& tally_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;  // bounded: see the constructor
    std::optional<boost::beast::http::response_parser<boost::beast::http::buffer_body>> http_;
    std::array<char, 2048> body_{};  // body bytes of one read, handed straight to sse_
    sse::Parser sse_;
    bool stopped_ = false;
};

}  // namespace evsim::bench::fanout
