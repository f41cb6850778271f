// Text for XML attributes and content (the JUnit reports of evsim check and evsim load).
#pragma once

#include <string>
#include <string_view>

namespace evsim::xml {

// Escapes & < > " ' and replaces the control characters XML 1.0 forbids (all below 0x20 except
// tab, LF and CR) with '?'.
std::string escape(std::string_view text);

}  // namespace evsim::xml
