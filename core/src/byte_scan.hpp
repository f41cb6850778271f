// Byte scanning for the parsers' hot loops: SSE2 (part of every x86-64 CPU) with a portable fallback.
// One pass finds either line-end byte, where two memchr calls would cost two passes and two calls per
// (typically short) line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace evsim::scan {

inline constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

// Index of the first CR or LF in p[0, n), or kNotFound.
inline std::size_t find_cr_or_lf(const char* p, std::size_t n) noexcept {
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    for (; i + 16 <= n; i += 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
        if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
#endif
    for (; i < n; ++i) {
        if (p[i] == '\n' || p[i] == '\r') return i;
    }
    return kNotFound;
}

// True when every byte of p[0, n) is ASCII (one pass, no early exit: chunks are mostly ASCII).
inline bool all_ascii(const char* p, std::size_t n) noexcept {
    std::size_t i = 0;
#if defined(__SSE2__)
    __m128i any = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) any = _mm_or_si128(any, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    if (_mm_movemask_epi8(any) != 0) return false;
#endif
    std::uint64_t high_bits = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p + i, sizeof word);
        high_bits |= word;
    }
    for (; i < n; ++i) high_bits |= static_cast<unsigned char>(p[i]);
    return (high_bits & 0x8080808080808080ULL) == 0;
}

}  // namespace evsim::scan
