#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include "evsim/core/file_format.hpp"
#include "evsim/producers/atomic_file.hpp"
#include "evsim/producers/file_producer.hpp"
#include "evsim/producers/reference_emitters.hpp"
#include "test_support.hpp"

namespace evsim::producers {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

const std::regex sample_record(R"(event="temperature_file";data=[1-9][0-9])");

bool is_sample_record(const std::string& content) {
    if (!std::regex_match(content, sample_record)) return false;
    return test::is_sample_value(content.substr(content.size() - 2));
}

// A FILE producer as the reference emitter runs it, writing to `path` every `interval`.
std::shared_ptr<Producer> reference_file_producer(boost::asio::io_context& io, const std::filesystem::path& path,
                                                  std::chrono::milliseconds interval, test::LogCapture& log) {
    ReferenceOptions options;
    options.fetch.enabled = options.sse.enabled = options.ws.enabled = false;
    options.file.path = path;
    options.interval = interval;
    ProducerContext context;
    context.seed = 5;
    context.log = log.function();
    return make_file_producer(io, reference_scenario(options).producers.at(0), context);
}

TEST(FileProducerTest, WritesTheSampleRecordAtStartWithoutNewline) {
    test::TempDir dir;
    test::LogCapture log;
    boost::asio::io_context io;
    const auto path = dir.path() / "data.tmp";
    auto producer = reference_file_producer(io, path, 30s, log);
    producer->start();  // before the io_context ever runs: the first value is there at once
    const std::string content = read_file(path);
    EXPECT_TRUE(is_sample_record(content)) << content;
    EXPECT_EQ(content.find('\n'), std::string::npos);
    const auto parsed = file_format::parse(content);
    ASSERT_TRUE(parsed.ok());
    ASSERT_EQ(parsed.records.size(), 1U);
    EXPECT_EQ(parsed.records[0].event, "temperature_file");
}

TEST(FileProducerTest, DefaultPathIsDataTmpInTheTempDirectory) {
    EXPECT_EQ(default_file_path(), std::filesystem::temp_directory_path() / "data.tmp");
}

TEST(FileProducerTest, UnwritablePathFailsAtStart) {
    test::TempDir dir;
    test::LogCapture log;
    boost::asio::io_context io;
    auto producer = reference_file_producer(io, dir.path() / "missing-directory" / "data.tmp", 30s, log);
    EXPECT_THROW(producer->start(), std::system_error);
}

// The writer replaces the file every millisecond while a reader polls it as fast as it can: every
// read must be one whole record, never empty, torn or shrinking, and the value must change.
TEST(FileProducerTest, PollingReaderNeverSeesAPartialValue) {
    test::TempDir dir;
    test::LogCapture log;
    auto options = test::test_options(log);
    options.fetch.enabled = options.sse.enabled = options.ws.enabled = false;
    options.file.enabled = true;
    options.file.path = dir.path() / "data.tmp";
    options.interval = 1ms;
    test::RunningEmitters running(options);

    std::set<std::string> values;
    int reads = 0;
    const auto deadline = std::chrono::steady_clock::now() + 2s;
    while (std::chrono::steady_clock::now() < deadline && (reads < 5000 || values.size() < 5)) {
        const std::string content = read_file(options.file.path);
        ASSERT_TRUE(is_sample_record(content)) << "read " << reads << ": '" << content << "'";
        values.insert(content);
        ++reads;
    }
    EXPECT_GE(values.size(), 5U) << "the writer did not progress";
    ASSERT_TRUE(running.stop());

    // Only the data file is left: every temporary sibling was renamed over it.
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        ++files;
        EXPECT_EQ(entry.path().filename(), "data.tmp");
    }
    EXPECT_EQ(files, 1U);
    EXPECT_TRUE(log.lines().empty());
}

}  // namespace
}  // namespace evsim::producers
