// net::WsClient against a raw peer on loopback that writes scripted bytes after the handshake and
// records what the client sends back, parsed with the core reader as a server would: the
// handshake's checks, pongs, the close echo, and each violation answered with its close code.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <thread>

#include "evsim/core/ws_frame.hpp"
#include "evsim/core/ws_handshake.hpp"
#include "evsim/core/ws_reader.hpp"
#include "evsim/net/ws_client.hpp"

namespace evsim::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

// A server frame (unmasked unless a key is given).
std::string frame(ws::Opcode opcode, std::string_view payload, std::optional<ws::MaskingKey> mask = {}) {
    std::string out;
    ws::append_frame(out, opcode, payload, ws::FrameOptions{.mask = mask});
    return out;
}

// Accepts one connection on its own thread, answers the upgrade with `head` (a correct 101 when
// empty), writes `after`, then records everything until the client closes.
class RawPeer {
public:
    RawPeer(std::string head, std::string after)
        : acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)),
          thread_([this, head = std::move(head), after = std::move(after)] { play(head, after); }) {}
    ~RawPeer() {
        if (thread_.joinable()) thread_.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    // What the client sent after its request; call after the client closed.
    std::string received() {
        thread_.join();
        return received_;
    }
    std::string request;

private:
    void play(std::string head, const std::string& after) {
        tcp::socket socket(io_);
        acceptor_.accept(socket);
        boost::system::error_code ec;
        std::string in;
        const auto head_size = asio::read_until(socket, asio::dynamic_buffer(in), "\r\n\r\n", ec);
        if (ec) return;
        request = in.substr(0, head_size);
        if (head.empty()) {
            const auto at = request.find("Sec-WebSocket-Key: ");
            const auto key = request.substr(at + 19, request.find("\r\n", at) - at - 19);
            head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: " + ws::accept_key(key) + "\r\n\r\n";
        }
        asio::write(socket, asio::buffer(head + after), ec);
        std::string rest = in.substr(head_size);
        char chunk[4096];
        while (true) {
            const auto n = socket.read_some(asio::buffer(chunk), ec);
            if (ec) break;
            rest.append(chunk, n);
        }
        received_ = rest;
    }

    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::string received_;
    std::thread thread_;
};

// What the client sent, read as a server reads a client (frames must be masked).
struct ClientFrames : ws::ReaderHandler {
    explicit ClientFrames(std::string_view bytes) {
        ws::Reader reader(ws::Peer::client);
        failure = reader.feed(bytes, *this);
    }
    void on_message(ws::Opcode, std::string_view payload, bool) override { messages.emplace_back(payload); }
    void on_pong(std::string_view payload) override { pongs.emplace_back(payload); }
    void on_close(std::optional<std::uint16_t> code, std::string_view) override { close_code = code; }
    std::vector<std::string> messages;
    std::vector<std::string> pongs;
    std::optional<std::uint16_t> close_code;
    std::optional<ws::ReadFailure> failure;
};

struct ClientRun {
    WsHandshakeResult handshake;
    std::optional<WsEnd> end;
    std::vector<std::pair<ws::Opcode, std::string>> messages;
    std::optional<std::uint16_t> peer_close_code;
};

// Connects to `peer`, handshakes, reads until the end (bounded), closes the socket.
ClientRun run_client(RawPeer& peer, ws::ReaderLimits limits = {}, WsClient::Headers headers = {}) {
    asio::io_context io;
    boost::beast::tcp_stream tcp(io);
    tcp.connect(tcp::endpoint(asio::ip::address_v4::loopback(), peer.port()));
    WsClient client(MaybeTlsStream(std::move(tcp)), limits);
    const auto endpoint = parse_url("ws://127.0.0.1:" + std::to_string(peer.port()) + "/feed?x=1");
    ClientRun run;
    WsReadEvents events;
    events.message = [&](ws::Opcode type, std::string_view payload) { run.messages.emplace_back(type, payload); };
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            run.handshake = co_await client.handshake(endpoint, headers, 5000ms);
            if (run.handshake.ok) run.end = co_await client.read(events);
        },
        [](const std::exception_ptr& e) {
            if (e) std::rethrow_exception(e);
        });
    io.run_for(5s);
    run.peer_close_code = client.peer_close_code();
    boost::system::error_code ignored;
    client.stream().socket().close(ignored);
    return run;
}

TEST(WsClientTest, SendsAProperUpgradeRequest) {
    RawPeer peer("", frame(ws::Opcode::close, ws::close_payload(1000)));
    const auto run = run_client(peer, {}, {{"Authorization", "Bearer t"}});
    ASSERT_TRUE(run.handshake.ok) << run.handshake.reason;
    peer.received();
    const auto& request = peer.request;
    EXPECT_EQ(request.rfind("GET /feed?x=1 HTTP/1.1\r\n", 0), 0U) << request;
    for (const char* line : {"Upgrade: websocket\r\n", "Connection: Upgrade\r\n", "Sec-WebSocket-Version: 13\r\n",
                             "Authorization: Bearer t\r\n"})
        EXPECT_NE(request.find(line), std::string::npos) << line;
    const auto at = request.find("Sec-WebSocket-Key: ");
    ASSERT_NE(at, std::string::npos);
    EXPECT_TRUE(ws::is_valid_client_key(request.substr(at + 19, request.find("\r\n", at) - at - 19)));
}

TEST(WsClientTest, ReadsMessagesAnswersPingsAndEchoesTheClose) {
    RawPeer peer("", frame(ws::Opcode::text, "hello") + frame(ws::Opcode::ping, "p1") +
                         frame(ws::Opcode::binary, std::string("\x00\xff", 2)) +
                         frame(ws::Opcode::close, ws::close_payload(1001, "bye")));
    const auto run = run_client(peer);
    ASSERT_TRUE(run.handshake.ok);
    EXPECT_EQ(run.end, WsEnd::closed);
    EXPECT_EQ(run.peer_close_code, 1001);
    ASSERT_EQ(run.messages.size(), 2U);
    EXPECT_EQ(run.messages[0], std::make_pair(ws::Opcode::text, std::string("hello")));
    EXPECT_EQ(run.messages[1], std::make_pair(ws::Opcode::binary, std::string("\x00\xff", 2)));
    const ClientFrames sent(peer.received());
    EXPECT_FALSE(sent.failure) << sent.failure->reason;  // every client frame masked and well formed
    EXPECT_EQ(sent.pongs, std::vector<std::string>{"p1"});
    EXPECT_EQ(sent.close_code, 1001);  // the echo carries the server's code
}

TEST(WsClientTest, StopPausesReadingAndReadingGoesOnWhereItStopped) {
    RawPeer peer("", frame(ws::Opcode::text, "1") + frame(ws::Opcode::text, "2") + frame(ws::Opcode::text, "3"));
    asio::io_context io;
    boost::beast::tcp_stream tcp(io);
    tcp.connect(tcp::endpoint(asio::ip::address_v4::loopback(), peer.port()));
    WsClient client(MaybeTlsStream(std::move(tcp)));
    std::vector<std::string> seen;
    std::vector<WsEnd> ends;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            (void)co_await client.handshake(parse_url("ws://127.0.0.1/"), {}, 5000ms);
            WsReadEvents events;
            events.message = [&](ws::Opcode, std::string_view payload) { seen.emplace_back(payload); };
            events.stop = [&] { return !seen.empty(); };  // after the first batch, however much it held
            ends.push_back(co_await client.read(events));
            events.stop = [&] { return seen.size() >= 3; };  // nothing already read is lost
            ends.push_back(co_await client.read(events));
        },
        [](const std::exception_ptr& e) {
            if (e) std::rethrow_exception(e);
        });
    io.run_for(5s);
    boost::system::error_code ignored;
    client.stream().socket().close(ignored);
    EXPECT_EQ(ends, (std::vector<WsEnd>{WsEnd::stopped, WsEnd::stopped}));
    EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3"}));
    peer.received();
}

TEST(WsClientTest, AMaskedServerFrameIsAProtocolError) {
    RawPeer peer("", frame(ws::Opcode::text, "x", ws::MaskingKey{1, 2, 3, 4}));
    const auto run = run_client(peer);
    EXPECT_EQ(run.end, WsEnd::protocol);
    EXPECT_TRUE(run.messages.empty());
    EXPECT_EQ(ClientFrames(peer.received()).close_code, ws::close_code::protocol_error);
}

TEST(WsClientTest, InvalidUtf8InATextMessageIsClosedWith1007) {
    RawPeer peer("", frame(ws::Opcode::text, "ok") + frame(ws::Opcode::text, "\xc3\x28"));
    const auto run = run_client(peer);
    EXPECT_EQ(run.end, WsEnd::invalid_utf8);
    EXPECT_EQ(run.messages.size(), 1U);
    EXPECT_EQ(ClientFrames(peer.received()).close_code, ws::close_code::invalid_payload);
}

TEST(WsClientTest, AMessageOverTheLimitIsClosedWith1009) {
    RawPeer peer("", frame(ws::Opcode::binary, std::string(17, 'x')));
    const auto run = run_client(peer, ws::ReaderLimits{16});
    EXPECT_EQ(run.end, WsEnd::message_too_big);
    EXPECT_EQ(ClientFrames(peer.received()).close_code, ws::close_code::message_too_big);
}

TEST(WsClientTest, ADroppedConnectionIsANetworkEnd) {
    RawPeer peer("", frame(ws::Opcode::text, "only"));
    std::thread dropper;  // the peer keeps reading; closing our side is what ends it
    const auto run = [&] {
        asio::io_context io;
        boost::beast::tcp_stream tcp(io);
        tcp.connect(tcp::endpoint(asio::ip::address_v4::loopback(), peer.port()));
        WsClient client(MaybeTlsStream(std::move(tcp)));
        ClientRun r;
        asio::co_spawn(
            io,
            [&]() -> asio::awaitable<void> {
                r.handshake = co_await client.handshake(parse_url("ws://127.0.0.1/"), {}, 5000ms);
                client.stream().socket().shutdown(tcp::socket::shutdown_receive);
                r.end = co_await client.read({});
            },
            [](const std::exception_ptr& e) {
                if (e) std::rethrow_exception(e);
            });
        io.run_for(5s);
        boost::system::error_code ignored;
        client.stream().socket().close(ignored);
        return r;
    }();
    ASSERT_TRUE(run.handshake.ok);
    EXPECT_EQ(run.end, WsEnd::network);
    peer.received();
}

TEST(WsClientTest, AnAnswerOtherThan101DeclinesTheUpgrade) {
    RawPeer peer("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", "");
    const auto run = run_client(peer);
    EXPECT_FALSE(run.handshake.ok);
    EXPECT_EQ(run.handshake.reason, "upgrade_declined");
    EXPECT_EQ(run.handshake.status, 403U);
    peer.received();
}

TEST(WsClientTest, A101WithoutTheRightHeadersFailsTheHandshake) {
    for (const std::string& head : {
             std::string("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"),
             std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"),
             std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"),
         }) {
        RawPeer peer(head, "");
        const auto run = run_client(peer);
        EXPECT_FALSE(run.handshake.ok) << head;
        EXPECT_EQ(run.handshake.reason, "handshake") << head;
        EXPECT_EQ(run.handshake.status, 101U);
        peer.received();
    }
}

TEST(WsClientTest, NothingIsSentAfterAClose) {
    RawPeer peer("", "");
    asio::io_context io;
    boost::beast::tcp_stream tcp(io);
    tcp.connect(tcp::endpoint(asio::ip::address_v4::loopback(), peer.port()));
    WsClient client(MaybeTlsStream(std::move(tcp)));
    bool first = false;
    bool second = true;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            (void)co_await client.handshake(parse_url("ws://127.0.0.1/"), {}, 5000ms);
            first = co_await client.send(ws::Opcode::close, ws::close_payload(1000));
            second = co_await client.send(ws::Opcode::text, "late");
        },
        [](const std::exception_ptr& e) {
            if (e) std::rethrow_exception(e);
        });
    io.run_for(5s);
    boost::system::error_code ignored;
    client.stream().socket().close(ignored);
    EXPECT_TRUE(first);
    EXPECT_FALSE(second);
    const ClientFrames sent(peer.received());
    EXPECT_EQ(sent.close_code, 1000);
    EXPECT_TRUE(sent.messages.empty());
}

}  // namespace
}  // namespace evsim::net
