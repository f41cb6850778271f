// Scenario FILE producers: in-place and atomic writes, several event names, measurement envelopes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "evsim/core/file_format.hpp"
#include "evsim/core/measurement.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

using namespace std::chrono_literals;
using scenario::ProducerType;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::size_t entries_in(const std::filesystem::path& dir) {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++count;
    return count;
}

scenario::ProducerSpec file_spec(const std::filesystem::path& path) {
    auto spec = test::make_spec("file", ProducerType::file);
    spec.payload = payload::Counter{};
    spec.cadence = cadence::FixedInterval{std::chrono::hours(1)};
    spec.file.path = path.string();
    return spec;
}

class ScenarioFileTest : public ::testing::TestWithParam<bool> {};

TEST_P(ScenarioFileTest, WritesTheRecordsAtStartAndOnEveryEvent) {
    const bool atomic = GetParam();
    test::TempDir dir;
    test::LogCapture log;
    const auto path = dir.path() / "readings.txt";
    auto spec = file_spec(path);
    spec.file.atomic = atomic;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    // The first write happens in start(), before the constructor returns.
    EXPECT_EQ(read_file(path), "event=\"temperature_file\";data=0");
    running.publish("file", "", "12");
    EXPECT_EQ(read_file(path), "event=\"temperature_file\";data=12");
    running.publish("file", "", "7");  // shorter than before: nothing of the old value may remain
    EXPECT_EQ(read_file(path), "event=\"temperature_file\";data=7");
    EXPECT_EQ(entries_in(dir.path()), 1U);  // no temporary file left behind either way
    EXPECT_EQ(running.set().file_path("file"), path);
    EXPECT_TRUE(log.lines().empty());
}

TEST_P(ScenarioFileTest, FollowsTheCadence) {
    test::TempDir dir;
    test::LogCapture log;
    const auto path = dir.path() / "readings.txt";
    auto spec = file_spec(path);
    spec.file.atomic = GetParam();
    spec.cadence = cadence::FixedInterval{20ms};
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    // Every version read is a whole record (in place a reader could catch an empty file between
    // truncate and write, which is the point of that mode, so only complete reads are checked).
    ASSERT_TRUE(running.eventually([&](ProducerSet&) {
        const auto parsed = file_format::parse(read_file(path));
        return parsed.ok() && parsed.records.size() == 1 && parsed.records[0].data.size() == 1 &&
               parsed.records[0].data >= "3";
    }));
}

INSTANTIATE_TEST_SUITE_P(Modes, ScenarioFileTest, ::testing::Values(false, true),
                         [](const auto& param_info) { return param_info.param ? std::string("atomic") : std::string("in_place"); });

TEST(ScenarioFileMoreTest, SeveralEventsAreSeveralRecords) {
    test::TempDir dir;
    test::LogCapture log;
    const auto path = dir.path() / "multi.txt";
    auto spec = file_spec(path);
    spec.events = {"temperature", "humidity"};
    spec.file.atomic = false;
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    EXPECT_EQ(read_file(path), "event=\"temperature\";data=0\nevent=\"humidity\";data=0");
    running.publish("file", "humidity", "55 %");
    const auto content = read_file(path);
    EXPECT_EQ(content, "event=\"temperature\";data=0\nevent=\"humidity\";data=\"55 %\"");
    const auto parsed = file_format::parse(content);
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed.records.size(), 2U);
    EXPECT_EQ(parsed.records[1], (file_format::Record{"humidity", "55 %"}));
}

TEST(ScenarioFileMoreTest, MeasurementEnvelopeInData) {
    test::TempDir dir;
    test::LogCapture log;
    const auto path = dir.path() / "measured.txt";
    auto spec = file_spec(path);
    spec.events = {"a", "b"};
    spec.measurement_metadata = true;
    spec.file.atomic = false;
    const auto before_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    test::RunningSet running(test::make_scenario({spec}), test::set_options(log));
    const auto after_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto parsed = file_format::parse(read_file(path));
    ASSERT_TRUE(parsed.ok()) << read_file(path);
    ASSERT_EQ(parsed.records.size(), 2U);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto envelope = measurement::parse_envelope(parsed.records[i].data);
        ASSERT_TRUE(envelope) << parsed.records[i].data;
        EXPECT_EQ(envelope->stamp.seq, i + 1);
        EXPECT_EQ(std::string(envelope->data), "0");
        EXPECT_GE(envelope->stamp.sent_us, before_us);
        EXPECT_LE(envelope->stamp.sent_us, after_us);
    }
    EXPECT_EQ(parsed.records[0].event, "a");
    EXPECT_EQ(parsed.records[1].event, "b");
}

TEST(ScenarioFileMoreTest, UnwritablePathFailsStart) {
    test::TempDir dir;
    test::LogCapture log;
    auto spec = file_spec(dir.path() / "missing" / "dir" / "x.txt");
    spec.file.atomic = false;
    boost::asio::io_context io;
    ProducerSet set(io, test::make_scenario({spec}), test::set_options(log));
    EXPECT_THROW(set.start(), std::system_error);
}

}  // namespace
}  // namespace evsim::producers
