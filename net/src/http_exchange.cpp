#include "evsim/net/http_exchange.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <algorithm>
#include <cctype>

#include "evsim/net/client_connect.hpp"

namespace evsim::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint64_t max_body = 1U << 20U;

bool same_name(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

}  // namespace

const std::string* find_header(const HeaderList& headers, std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (same_name(key, name)) return &value;
    }
    return nullptr;
}

HttpAnswer http_exchange(const Endpoint& server, const HttpQuestion& question, std::chrono::milliseconds timeout) {
    // Asynchronous operations run to completion one at a time: beast::tcp_stream only times out
    // asynchronous ones, and a deadline is the point.
    asio::io_context io;
    beast::error_code error;
    auto client = connect_client(io, server, question.tls, timeout);
    auto& stream = client.stream;

    http::request<http::string_body> request{http::string_to_verb(question.method),
                                             question.target.empty() ? server.target : question.target, 11};
    if (request.method() == http::verb::unknown) request.method_string(question.method);
    request.set(http::field::host, server.host_header());
    request.set(http::field::user_agent, question.user_agent);
    for (const auto& [name, value] : question.headers) request.set(name, value);
    request.body() = question.body;
    request.keep_alive(false);
    request.prepare_payload();
    stream->tcp().expires_after(timeout);
    http::async_write(*stream, request, [&](const beast::error_code& e, std::size_t) { error = e; });
    run_step(io, error, "send to", timeout);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_body);
    stream->tcp().expires_after(timeout);
    http::async_read(*stream, buffer, parser, [&](const beast::error_code& e, std::size_t) { error = e; });
    run_step(io, error, "read an answer from", timeout);

    const auto& response = parser.get();
    HttpAnswer answer;
    answer.status = response.result_int();
    for (const auto& field : response) answer.headers.emplace_back(field.name_string(), field.value());
    answer.body = response.body();
    return answer;
}

}  // namespace evsim::net
