// Producers over TLS (https, wss): the given certificate or a self-signed one, SSE / WebSocket /
// fetch wire output through a real TLS client, and what happens to clients that do not speak TLS,
// never finish the handshake or refuse the certificate.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/asio/co_spawn.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <string>

#include "evsim/net/client_connect.hpp"
#include "evsim/net/tls.hpp"
#include "evsim/net/ws_client.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using namespace std::chrono_literals;
using scenario::ProducerType;

// Made once: key generation is the slow part of these tests.
const net::ServerCertificate& test_certificate() {
    static const net::ServerCertificate certificate = net::make_self_signed_certificate("localhost");
    return certificate;
}

// A client context that trusts exactly `certificate` (and checks the host name), or trusts nothing
// and verifies nothing.
ssl::context client_context(const net::ServerCertificate* trusted) {
    ssl::context context(ssl::context::tls_client);
    if (trusted) {
        context.add_certificate_authority(asio::buffer(trusted->certificate_pem));
        context.set_verify_mode(ssl::verify_peer);
    } else {
        context.set_verify_mode(ssl::verify_none);
    }
    return context;
}

// Drives `stream`'s io_context until the operation `start` begins completes, or fails the wait
// after the test timeout (closing the socket so nothing stays pending).
class Driver {
public:
    template <class Start, class Close>
    beast::error_code run(Start start, Close close) {
        std::optional<beast::error_code> result;
        start([&result](const beast::error_code& error, auto&&...) { result = error; });
        io.restart();
        const auto deadline = std::chrono::steady_clock::now() + test::timeout;
        while (!result && std::chrono::steady_clock::now() < deadline) io.run_one_until(deadline);
        if (result) return *result;
        close();
        io.restart();
        io.run_for(100ms);
        return asio::error::timed_out;
    }

    asio::io_context io;
};

// A TLS connection to 127.0.0.1:port, verified as "localhost" when the context verifies.
class TlsClient {
public:
    TlsClient(std::uint16_t port, ssl::context& context) : stream_(driver_.io, context) {
        connect_error_ = driver_.run(
            [&](auto handler) {
                beast::get_lowest_layer(stream_).async_connect(
                    tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), std::move(handler));
            },
            [&] { beast::get_lowest_layer(stream_).close(); });
    }

    beast::error_code handshake() {
        if (connect_error_) return connect_error_;
        // Verify as the context says (prepare_client_handshake sets the mode per connection).
        const bool verify = SSL_get_verify_mode(stream_.native_handle()) != SSL_VERIFY_NONE;
        net::prepare_client_handshake(stream_.native_handle(), "localhost", verify);
        return driver_.run([&](auto handler) { stream_.async_handshake(ssl::stream_base::client, std::move(handler)); },
                           [&] { beast::get_lowest_layer(stream_).close(); });
    }

    void send(const std::string& bytes) {
        const auto error = driver_.run(
            [&](auto handler) { asio::async_write(stream_, asio::buffer(bytes), std::move(handler)); },
            [&] { beast::get_lowest_layer(stream_).close(); });
        ASSERT_FALSE(error) << error.message();
    }

    // Reads until `done(received)`, the server closes or the test timeout passes.
    std::string read_until(const std::function<bool(const std::string&)>& done) {
        std::string received;
        const auto deadline = std::chrono::steady_clock::now() + test::timeout;
        while (!done(received) && std::chrono::steady_clock::now() < deadline) {
            std::array<char, 4096> chunk{};
            std::size_t got = 0;
            const auto error = driver_.run(
                [&](auto handler) {
                    stream_.async_read_some(asio::buffer(chunk), [&got, handler](const beast::error_code& e,
                                                                                  std::size_t n) mutable {
                        got = n;
                        handler(e);
                    });
                },
                [&] { beast::get_lowest_layer(stream_).close(); });
            received.append(chunk.data(), got);
            if (error) break;
        }
        return received;
    }

    beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
    Driver& driver() { return driver_; }

private:
    Driver driver_;
    beast::ssl_stream<beast::tcp_stream> stream_;
    beast::error_code connect_error_;
};

ProducerSetOptions tls_options(test::LogCapture& log) {
    auto options = test::set_options(log);
    options.tls = std::make_shared<ssl::context>(net::make_server_tls_context(test_certificate()));
    return options;
}

scenario::ProducerSpec tls_spec(std::string name, ProducerType type) {
    auto spec = test::make_spec(std::move(name), type);
    spec.tls = true;
    spec.cadence = cadence::FixedInterval{50ms};
    return spec;
}

bool has_events(const std::string& received, std::size_t count) {
    std::size_t found = 0;
    for (auto at = received.find("data: "); at != std::string::npos; at = received.find("data: ", at + 1)) ++found;
    return found >= count;
}

TEST(TlsTest, SseStreamsOverTlsWithTheGivenCertificate) {
    test::LogCapture log;
    auto spec = tls_spec("events", ProducerType::sse);
    spec.events = {"temperature_sse"};
    test::RunningSet running(test::make_scenario({spec}), tls_options(log));
    EXPECT_FALSE(running.set().self_signed_tls());
    EXPECT_EQ(running.set().urls().front().url, "https://127.0.0.1:" + std::to_string(running.port("events")));

    auto context = client_context(&test_certificate());  // verifies the chain and "localhost"
    TlsClient client(running.port("events"), context);
    ASSERT_FALSE(client.handshake());
    client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const auto received = client.read_until([](const std::string& r) { return has_events(r, 2); });
    EXPECT_EQ(received.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << received;
    EXPECT_NE(received.find("Content-Type: text/event-stream\r\n"), std::string::npos);
    EXPECT_NE(received.find("\r\n\r\nevent: temperature_sse\ndata: "), std::string::npos) << received;
    EXPECT_TRUE(has_events(received, 2)) << received;
}

TEST(TlsTest, WebSocketOverTls) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({tls_spec("socket", ProducerType::ws)}), tls_options(log));
    const auto url = "wss://127.0.0.1:" + std::to_string(running.port("socket"));
    EXPECT_EQ(running.set().urls().front().url, url);

    // evsim's own client over TLS (the WebSocket framing is checked against Beast's client in
    // ws_test.cpp; here it is the TLS layer: handshake, records, close_notify on the way out).
    asio::io_context io;
    net::ClientTlsOptions tls;
    tls.verify_peer = false;
    const auto endpoint = net::parse_url(url + "/");
    auto connection = net::connect_client(io, endpoint, tls, test::timeout);
    ASSERT_TRUE(connection.stream);
    net::WsClient ws(std::move(*connection.stream));
    std::vector<std::string> values;
    net::WsEnd first_end = net::WsEnd::network;
    net::WsEnd close_end = net::WsEnd::network;
    net::WsHandshakeResult handshake;
    bool close_sent = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            handshake = co_await ws.handshake(endpoint, {}, test::timeout);
            if (!handshake.ok) co_return;
            net::WsReadEvents events;
            events.message = [&](ws::Opcode, std::string_view payload) { values.emplace_back(payload); };
            events.stop = [&] { return values.size() >= 2; };
            first_end = co_await ws.read(events);
            // A polite close goes through the server's TLS teardown.
            close_sent = co_await ws.send(ws::Opcode::close, ws::close_payload(ws::close_code::normal));
            close_end = co_await ws.read({});
        },
        [](const std::exception_ptr& e) {
            if (e) std::rethrow_exception(e);
        });
    io.restart();  // connect_client ran it to completion
    io.run_for(test::timeout);
    ASSERT_TRUE(handshake.ok) << handshake.reason << " " << handshake.status;
    EXPECT_EQ(first_end, net::WsEnd::stopped);
    ASSERT_GE(values.size(), 2U);
    for (const auto& value : values) EXPECT_TRUE(test::is_sample_value(value)) << value;
    EXPECT_TRUE(close_sent);
    EXPECT_EQ(close_end, net::WsEnd::closed);
    EXPECT_EQ(ws.peer_close_code(), ws::close_code::normal);
    EXPECT_TRUE(running.eventually([](ProducerSet& set) { return set.find("socket")->clients() == 0; }));
}

TEST(TlsTest, FetchOverTlsKeepsTheConnectionAlive) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({tls_spec("poll", ProducerType::fetch)}), tls_options(log));
    auto context = client_context(&test_certificate());
    TlsClient client(running.port("poll"), context);
    ASSERT_FALSE(client.handshake());
    for (int i = 0; i < 2; ++i) {  // two requests on one TLS connection
        client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        const auto response = client.read_until([](const std::string& r) {
            const auto end = r.find("\r\n\r\n");
            return end != std::string::npos && r.size() > end + 4;
        });
        EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0U) << response;
        EXPECT_NE(response.find("Access-Control-Allow-Origin: *"), std::string::npos);
    }
}

TEST(TlsTest, SelfSignedCertificateWhenNoneIsGiven) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({tls_spec("events", ProducerType::sse)}), test::set_options(log));
    EXPECT_TRUE(running.set().self_signed_tls());

    auto trusting_nothing = client_context(nullptr);
    TlsClient unverified(running.port("events"), trusting_nothing);
    EXPECT_FALSE(unverified.handshake());

    // A client that verifies refuses it (and the server logs the failed handshake).
    ssl::context verifying(ssl::context::tls_client);
    verifying.set_verify_mode(ssl::verify_peer);
    TlsClient refusing(running.port("events"), verifying);
    EXPECT_TRUE(refusing.handshake());
    EXPECT_TRUE(log.wait_for("TLS handshake failed"));
}

TEST(TlsTest, PlainHttpOnATlsPortIsClosedAndOthersAreUnaffected) {
    test::LogCapture log;
    test::RunningSet running(test::make_scenario({tls_spec("events", ProducerType::sse)}), tls_options(log));
    test::Client plain(running.port("events"));
    plain.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_TRUE(plain.wait_closed());
    EXPECT_TRUE(log.wait_for("TLS handshake failed"));

    auto context = client_context(&test_certificate());
    TlsClient client(running.port("events"), context);
    ASSERT_FALSE(client.handshake());
    client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_TRUE(has_events(client.read_until([](const std::string& r) { return has_events(r, 1); }), 1));
}

TEST(TlsTest, ClientThatNeverHandshakesIsClosedAfterTheHeaderTimeout) {
    test::LogCapture log;
    auto options = tls_options(log);
    options.http.header_timeout = 200ms;
    test::RunningSet running(test::make_scenario({tls_spec("events", ProducerType::sse)}), options);
    test::Client silent(running.port("events"));
    EXPECT_TRUE(silent.wait_closed());
    EXPECT_TRUE(log.wait_for("no TLS handshake within 200 ms"));
}

TEST(TlsTest, CertificateFilesFromTheScenario) {
    test::TempDir dir;
    const auto write = [&](const char* name, const std::string& text) {
        std::ofstream(dir.path() / name) << text;
        return (dir.path() / name).string();
    };
    auto scenario = test::make_scenario({tls_spec("events", ProducerType::sse)});
    scenario.tls = scenario::TlsFiles{write("cert.pem", test_certificate().certificate_pem),
                                      write("key.pem", test_certificate().private_key_pem)};
    test::LogCapture log;
    test::RunningSet running(scenario, test::set_options(log));
    EXPECT_FALSE(running.set().self_signed_tls());
    auto context = client_context(&test_certificate());
    TlsClient client(running.port("events"), context);
    EXPECT_FALSE(client.handshake());
}

TEST(TlsTest, UnusableCertificateFilesAreNamedInTheError) {
    test::TempDir dir;
    boost::asio::io_context io;
    test::LogCapture log;
    auto scenario = test::make_scenario({tls_spec("events", ProducerType::sse)});
    const auto missing = (dir.path() / "missing.pem").string();
    scenario.tls = scenario::TlsFiles{missing, missing};
    try {
        ProducerSet set(io, scenario, test::set_options(log));
        FAIL() << "a missing certificate was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("cannot load TLS certificate '" + missing + "'"), std::string::npos)
            << e.what();
    }

    // A key that belongs to another certificate.
    const auto other = net::make_self_signed_certificate("localhost");
    std::ofstream(dir.path() / "cert.pem") << test_certificate().certificate_pem;
    std::ofstream(dir.path() / "key.pem") << other.private_key_pem;
    scenario.tls = scenario::TlsFiles{(dir.path() / "cert.pem").string(), (dir.path() / "key.pem").string()};
    try {
        ProducerSet set(io, scenario, test::set_options(log));
        FAIL() << "a mismatched key was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("does not match"), std::string::npos) << e.what();
    }
}

TEST(TlsTest, ProducersSharingAnAddressMustAgreeOnTls) {
    boost::asio::io_context io;
    test::LogCapture log;
    // A fixed port is only reserved here, never bound: construction fails before binding.
    auto secure = tls_spec("secure", ProducerType::sse);
    auto plain = test::make_spec("plain", ProducerType::fetch);
    secure.port = plain.port = 1;
    secure.paths = {"/events"};
    plain.paths = {"/poll"};
    EXPECT_THROW(ProducerSet(io, test::make_scenario({secure, plain}), test::set_options(log)), std::invalid_argument);
}

}  // namespace
}  // namespace evsim::producers
