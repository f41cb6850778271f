#include "evsim/core/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace evsim::utf8 {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Classifies the sequence starting at p[0] (a non-ASCII byte). For an ill-formed one, `bad_length` is
// the length of the maximal ill-formed subpart (at least 1), which the WHATWG decoder turns into
// exactly one U+FFFD; the byte that ended it is examined again.
struct Classified {
    std::size_t length = 0;  // 0 when ill-formed
    std::size_t bad_length = 0;
    bool cut_off = false;  // ill-formed only because the input ended inside it
};

Classified classify(const unsigned char* p, std::size_t remaining) noexcept {
    const unsigned char lead = p[0];
    std::size_t needed = 0;
    unsigned char lower = 0x80;
    unsigned char upper = 0xBF;
    if (lead < 0x80) {
        return {1, 0, false};
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        needed = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        needed = 2;
        if (lead == 0xE0) lower = 0xA0;  // no overlongs
        if (lead == 0xED) upper = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        needed = 3;
        if (lead == 0xF0) lower = 0x90;  // no overlongs
        if (lead == 0xF4) upper = 0x8F;  // nothing above U+10FFFF
    } else {
        return {0, 1, false};
    }
    for (std::size_t seen = 0; seen < needed; ++seen) {
        if (1 + seen >= remaining) return {0, 1 + seen, true};
        const unsigned char byte = p[1 + seen];
        if (byte < lower || byte > upper) return {0, 1 + seen, false};
        lower = 0x80;
        upper = 0xBF;
    }
    return {1 + needed, 0, false};
}

// Index of the first non-ASCII byte at or after `pos`, checking eight bytes at a time.
std::size_t skip_ascii(const unsigned char* p, std::size_t pos, std::size_t size) noexcept {
    while (pos + 8 <= size) {
        std::uint64_t word = 0;
        std::memcpy(&word, p + pos, sizeof word);
        if ((word & 0x8080808080808080ULL) != 0) break;
        pos += 8;
    }
    while (pos < size && p[pos] < 0x80) ++pos;
    return pos;
}

}  // namespace

bool is_valid(std::string_view bytes) noexcept { return first_invalid(bytes) == std::string_view::npos; }

void append_repaired(std::string& out, std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t size = bytes.size();
    std::size_t run_start = 0;  // start of the pending well-formed run, appended in one go
    std::size_t pos = 0;
    for (;;) {
        pos = skip_ascii(p, pos, size);
        if (pos == size) break;
        const Classified c = classify(p + pos, size - pos);
        if (c.length != 0) {
            pos += c.length;
            continue;
        }
        out.append(bytes.substr(run_start, pos - run_start));
        out.append(kReplacement);
        pos += c.bad_length;
        run_start = pos;
    }
    out.append(bytes.substr(run_start));
}

Sequence sequence_at(std::string_view bytes, std::size_t pos) noexcept {
    const Classified c = classify(reinterpret_cast<const unsigned char*>(bytes.data()) + pos, bytes.size() - pos);
    return {c.length, c.cut_off};
}

std::size_t first_invalid(std::string_view bytes, std::size_t from) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t pos = from;
    for (;;) {
        pos = skip_ascii(p, pos, bytes.size());
        if (pos >= bytes.size()) return std::string_view::npos;
        const std::size_t len = classify(p + pos, bytes.size() - pos).length;
        if (len == 0) return pos;
        pos += len;
    }
}

char32_t decode_at(std::string_view bytes, std::size_t pos, std::size_t length) noexcept {
    static constexpr unsigned kLeadBits[] = {0x00U, 0x7FU, 0x1FU, 0x0FU, 0x07U};
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + pos;
    char32_t code_point = p[0] & kLeadBits[length];
    for (std::size_t i = 1; i < length; ++i) code_point = (code_point << 6U) | (p[i] & 0x3FU);
    return code_point;
}

void append_code_point(std::string& out, char32_t cp) {
    static constexpr unsigned kLeadMarks[] = {0x00U, 0xC0U, 0xE0U, 0xF0U};
    const int tail = cp < 0x80U ? 0 : cp < 0x800U ? 1 : cp < 0x10000U ? 2 : 3;  // continuation bytes
    out += static_cast<char>(kLeadMarks[tail] | (cp >> (6 * tail)));
    for (int shift = 6 * (tail - 1); shift >= 0; shift -= 6) out += static_cast<char>(0x80U | ((cp >> shift) & 0x3FU));
}

std::string repaired(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    append_repaired(out, bytes);
    return out;
}

}  // namespace evsim::utf8
