#include "evsim/core/ws_handshake.hpp"

#include <openssl/sha.h>

#include <cctype>
#include <vector>

#include "evsim/core/base64.hpp"

namespace evsim::ws {

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool is_base64_char(char c) noexcept {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/';
}

char lower(char c) noexcept { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

// RFC 7230 tchar.
bool is_tchar(char c) noexcept {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

struct Param {
    std::string name;
    std::optional<std::string> value;
};
struct Offer {
    std::string name;
    std::vector<Param> params;
};

// Parses a Sec-WebSocket-Extensions value; nullopt when it is not well-formed.
class ExtensionParser {
public:
    explicit ExtensionParser(std::string_view text) : text_(text) {}

    std::optional<std::vector<Offer>> parse() {
        std::vector<Offer> offers;
        for (;;) {
            skip_ows();
            if (at_end()) break;
            if (peek() == ',') {  // empty list items are allowed (RFC 7230 section 7)
                ++pos_;
                continue;
            }
            Offer offer;
            if (!token(offer.name)) return std::nullopt;
            for (;;) {
                skip_ows();
                if (at_end() || peek() == ',') break;
                if (peek() != ';') return std::nullopt;
                ++pos_;
                skip_ows();
                Param param;
                if (!token(param.name)) return std::nullopt;
                skip_ows();
                if (!at_end() && peek() == '=') {
                    ++pos_;
                    skip_ows();
                    std::string value;
                    if (!at_end() && peek() == '"' ? !quoted(value) : !token(value)) return std::nullopt;
                    param.value = std::move(value);
                }
                offer.params.push_back(std::move(param));
            }
            offers.push_back(std::move(offer));
        }
        return offers;
    }

private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    void skip_ows() {
        while (!at_end() && is_ows(peek())) ++pos_;
    }
    bool token(std::string& out) {
        const auto start = pos_;
        while (!at_end() && is_tchar(peek())) ++pos_;
        out.assign(text_.substr(start, pos_ - start));
        return pos_ > start;
    }
    bool quoted(std::string& out) {
        ++pos_;  // the opening quote
        while (!at_end()) {
            const char c = text_[pos_++];
            if (c == '"') return true;
            if (c == '\\') {
                if (at_end()) return false;
                out.push_back(text_[pos_++]);
            } else {
                out.push_back(c);
            }
        }
        return false;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

std::optional<int> window_bits(const std::string& value) {
    if (value.empty() || value.size() > 2 || value[0] == '0') return std::nullopt;
    int bits = 0;
    for (char c : value) {
        if (c < '0' || c > '9') return std::nullopt;
        bits = bits * 10 + (c - '0');
    }
    if (bits < 8 || bits > 15) return std::nullopt;
    return bits;
}

// One permessage-deflate offer's agreement, or nullopt when the server must decline it.
std::optional<DeflateAgreement> agree(const Offer& offer) {
    DeflateAgreement agreement;
    agreement.server_no_context_takeover = true;
    bool seen_server_nct = false, seen_client_nct = false, seen_server_bits = false, seen_client_bits = false;
    agreement.response = "permessage-deflate; server_no_context_takeover";
    for (const auto& param : offer.params) {
        if (param.name == "server_no_context_takeover") {
            if (seen_server_nct || param.value) return std::nullopt;
            seen_server_nct = true;
        } else if (param.name == "client_no_context_takeover") {
            if (seen_client_nct || param.value) return std::nullopt;
            seen_client_nct = true;
            agreement.client_no_context_takeover = true;
            agreement.response += "; client_no_context_takeover";
        } else if (param.name == "server_max_window_bits") {
            if (seen_server_bits || !param.value) return std::nullopt;
            seen_server_bits = true;
            const auto bits = window_bits(*param.value);
            if (!bits || *bits < 9) return std::nullopt;
            agreement.server_max_window_bits = *bits;
            agreement.response += "; server_max_window_bits=" + std::to_string(*bits);
        } else if (param.name == "client_max_window_bits") {
            if (seen_client_bits) return std::nullopt;
            seen_client_bits = true;
            if (param.value) {
                const auto bits = window_bits(*param.value);
                if (!bits) return std::nullopt;
                agreement.client_max_window_bits = *bits;
            }
            // Not answered: evsim inflates with the full window, which any client window fits.
        } else {
            return std::nullopt;
        }
    }
    return agreement;
}

}  // namespace

std::string accept_key(std::string_view client_key) {
    std::string input(client_key);
    input.append(kGuid);
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
    return base64::encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

bool is_valid_client_key(std::string_view key) noexcept {
    if (key.size() != 24 || key.substr(22) != "==") return false;
    for (std::size_t i = 0; i < 22; ++i) {
        if (!is_base64_char(key[i])) return false;
    }
    return true;
}

std::string client_key(const std::array<std::uint8_t, 16>& nonce) { return base64::encode(std::string_view(reinterpret_cast<const char*>(nonce.data()), nonce.size())); }

bool list_contains(std::string_view list, std::string_view token, bool case_sensitive) noexcept {
    while (!list.empty()) {
        const auto comma = list.find(',');
        auto item = list.substr(0, comma);
        while (!item.empty() && is_ows(item.front())) item.remove_prefix(1);
        while (!item.empty() && is_ows(item.back())) item.remove_suffix(1);
        if (item.size() == token.size()) {
            bool same = true;
            for (std::size_t i = 0; i < item.size() && same; ++i)
                same = case_sensitive ? item[i] == token[i] : lower(item[i]) == lower(token[i]);
            if (same) return true;
        }
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

std::optional<DeflateAgreement> negotiate_deflate(std::string_view offers) {
    const auto parsed = ExtensionParser(offers).parse();
    if (!parsed) return std::nullopt;
    for (const auto& offer : *parsed) {
        if (offer.name != "permessage-deflate") continue;
        if (auto agreement = agree(offer)) return agreement;
    }
    return std::nullopt;
}

}  // namespace evsim::ws
