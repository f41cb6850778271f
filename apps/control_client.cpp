#include "control_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace evsim::app {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

ControlAnswer control_request(const net::Endpoint& base, const std::string& method, const std::string& target,
                              const std::string& json_body, std::chrono::milliseconds timeout) {
    const std::string where = base.scheme + "://" + base.host_header();  // as the user wrote it, without a path
    const auto fail = [&](const std::string& what, const beast::error_code& error) {
        const std::string reason = error == beast::error::timeout
                                       ? "no answer within " + std::to_string(timeout.count()) + " ms"
                                       : error.message();
        throw ControlUnreachable("cannot " + what + " the control API at " + where + ": " + reason);
    };
    // Asynchronous operations run to completion one at a time: beast::tcp_stream only times out
    // asynchronous ones, and a deadline is the point.
    asio::io_context io;
    beast::tcp_stream stream(io);
    beast::error_code error;
    tcp::resolver resolver(io);
    const auto addresses = resolver.resolve(base.host, std::to_string(base.port), error);
    if (error) fail("resolve", error);
    stream.expires_after(timeout);
    stream.async_connect(addresses, [&](const beast::error_code& e, const tcp::endpoint&) { error = e; });
    io.run();
    if (error) fail("connect to", error);

    http::request<http::string_body> request{http::string_to_verb(method), target, 11};
    request.set(http::field::host, base.host_header());
    request.set(http::field::user_agent, "evsim publish");
    if (!json_body.empty()) {
        request.set(http::field::content_type, "application/json");
        request.body() = json_body;
    }
    request.keep_alive(false);
    request.prepare_payload();
    stream.expires_after(timeout);
    http::async_write(stream, request, [&](const beast::error_code& e, std::size_t) { error = e; });
    io.restart();
    io.run();
    if (error) fail("send to", error);

    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    stream.expires_after(timeout);
    http::async_read(stream, buffer, response, [&](const beast::error_code& e, std::size_t) { error = e; });
    io.restart();
    io.run();
    if (error) fail("read an answer from", error);
    return {response.result_int(), response.body()};
}

}  // namespace evsim::app
