// A WebSocket subscriber: TCP connect, the upgrade, then every message counted as one event.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <memory>
#include <string>

#include "subscriber.hpp"

namespace evsim::bench::fanout {

class WsSubscriber final : public Subscriber, public std::enable_shared_from_this<WsSubscriber> {
public:
    WsSubscriber(boost::asio::io_context& io, const Target& target, Tally& tally);

    void start() override;
    void stop() override;

private:
    void on_connect(const boost::system::error_code& error);
    void on_handshake(const boost::system::error_code& error);
    void read();
    void fail(Stage stage, const std::string& what);

    const Target& target_;
    Tally& tally_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    bool stopped_ = false;
};

}  // namespace evsim::bench::fanout
