// The plan for a whole config.js: find the registry, parse it, map each entry, then the checks that
// need all entries (two entries that would need the same address or the same file).
#include <fstream>
#include <map>
#include <utility>

#include "dashboard_parts.hpp"

namespace evsim::dashboard {
namespace {

using scenario::ProducerSpec;
using scenario::ProducerType;

// Entries already served, to catch clashes. One port may carry several producers (the runtime routes
// by path, and SSE, fetch and the WebSocket handshake are all HTTP requests), but only when every
// entry on it has its own path and all of them agree on TLS: one listener speaks either TLS or not.
class Clashes {
public:
    // The reason `p` cannot be served next to the entries seen so far, or empty (and `p` is recorded).
    std::string check(const ProducerSpec& p, bool tls, std::size_t index) {
        if (p.type == ProducerType::file) {
            const auto [it, added] = files_.emplace(p.file.path, index);
            return added ? std::string() : "same file as entry " + std::to_string(it->second);
        }
        auto& on_port = ports_[{p.host, p.port}];
        for (const Served& other : on_port) {
            if (other.path == p.paths.front()) return "same address and path as entry " + std::to_string(other.index);
            if (other.tls != tls)
                return "port " + std::to_string(p.port) + " is already served " + (other.tls ? "with" : "without") +
                       " TLS by entry " + std::to_string(other.index) + "; one port cannot do both";
        }
        on_port.push_back({p.paths.front(), tls, index});
        return {};
    }

private:
    struct Served {
        std::string path;
        bool tls = false;
        std::size_t index = 0;
    };
    std::map<std::pair<std::string, std::uint16_t>, std::vector<Served>> ports_;
    std::map<std::string, std::size_t> files_;
};

scenario::ScenarioError error_at(const std::filesystem::path& file, const js::SyntaxError& e) {
    return scenario::ScenarioError({file.string(), e.where().line, e.where().column}, e.message());
}

}  // namespace

js::Value read_registry(std::string_view js_text, const std::filesystem::path& config_path) {
    if (js_text.size() > max_config_bytes)
        throw scenario::ScenarioError({config_path.string(), 1, 1},
                                      "config.js is " + std::to_string(js_text.size()) + " bytes; the limit is " +
                                          std::to_string(max_config_bytes) + " (4 MiB)");
    try {
        return js::parse_literal_at(js_text, detail::find_registry(js_text)).value;
    } catch (const js::SyntaxError& e) {
        throw error_at(config_path, e);
    }
}

DashboardPlan plan_from_dashboard_config(std::string_view js_text, const std::filesystem::path& config_path) {
    return plan_from_registry(read_registry(js_text, config_path), config_path);
}

DashboardPlan plan_from_registry(const js::Value& registry, const std::filesystem::path& config_path) {
    const std::string file = config_path.string();
    DashboardPlan plan;
    plan.scenario.source = file;
    Clashes clashes;
    if (!registry.is_array())
        throw scenario::ScenarioError({file, registry.at.line, registry.at.column}, "sys_eventProviders: expected an array");
    const auto& items = registry.as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        detail::MappedEntry mapped = detail::map_entry(items[i], i + 1, config_path);
        DashboardEntry& entry = mapped.entry;
        if (mapped.producer && plan.scenario.producers.size() >= scenario::max_producers) {
            entry.reason = "more than " + std::to_string(scenario::max_producers) + " producers";
            mapped.producer.reset();
        }
        if (mapped.producer) {
            if (std::string clash = clashes.check(*mapped.producer, entry.tls, entry.index); !clash.empty()) {
                entry.reason = std::move(clash);
                mapped.producer.reset();
            }
        }
        if (mapped.producer) {
            plan.scenario.producers.push_back(std::move(*mapped.producer));
        } else if (entry.served) {
            entry.served = false;
            entry.producer.clear();
            entry.target.clear();
            entry.notes.clear();
        }
        plan.entries.push_back(std::move(entry));
    }
    return plan;
}

std::string read_config_text(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::error_code ec;
    std::ifstream in;
    // A directory opens fine on Linux and then reads as nothing; say what it is instead.
    if (!std::filesystem::is_directory(path, ec)) in.open(path, std::ios::binary);
    if (!in.is_open()) throw scenario::ScenarioError({file, 1, 1}, "cannot read dashboard config '" + file + "'");
    // One byte past the limit, so an oversized file is reported as such rather than cut short.
    std::string text(max_config_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad()) throw scenario::ScenarioError({file, 1, 1}, "cannot read dashboard config '" + file + "'");
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

DashboardPlan load_dashboard_config(const std::filesystem::path& path) {
    return plan_from_dashboard_config(read_config_text(path), path);
}

}  // namespace evsim::dashboard
