// permessage-deflate's message transform (RFC 7692 section 7.2): DEFLATE with the trailing
// 00 00 FF FF of a sync flush removed on the way out and put back on the way in. evsim's server
// compresses every message on its own (server_no_context_takeover); the inflater keeps the
// sliding window between messages unless the client agreed not to. Built on Beast's port of zlib.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace evsim::ws {

class MessageDeflater {
public:
    explicit MessageDeflater(int window_bits = 15);
    ~MessageDeflater();
    MessageDeflater(MessageDeflater&&) noexcept;
    MessageDeflater& operator=(MessageDeflater&&) noexcept;

    // Appends the compressed payload of `message` to `out`.
    void compress(std::string_view message, std::string& out);

private:
    struct State;
    std::unique_ptr<State> state_;
};

class MessageInflater {
public:
    // `keep_window`: the peer compresses with context takeover. `max_size` bounds one message's
    // inflated size, so a small compressed message cannot expand without limit.
    MessageInflater(bool keep_window, std::size_t max_size);
    ~MessageInflater();
    MessageInflater(MessageInflater&&) noexcept;
    MessageInflater& operator=(MessageInflater&&) noexcept;

    enum class Result { ok, corrupt, too_big };
    // Replaces `out` with the inflated `payload`.
    Result inflate(std::string_view payload, std::string& out);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace evsim::ws
