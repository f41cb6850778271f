// The FILE source check against evsim's file producer: atomic replacement passes, torn writes fail,
// and files that cannot be read or parsed are named.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "evsim/conformance/server_checks.hpp"
#include "producer_thread.hpp"

namespace evsim::conformance {
namespace {

using namespace std::chrono_literals;
using test::verdicts;

std::filesystem::path temp_file(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("evsim-file-check-" + std::to_string(::getpid()) + "-" + name);
}

scenario::ProducerSpec file_spec(const std::filesystem::path& path) {
    scenario::ProducerSpec spec;
    spec.name = "file";
    spec.type = scenario::ProducerType::file;
    spec.events = {"temperature_file"};
    spec.cadence = cadence::FixedInterval{5ms};
    spec.file.path = path.string();
    return spec;
}

ServerCheckOptions quick() {
    ServerCheckOptions options;
    options.observe = 300ms;
    return options;
}

TEST(FileChecksTest, AtomicReplacementPasses) {
    const auto path = temp_file("atomic.tmp");
    {
        test::ProducerThread writer(file_spec(path));
        const auto results = check_file_source(path.string(), quick());
        for (const auto& r : results) EXPECT_EQ(r.verdict, Verdict::pass) << r.id << ": " << r.observed;
    }
    std::filesystem::remove(path);
}

TEST(FileChecksTest, TornWritesFailAtomic) {
    const auto path = temp_file("torn.tmp");
    {
        auto spec = file_spec(path);
        faults::FaultSpec fault;
        fault.kind = faults::Kind::torn_write;
        fault.trigger.every = 2;
        fault.duration = 4ms;  // a half record on disk 40 % of the time
        spec.faults = {fault};
        test::ProducerThread writer(spec);
        const auto results = check_file_source(path.string(), quick());
        const auto v = verdicts(results);
        EXPECT_EQ(v.at("file.format"), Verdict::pass);
        EXPECT_EQ(v.at("file.atomic"), Verdict::fail);
        EXPECT_TRUE(failed(results));
    }
    std::filesystem::remove(path);
}

TEST(FileChecksTest, MissingAndUnreadableFiles) {
    const auto missing = check_file_source(temp_file("missing.tmp").string(), quick());
    ASSERT_EQ(missing.size(), 1U);
    EXPECT_EQ(missing[0].verdict, Verdict::fail);

    const auto garbage = temp_file("garbage.tmp");
    std::ofstream(garbage) << "event=\"a\";data=\"unterminated";
    auto options = quick();
    options.observe = 20ms;
    const auto v = verdicts(check_file_source(garbage.string(), options));
    EXPECT_EQ(v.at("file.format"), Verdict::fail);
    EXPECT_EQ(v.count("file.atomic"), 0U);
    EXPECT_EQ(v.at("file.updates"), Verdict::info);  // nobody writes it
    std::filesystem::remove(garbage);
}

}  // namespace
}  // namespace evsim::conformance
