// https event streams: certificate verification on by default, a CA file, and --insecure.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <future>

#include "client_test_support.hpp"
#include "evsim/net/tls.hpp"

namespace evsim::loadgen::testing {
namespace {
namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// Accepts TLS connections on 127.0.0.1:0 and answers every request with one event, then hangs.
class TlsEventServer {
public:
    // `close_after_event`: drop the TCP connection after the event without a TLS close_notify, as a
    // server ending a close-delimited event stream (or dying) does.
    TlsEventServer(asio::io_context& io, const net::ServerCertificate& cert, bool close_after_event = false)
        : tls_(net::make_server_tls_context(cert)),
          acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          close_after_event_(close_after_event) {
        asio::co_spawn(io, accept_loop(), asio::detached);
    }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/"; }
    ~TlsEventServer() { stop(); }
    // Synchronous: once it returns, the io thread no longer touches this object's acceptor.
    void stop() {
        std::promise<void> done;
        asio::post(acceptor_.get_executor(), [this, &done] {
            boost::system::error_code ignored;
            acceptor_.close(ignored);
            done.set_value();
        });
        done.get_future().wait();
    }

private:
    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) co_return;
            asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
        }
    }
    asio::awaitable<void> serve(tcp::socket socket) {
        auto stream = std::make_shared<asio::ssl::stream<tcp::socket>>(std::move(socket), tls_);
        auto [hs] = co_await stream->async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
        if (hs) co_return;
        boost::beast::flat_buffer buffer;
        http::request<http::empty_body> request;
        auto [rd, n] = co_await http::async_read(*stream, buffer, request, asio::as_tuple(asio::use_awaitable));
        if (rd) co_return;
        const std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: secure\n\n";
        co_await asio::async_write(*stream, asio::buffer(response), asio::as_tuple(asio::use_awaitable));
        if (close_after_event_) {
            boost::system::error_code ignored;
            stream->lowest_layer().close(ignored);
            co_return;
        }
        // Keep the stream open (in this frame, never touching `this` again) until the io_context goes.
        asio::steady_timer hold(stream->get_executor(), asio::steady_timer::time_point::max());
        co_await hold.async_wait(asio::as_tuple(asio::use_awaitable));
    }

    asio::ssl::context tls_;
    tcp::acceptor acceptor_;
    bool close_after_event_;
};

class TlsClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        cert_ = net::make_self_signed_certificate("evsim-test");
        ca_file_ = std::filesystem::temp_directory_path() /
                   ("evsim-test-ca-" + std::to_string(::getpid()) + "-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".pem");
        std::ofstream(ca_file_) << cert_.certificate_pem;
    }
    void TearDown() override { std::filesystem::remove(ca_file_); }

    net::ServerCertificate cert_;
    std::filesystem::path ca_file_;
};

EventSourceOptions options_for(const std::string& url) {
    EventSourceOptions options;
    options.url = url;
    options.reconnection_time = 20ms;
    return options;
}

TEST_F(TlsClientTest, VerifiesAgainstAGivenCaFile) {
    RecordingObserver observer;
    IoThread io;
    TlsEventServer server(io.io(), cert_);
    EventSourceOptions options = options_for(server.url());
    options.tls.ca_file = ca_file_.string();
    EventSourceClient client(io.io().get_executor(), options, observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(2));
    EXPECT_EQ(observer.seen(), (std::vector<std::string>{"open", "message message secure "}));
    client.close();
}

TEST_F(TlsClientTest, RejectsAnUntrustedCertificateByDefault) {
    RecordingObserver observer;
    IoThread io;
    TlsEventServer server(io.io(), cert_);
    EventSourceClient client(io.io().get_executor(), options_for(server.url()), observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(1));
    EXPECT_EQ(observer.seen()[0], "error 0 network 0");  // a network error: the client keeps retrying
    client.close();
}

TEST_F(TlsClientTest, CloseWithoutCloseNotifyEndsACloseDelimitedStream) {
    RecordingObserver observer;
    IoThread io;
    TlsEventServer server(io.io(), cert_, /*close_after_event=*/true);
    EventSourceOptions options = options_for(server.url());
    options.tls.verify_peer = false;
    EventSourceClient client(io.io().get_executor(), options, observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(3));
    EXPECT_EQ(observer.seen()[2], "error 0 stream_ended 0");  // the end of the stream, not a network error
    client.close();
}

TEST_F(TlsClientTest, InsecureSkipsVerification) {
    RecordingObserver observer;
    IoThread io;
    TlsEventServer server(io.io(), cert_);
    EventSourceOptions options = options_for(server.url());
    options.tls.verify_peer = false;
    EventSourceClient client(io.io().get_executor(), options, observer);
    client.start();
    ASSERT_TRUE(observer.wait_for_count(2));
    EXPECT_EQ(observer.seen(), (std::vector<std::string>{"open", "message message secure "}));
    client.close();
}

}  // namespace
}  // namespace evsim::loadgen::testing
