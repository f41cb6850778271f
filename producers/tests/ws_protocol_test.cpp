// The WebSocket producer's side of RFC 6455, driven byte by byte by a raw TCP client: the exact
// 101 response, pongs for pings split across writes, the close handshake, and every violation a
// client can commit answered with the close code the RFC names, then the TCP close.
#include <gtest/gtest.h>

#include <string>

#include "evsim/core/ws_frame.hpp"
#include "evsim/core/ws_reader.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

using namespace std::chrono_literals;
using ws::Opcode;

constexpr ws::MaskingKey kKey{0x11, 0x22, 0x33, 0x44};

std::string masked(Opcode opcode, std::string_view payload, bool fin = true) {
    std::string out;
    ws::append_frame(out, opcode, payload, ws::FrameOptions{.fin = fin, .mask = kKey});
    return out;
}

// What the server sent after its 101, as frames.
class Frames : public ws::ReaderHandler {
public:
    void on_message(Opcode, std::string_view payload, bool) override { messages.emplace_back(payload); }
    void on_ping(std::string_view payload) override { pings.emplace_back(payload); }
    void on_pong(std::string_view payload) override { pongs.emplace_back(payload); }
    void on_close(std::optional<std::uint16_t> c, std::string_view) override { code = c ? *c : 0; }
    std::vector<std::string> messages, pings, pongs;
    std::optional<std::uint16_t> code;
};

// A WebSocket client that speaks raw bytes: sends what a test builds, parses what comes back.
class RawWs {
public:
    explicit RawWs(std::uint16_t port) : client_(port) {
        client_.send(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        std::string received = client_.read_until([](const std::string& r) { return r.find("\r\n\r\n") != std::string::npos; });
        const auto end = received.find("\r\n\r\n");
        if (end == std::string::npos) throw std::runtime_error("no 101 response: " + received);
        response = received.substr(0, end + 4);
        feed(std::string_view(received).substr(end + 4));
        consumed_ = received.size();
    }
    void send(std::string_view bytes) { client_.send(bytes); }
    // Reads until `done()` holds or the server closes.
    template <class Done>
    bool read_until(Done done) {
        if (done()) return true;
        client_.read_until([&](const std::string& all) {  // everything since the connection opened
            feed(std::string_view(all).substr(consumed_));
            consumed_ = all.size();
            return done();
        });
        return done();
    }
    bool wait_closed() { return client_.wait_closed(); }

    std::string response;
    Frames frames;

private:
    void feed(std::string_view bytes) {
        if (auto failure = reader_.feed(bytes, frames)) throw std::runtime_error(std::string(failure->reason));
    }
    test::Client client_;
    std::size_t consumed_ = 0;  // bytes of the connection fed to reader_
    ws::Reader reader_{ws::Peer::server};
};

TEST(WsProtocolTest, The101IsExactAndMessagesFollow) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    RawWs client(running.ws_port());
    EXPECT_EQ(client.response,
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nServer: evsim\r\n\r\n");
    EXPECT_TRUE(client.read_until([&] { return client.frames.messages.size() >= 3; }));
    for (const auto& message : client.frames.messages) EXPECT_TRUE(test::is_sample_value(message)) << message;
}

TEST(WsProtocolTest, PingSplitAcrossWritesGetsItsPayloadBack) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    RawWs client(running.ws_port());
    const std::string ping = masked(Opcode::ping, "still there?");
    for (char byte : ping) client.send(std::string_view(&byte, 1));
    EXPECT_TRUE(client.read_until([&] { return !client.frames.pongs.empty(); }));
    ASSERT_EQ(client.frames.pongs.size(), 1U);
    EXPECT_EQ(client.frames.pongs[0], "still there?");
}

TEST(WsProtocolTest, APingFloodGetsTheNewestPingAnsweredLast) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.interval = 60s;  // only control frames on the wire
    test::RunningEmitters running(options);
    RawWs client(running.ws_port());
    std::string flood;
    for (int i = 0; i < 5000; ++i) flood += masked(Opcode::ping, "p" + std::to_string(i));
    client.send(flood);
    // Every ping is answered or superseded by a newer one: the last pong answers the last ping.
    EXPECT_TRUE(client.read_until([&] { return !client.frames.pongs.empty() && client.frames.pongs.back() == "p4999"; }));
    EXPECT_LE(client.frames.pongs.size(), 5000U);
    for (std::size_t i = 1; i < client.frames.pongs.size(); ++i) {
        ASSERT_LT(std::stoi(client.frames.pongs[i - 1].substr(1)), std::stoi(client.frames.pongs[i].substr(1)));
    }
}

TEST(WsProtocolTest, ClientCloseIsEchoedThenTheServerClosesTcp) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    RawWs client(running.ws_port());
    client.send(masked(Opcode::close, ws::close_payload(4000, "done here")));
    EXPECT_TRUE(client.read_until([&] { return client.frames.code.has_value(); }));
    EXPECT_EQ(client.frames.code, 4000);
    EXPECT_TRUE(client.wait_closed());
    EXPECT_TRUE(running.eventually([](ReferenceEmitters& e) { return e.ws_clients() == 0; }));
}

// `bytes` from the client fail the connection with `code`: a close frame, then the TCP close.
void expect_failed_with(const std::string& bytes, std::uint16_t code, const std::string& logged,
                        std::size_t max_message = 64 * 1024) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.ws.session.max_incoming_message = max_message;
    test::RunningEmitters running(options);
    RawWs client(running.ws_port());
    client.send(bytes);
    EXPECT_TRUE(client.read_until([&] { return client.frames.code.has_value(); }));
    EXPECT_EQ(client.frames.code, code);
    EXPECT_TRUE(client.wait_closed());
    EXPECT_TRUE(log.wait_for("closing with " + std::to_string(code) + ": " + logged));
}

TEST(WsProtocolTest, UnmaskedClientFrameIsAProtocolError) {
    std::string unmasked;
    ws::append_frame(unmasked, Opcode::text, "hi");
    expect_failed_with(unmasked, ws::close_code::protocol_error, "client frame not masked");
}

TEST(WsProtocolTest, InvalidUtf8TextIs1007) {
    expect_failed_with(masked(Opcode::text, "ab\xff"), ws::close_code::invalid_payload, "text message not UTF-8");
}

TEST(WsProtocolTest, OversizedMessageIs1009BeforeItsPayload) {
    std::string header;
    ws::append_header(header, Opcode::binary, 1 << 20, ws::FrameOptions{.mask = kKey});
    expect_failed_with(header, ws::close_code::message_too_big, "message larger than the limit", 1024);
}

TEST(WsProtocolTest, ReservedOpcodeAndBadCloseCodeAreProtocolErrors) {
    expect_failed_with(masked(static_cast<Opcode>(0x3), ""), ws::close_code::protocol_error, "reserved opcode");
    expect_failed_with(masked(Opcode::close, std::string("\x03\xed", 2)), ws::close_code::protocol_error,
                       "invalid close code");  // 1005 may never be sent
}

TEST(WsProtocolTest, KeepAlivePingThenDropWhenTheClientStaysSilent) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.interval = 60s;  // no messages: only the keep-alive traffic
    options.ws.session.idle_timeout = 400ms;
    test::RunningEmitters running(options);
    RawWs client(running.ws_port());
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(client.read_until([&] { return !client.frames.pings.empty(); }));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);  // half the idle timeout, less the 101's time
    EXPECT_TRUE(client.wait_closed());
    EXPECT_TRUE(log.wait_for("nothing heard from the client for the idle timeout"));
}

TEST(WsProtocolTest, AnsweredPingsKeepTheConnection) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.interval = 60s;
    options.ws.session.idle_timeout = 400ms;
    test::RunningEmitters running(options);
    RawWs client(running.ws_port());
    for (int i = 1; i <= 4; ++i) {
        ASSERT_TRUE(client.read_until([&] { return client.frames.pings.size() >= static_cast<std::size_t>(i); })) << i;
        client.send(masked(Opcode::pong, client.frames.pings.back()));
    }
    // Four pings, each answered: well past the idle timeout and still open.
    EXPECT_TRUE(running.eventually([](ReferenceEmitters& e) { return e.ws_clients() == 1; }));
}

}  // namespace
}  // namespace evsim::producers
