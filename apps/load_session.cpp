#include "load_session.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/program_options.hpp>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <thread>
#include <unistd.h>

#include "command.hpp"
#include "evsim/loadgen/load_run.hpp"
#include "evsim/loadgen/report.hpp"
#include "evsim/loadgen/results.hpp"
#include "evsim/loadgen/schedule.hpp"
#include "evsim/loadgen/targets.hpp"
#include "evsim/net/stop_signals.hpp"

namespace evsim::app {

namespace po = boost::program_options;

namespace {

std::optional<std::size_t> parse_count(std::string_view text) {
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

void parse_shard(LoadSettings& settings, std::string_view text, const std::string& from) {
    const auto slash = text.find('/');
    const auto index = parse_count(text.substr(0, slash));
    const auto count = slash == std::string_view::npos ? std::nullopt : parse_count(text.substr(slash + 1));
    if (!index || !count || *count == 0 || *count > 10'000 || *index >= *count)
        throw std::invalid_argument(from + ": '" + std::string(text) + "' is not a shard I/N with 0 <= I < N <= 10000");
    settings.shard_index = *index;
    settings.shard_count = *count;
}

bool write_file(const std::string& path, const std::string& text, std::string_view command) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        std::cerr << "evsim " << command << ": cannot write '" << path << "'\n";
        return false;
    }
    return true;
}

}  // namespace

void add_output_options(po::options_description& options) {
    options.add_options()
        ("out,o", po::value<std::string>()->value_name("FILE"),
         "write the results JSON (every counter, every histogram in mergeable form, the time series)")
        ("junit", po::value<std::string>()->value_name("FILE"), "write JUnit XML: one testcase per threshold")
        ("html", po::value<std::string>()->value_name("FILE"),
         "write a self-contained HTML report with charts (opens with no network)");
}

OutputFiles output_files_from(const po::variables_map& flags) {
    OutputFiles files;
    if (flags.count("out")) files.json = flags["out"].as<std::string>();
    if (flags.count("junit")) files.junit = flags["junit"].as<std::string>();
    if (flags.count("html")) files.html = flags["html"].as<std::string>();
    return files;
}

int report_results(const loadgen::Results& results, const OutputFiles& outputs, std::string_view command) {
    std::cout << loadgen::format_summary(results) << std::flush;
    bool written = true;
    if (outputs.json) written = write_file(*outputs.json, loadgen::to_json(results), command) && written;
    if (outputs.junit) written = write_file(*outputs.junit, loadgen::to_junit(results), command) && written;
    if (outputs.html) written = write_file(*outputs.html, loadgen::to_html(results), command) && written;
    if (!written) return kExitUsage;
    return results.passed() ? kExitOk : kExitFailed;
}

void add_load_options(po::options_description& options) {
    add_output_options(options);
    options.add_options()
        ("threads", po::value<std::string>()->value_name("N"),
         "event loops for the virtual users (default: one per core)")
        ("shard", po::value<std::string>()->value_name("I/N"),
         "run shard I of N (0-based): every N-th VU session; default from JOB_COMPLETION_INDEX and EVSIM_SHARDS")
        ("quiet,q", "no live progress on stderr");
}

LoadSettings load_settings_from(const po::variables_map& flags) {
    LoadSettings settings;
    settings.outputs = output_files_from(flags);
    if (flags.count("threads")) {
        const auto n = parse_count(flags["threads"].as<std::string>());
        if (!n || *n < 1 || *n > 256)
            throw std::invalid_argument("--threads: '" + flags["threads"].as<std::string>() +
                                        "' is not a thread count from 1 to 256");
        settings.threads = *n;
    }
    if (flags.count("shard")) {
        parse_shard(settings, flags["shard"].as<std::string>(), "--shard");
    } else if (const char* index = std::getenv("JOB_COMPLETION_INDEX")) {
        const char* count = std::getenv("EVSIM_SHARDS");
        if (count == nullptr)
            throw std::invalid_argument("JOB_COMPLETION_INDEX is set but EVSIM_SHARDS (the shard count) is not");
        parse_shard(settings, std::string(index) + "/" + count, "JOB_COMPLETION_INDEX/EVSIM_SHARDS");
    }
    settings.quiet = flags.count("quiet") != 0;
    return settings;
}

bool check_load_section(const scenario::Scenario& scenario, std::string_view command) {
    if (!scenario.load) {
        std::cerr << "evsim " << command << ": " << scenario.source
                  << ": the scenario has no 'load' section (docs/load.md)\n";
        return false;
    }
    bool ok = true;
    for (const auto& t : scenario.load->thresholds) {
        if (const std::string problem = loadgen::check_threshold(t.rule); !problem.empty()) {
            std::cerr << "evsim " << command << ": " << scenario.source << ":" << t.line << ":" << t.column
                      << ": threshold: " << problem << "\n";
            ok = false;
        }
    }
    return ok;
}

int play_load(const scenario::Scenario& scenario, const std::map<std::string, std::string>& producer_urls,
              bool insecure_producers, const LoadSettings& settings, std::string_view command) {
    std::vector<loadgen::TargetGroup> groups;
    try {
        groups = loadgen::resolve_targets(scenario, producer_urls, insecure_producers);
    } catch (const loadgen::TargetError& e) {
        std::cerr << "evsim " << command << ": " << e.what() << "\n";
        return kExitUsage;
    }
    loadgen::Schedule schedule = loadgen::plan_schedule(*scenario.load);
    if (settings.shard_count > 1)
        schedule = loadgen::shard_schedule(schedule, settings.shard_index, settings.shard_count);

    const bool terminal = isatty(STDERR_FILENO) == 1;
    loadgen::LoadRunOptions options;
    options.threads = settings.threads;
    std::size_t samples = 0;
    if (!settings.quiet) {
        options.on_progress = [terminal, &samples](const loadgen::Progress& progress) {
            // A terminal gets one line redrawn in place; a log gets a plain line every 5 s.
            if (terminal) {
                std::cerr << "\r\033[K" << loadgen::format_progress(progress) << std::flush;
            } else if (++samples % 5 == 0) {
                std::cerr << loadgen::format_progress(progress) << "\n" << std::flush;
            }
        };
    }
    std::optional<loadgen::LoadRun> run;
    try {
        run.emplace(*scenario.load, std::move(groups), std::move(schedule), options);
    } catch (const std::invalid_argument& e) {
        std::cerr << "evsim " << command << ": " << scenario.source << ": " << e.what() << "\n";
        return kExitUsage;
    }

    // SIGINT and SIGTERM end the run early; every output is still written.
    boost::asio::io_context signal_io;
    net::StopSignals signals(signal_io, [&run](int number) { run->stop(number == SIGINT ? "SIGINT" : "SIGTERM"); });
    std::thread signal_thread([&signal_io] { signal_io.run(); });
    loadgen::Results results = run->run();
    signals.cancel();
    signal_io.stop();
    signal_thread.join();
    if (terminal && !settings.quiet) std::cerr << "\r\033[K" << std::flush;

    results.scenario = scenario.source;
    results.shard_index = settings.shard_index;
    results.shard_count = settings.shard_count;
    return report_results(results, settings.outputs, command);
}

}  // namespace evsim::app
