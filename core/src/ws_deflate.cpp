#include "evsim/core/ws_deflate.hpp"

#include <boost/beast/zlib/deflate_stream.hpp>
#include <boost/beast/zlib/error.hpp>
#include <boost/beast/zlib/inflate_stream.hpp>

namespace evsim::ws {

namespace zlib = boost::beast::zlib;

namespace {
constexpr std::string_view kSyncTail("\x00\x00\xff\xff", 4);
constexpr int kLevel = 6;     // zlib's default: most of the gain for modest CPU
constexpr int kMemLevel = 8;  // zlib's default
constexpr std::size_t kStep = 4096;
}  // namespace

struct MessageDeflater::State {
    zlib::deflate_stream stream;
};

MessageDeflater::MessageDeflater(int window_bits) : state_(std::make_unique<State>()) {
    state_->stream.reset(kLevel, window_bits, kMemLevel, zlib::Strategy::normal);
}
MessageDeflater::~MessageDeflater() = default;
MessageDeflater::MessageDeflater(MessageDeflater&&) noexcept = default;
MessageDeflater& MessageDeflater::operator=(MessageDeflater&&) noexcept = default;

void MessageDeflater::compress(std::string_view message, std::string& out) {
    auto& stream = state_->stream;
    stream.reset();  // no context takeover: every message stands alone
    zlib::z_params params;
    params.next_in = message.data();
    params.avail_in = message.size();
    const std::size_t start = out.size();
    for (;;) {
        const std::size_t used = out.size();
        out.resize(used + stream.upper_bound(params.avail_in) + 16);
        params.next_out = out.data() + used;
        params.avail_out = out.size() - used;
        boost::system::error_code ec;
        stream.write(params, zlib::Flush::sync, ec);
        out.resize(out.size() - params.avail_out);
        // With room for the bound, one sync flush consumes everything; loop only if it did not.
        if (params.avail_in == 0 && params.avail_out > 0) break;
        if (ec && ec != zlib::error::need_buffers) break;
    }
    if (out.size() - start >= kSyncTail.size() && std::string_view(out).substr(out.size() - 4) == kSyncTail) {
        out.resize(out.size() - 4);
    }
}

struct MessageInflater::State {
    zlib::inflate_stream stream;
    bool keep_window;
    std::size_t max_size;
};

MessageInflater::MessageInflater(bool keep_window, std::size_t max_size)
    : state_(std::make_unique<State>(State{{}, keep_window, max_size})) {
    state_->stream.reset(15);
}
MessageInflater::~MessageInflater() = default;
MessageInflater::MessageInflater(MessageInflater&&) noexcept = default;
MessageInflater& MessageInflater::operator=(MessageInflater&&) noexcept = default;

MessageInflater::Result MessageInflater::inflate(std::string_view payload, std::string& out) {
    auto& s = *state_;
    if (!s.keep_window) s.stream.reset(15);
    out.clear();
    // The payload, then the tail the sender removed; fed in two steps.
    const std::string_view pieces[2] = {payload, kSyncTail};
    for (const auto piece : pieces) {
        zlib::z_params params;
        params.next_in = piece.data();
        params.avail_in = piece.size();
        while (params.avail_in > 0) {
            const std::size_t used = out.size();
            if (used >= s.max_size + 1) return Result::too_big;
            const std::size_t room = std::min(kStep, s.max_size + 1 - used);
            out.resize(used + room);
            params.next_out = out.data() + used;
            params.avail_out = room;
            const std::size_t input_before = params.avail_in;
            boost::system::error_code ec;
            s.stream.write(params, zlib::Flush::sync, ec);
            const bool progressed = params.avail_in != input_before || params.avail_out != room;
            out.resize(out.size() - params.avail_out);
            if (ec == zlib::error::end_of_stream) {
                // A final block (BFINAL) ended the sender's stream.
                // What follows belongs to the new stream (RFC 7692 section 7.2.3.4).
                s.stream.reset(15);
                continue;
            }
            if (ec && ec != zlib::error::need_buffers) return Result::corrupt;
            if (!progressed) return Result::corrupt;  // input the inflater cannot use
        }
        if (out.size() > s.max_size) return Result::too_big;
    }
    return Result::ok;
}

}  // namespace evsim::ws
