// libFuzzer target for the scenario loader: any bytes must give a Scenario or a ScenarioError whose
// message starts with the source name and a line:column, never a crash, a hang or another exception.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "evsim/core/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(bytes), size);
    try {
        const auto scenario = evsim::scenario::parse_scenario(text, "fuzz.yaml");
        if (scenario.producers.size() > evsim::scenario::max_producers) std::abort();
    } catch (const evsim::scenario::ScenarioError& e) {
        if (std::string_view(e.what()).substr(0, 10) != "fuzz.yaml:") std::abort();
    }
    return 0;
}
