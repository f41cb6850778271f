// libFuzzer target for the WebSocket reader and permessage-deflate's inflater. Invariants checked
// on every input:
//  - no crash, no sanitizer report, bounded memory (small limits);
//  - chunking never changes the outcome: whole input vs. chunks sized by the input's first byte vs.
//    one byte at a time report the same frames and the same failure, for both peers;
//  - nothing reported exceeds the message limit; uncompressed text is valid UTF-8; a control
//    payload is at most 125 bytes;
//  - the writer round-trips: the input cut into messages, framed (masked and not, fragmented),
//    reads back as the same messages;
//  - the inflater on arbitrary bytes returns ok within its bound, corrupt or too_big, never more.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "evsim/core/utf8.hpp"
#include "evsim/core/ws_deflate.hpp"
#include "evsim/core/ws_frame.hpp"
#include "evsim/core/ws_reader.hpp"

namespace {

using namespace evsim::ws;

constexpr std::size_t kMaxMessage = 2048;

class Transcript : public ReaderHandler {
public:
    void on_message(Opcode type, std::string_view payload, bool compressed) override {
        if (payload.size() > kMaxMessage) std::abort();
        if (type == Opcode::text && !compressed && !evsim::utf8::is_valid(payload)) std::abort();
        log += "M" + std::to_string(static_cast<int>(type)) + (compressed ? "z" : "") + std::to_string(payload.size()) +
               ":" + std::string(payload);
    }
    void on_ping(std::string_view payload) override { control('i', payload); }
    void on_pong(std::string_view payload) override { control('o', payload); }
    void on_close(std::optional<std::uint16_t> code, std::string_view reason) override {
        control('c', reason);
        log += code ? std::to_string(*code) : "-";
    }
    std::string log;

private:
    void control(char kind, std::string_view payload) {
        if (payload.size() > max_control_payload) std::abort();
        log += kind + std::to_string(payload.size()) + ":" + std::string(payload);
    }
};

std::string outcome(std::string_view input, Peer peer, bool compression, std::size_t chunk) {
    Reader reader(peer, ReaderLimits{kMaxMessage}, compression);
    Transcript transcript;
    for (std::size_t at = 0; at < input.size(); at += chunk) {
        if (auto failure = reader.feed(input.substr(at, chunk), transcript)) {
            transcript.log += "F" + std::to_string(failure->close_code) + std::string(failure->reason);
            break;
        }
        if (reader.buffered() > kMaxMessage) std::abort();
    }
    return transcript.log;
}

void check_chunking(std::string_view input, Peer peer, bool compression) {
    const std::size_t step = input.empty() ? 1 : 1 + static_cast<std::uint8_t>(input[0]) % 17;
    const auto whole = outcome(input, peer, compression, input.size() + 1);
    if (outcome(input, peer, compression, step) != whole) std::abort();
    if (outcome(input, peer, compression, 1) != whole) std::abort();
}

void check_round_trip(std::string_view input) {
    // Messages of up to 200 bytes, each binary, in three fragments, masked when the peer is a client.
    for (const Peer peer : {Peer::client, Peer::server}) {
        std::string wire;
        std::string expected;
        const FrameOptions first{.fin = false, .mask = peer == Peer::client ? std::optional(MaskingKey{1, 2, 3, 4})
                                                                           : std::nullopt};
        for (std::size_t at = 0; at < input.size(); at += 200) {
            const auto message = input.substr(at, 200);
            const auto third = message.size() / 3;
            append_frame(wire, Opcode::binary, message.substr(0, third), first);
            append_frame(wire, Opcode::ping, message.substr(0, std::min<std::size_t>(message.size(), 125)),
                         FrameOptions{.mask = first.mask});
            append_frame(wire, Opcode::continuation, message.substr(third, third), first);
            append_frame(wire, Opcode::continuation, message.substr(2 * third), FrameOptions{.mask = first.mask});
            const auto ping = message.substr(0, std::min<std::size_t>(message.size(), 125));
            expected += "i" + std::to_string(ping.size()) + ":" + std::string(ping);
            expected += "M2" + std::to_string(message.size()) + ":" + std::string(message);
        }
        if (outcome(wire, peer, false, wire.size() + 1) != expected) std::abort();
    }
}

void check_inflater(std::string_view input) {
    MessageInflater inflater(true, kMaxMessage);
    std::string out;
    const auto result = inflater.inflate(input, out);
    if (result == MessageInflater::Result::ok && out.size() > kMaxMessage) std::abort();
    if (out.size() > kMaxMessage + 1) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (const Peer peer : {Peer::client, Peer::server}) {
        check_chunking(input, peer, false);
        check_chunking(input, peer, true);
    }
    check_round_trip(input);
    check_inflater(input);
    return 0;
}
