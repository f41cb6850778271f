#include "stream_capture.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <array>
#include <optional>

#include "evsim/net/client_connect.hpp"

namespace evsim::conformance::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

const std::string* Capture::header(std::string_view name) const { return net::find_header(headers, name); }

std::string Capture::body_bytes() const {
    std::string all;
    for (const auto& piece : body) all += piece.bytes;
    return all;
}

Capture capture_stream(const CaptureRequest& request) {
    asio::io_context io;
    beast::error_code error;
    const auto& server = request.endpoint;
    auto client = net::connect_client(io, server, request.tls, request.timeout);
    auto& stream = client.stream;

    http::request<http::empty_body> get{http::verb::get, server.target, 11};
    get.set(http::field::host, server.host_header());
    get.set(http::field::user_agent, "evsim check");
    for (const auto& [name, value] : request.headers) get.set(name, value);
    stream->tcp().expires_after(request.timeout);
    http::async_write(*stream, get, [&](const beast::error_code& e, std::size_t) { error = e; });
    net::run_step(io, error, "send to", request.timeout);
    const auto sent = Clock::now();
    const auto since_sent = [&] { return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent); };

    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);  // an event stream has no end; max_body_bytes bounds what is kept
    stream->tcp().expires_after(request.timeout);
    http::async_read_header(*stream, buffer, parser, [&](const beast::error_code& e, std::size_t) { error = e; });
    net::run_step(io, error, "read an answer from", request.timeout);

    Capture capture;
    capture.head_after = since_sent();
    capture.status = parser.get().result_int();
    for (const auto& field : parser.get()) capture.headers.emplace_back(field.name_string(), field.value());

    // The body, piece by piece, until the observation time is over, the server closes or enough
    // was kept.
    stream->tcp().expires_at(sent + request.observe);
    std::size_t kept = 0;
    std::array<char, 16 * 1024> chunk{};
    while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        io.restart();
        http::async_read_some(*stream, buffer, parser, [&](const beast::error_code& e, std::size_t) { error = e; });
        io.run();
        const std::size_t got = chunk.size() - parser.get().body().size;
        if (got > 0) {
            capture.body.push_back({since_sent(), std::string(chunk.data(), got)});
            kept += got;
        }
        if (error == http::error::need_buffer) error = {};
        if (error == beast::error::timeout) {
            capture.end = Capture::End::observed;
            return capture;
        }
        if (error == http::error::end_of_stream || error == http::error::partial_message ||
            error == asio::error::eof) {
            capture.end = Capture::End::closed;
            return capture;
        }
        if (error) {
            capture.end = Capture::End::error;
            capture.error = error.message();
            return capture;
        }
        if (kept >= request.max_body_bytes) {
            capture.end = Capture::End::limit;
            return capture;
        }
    }
    capture.end = Capture::End::closed;
    return capture;
}

}  // namespace evsim::conformance::detail
