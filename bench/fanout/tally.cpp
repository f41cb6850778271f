#include "tally.hpp"

namespace evsim::bench::fanout {

void Tally::fail(Stage stage, std::string_view what) {
    switch (stage) {
        case Stage::connect:
            ++connect_errors;
            ++concluded;
            break;
        case Stage::handshake:
            ++handshake_errors;
            ++concluded;
            break;
        case Stage::stream:
            ++stream_errors;  // concluded already when it was established
            break;
    }
    if (first_error.empty()) first_error = what;
}

std::string describe(std::string_view step, const boost::system::error_code& error) {
    return std::string(step) + ": " + error.message();
}

}  // namespace evsim::bench::fanout
