#include "evsim/net/client_connect.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <string>

#include "evsim/net/http_exchange.hpp"

namespace evsim::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

void run_step(asio::io_context& io, const boost::system::error_code& error, const char* stage,
              std::chrono::milliseconds timeout) {
    io.restart();
    io.run();
    if (!error) return;
    throw HttpExchangeError(stage, error == beast::error::timeout
                                       ? "no answer within " + std::to_string(timeout.count()) + " ms"
                                       : error.message());
}

ClientConnection connect_client(asio::io_context& io, const Endpoint& server, const ClientTlsOptions& tls,
                                std::chrono::milliseconds timeout) {
    boost::system::error_code error;
    tcp::resolver resolver(io);
    const auto addresses = resolver.resolve(server.host, std::to_string(server.port), error);
    if (error) throw HttpExchangeError("resolve", error.message());
    beast::tcp_stream connection(io);
    connection.expires_after(timeout);
    connection.async_connect(addresses, [&](const beast::error_code& e, const tcp::endpoint&) { error = e; });
    run_step(io, error, "connect to", timeout);

    ClientConnection client;
    if (!server.tls()) {
        client.stream.emplace(std::move(connection));
        return client;
    }
    client.tls_context = std::make_unique<asio::ssl::context>(make_client_tls_context(tls));
    client.stream.emplace(std::move(connection), *client.tls_context);
    prepare_client_handshake(client.stream->tls()->native_handle(), server.host, tls.verify_peer);
    client.stream->tcp().expires_after(timeout);
    client.stream->tls()->async_handshake(asio::ssl::stream_base::client,
                                          [&](const beast::error_code& e) { error = e; });
    run_step(io, error, "handshake with", timeout);
    return client;
}

}  // namespace evsim::net
