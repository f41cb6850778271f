#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <set>

#include "test_support.hpp"

namespace evsim::producers {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

std::string field(const http::response<http::string_body>& response, http::field name) {
    return std::string(response[name]);
}

TEST(FetchEmitterTest, GetAnswersSampleValuesWithTheSampleHeaders) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::Client client(running.fetch_port());
    std::set<std::string> values;
    for (int i = 0; i < 300; ++i) {  // one keep-alive connection
        const auto response = client.request(http::verb::get, "/any/path?x=" + std::to_string(i));
        ASSERT_EQ(response.result(), http::status::ok);
        ASSERT_EQ(response.version(), 11);
        ASSERT_TRUE(test::is_sample_value(response.body())) << response.body();
        ASSERT_EQ(field(response, http::field::content_type), "text/plain");
        ASSERT_EQ(field(response, http::field::access_control_allow_origin), "*");
        ASSERT_EQ(field(response, http::field::cache_control), "no-cache");
        ASSERT_EQ(field(response, http::field::content_length), "2");
        ASSERT_TRUE(response.keep_alive());
        values.insert(response.body());
    }
    EXPECT_GT(values.size(), 50U);  // 300 draws from 89 values
    EXPECT_EQ(values.count("99"), 0U);
    EXPECT_FALSE(client.closed());

    for (int i = 0; i < 20; ++i) {  // and on fresh connections
        test::Client fresh(running.fetch_port());
        EXPECT_TRUE(test::is_sample_value(fresh.request(http::verb::get).body()));
    }
    EXPECT_TRUE(running.stop());
    EXPECT_TRUE(log.lines().empty());
}

TEST(FetchEmitterTest, HeadHasTheHeadersWithoutTheBody) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::Client client(running.fetch_port());
    const auto head = client.request(http::verb::head);
    EXPECT_EQ(head.result(), http::status::ok);
    EXPECT_EQ(field(head, http::field::content_length), "2");
    EXPECT_EQ(field(head, http::field::content_type), "text/plain");
    EXPECT_TRUE(head.body().empty());
    // Had a body followed the HEAD answer, this GET's response would be misread.
    const auto get = client.request(http::verb::get);
    EXPECT_EQ(get.result(), http::status::ok);
    EXPECT_TRUE(test::is_sample_value(get.body()));
}

TEST(FetchEmitterTest, OptionsIsACorsPreflight) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::Client client(running.fetch_port());
    auto request = test::make_request(http::verb::options);
    request.set(http::field::origin, "http://dashboard.example");
    request.set(http::field::access_control_request_method, "GET");
    request.set(http::field::access_control_request_headers, "x-token, content-type");
    const auto response = client.request(request);
    EXPECT_EQ(response.result(), http::status::no_content);
    EXPECT_EQ(field(response, http::field::access_control_allow_origin), "*");
    EXPECT_EQ(field(response, http::field::access_control_allow_methods), "GET, HEAD, OPTIONS");
    EXPECT_EQ(field(response, http::field::access_control_allow_headers), "x-token, content-type");
    EXPECT_TRUE(response.body().empty());

    const auto bare = client.request(http::verb::options);  // no requested headers: the wildcard
    EXPECT_EQ(field(bare, http::field::access_control_allow_headers), "*");
}

TEST(FetchEmitterTest, OtherMethodsAre405WithAllow) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::Client client(running.fetch_port());
    for (const auto method : {http::verb::post, http::verb::put, http::verb::delete_, http::verb::patch}) {
        auto request = test::make_request(method);
        request.body() = "{\"ignored\": true}";
        const auto response = client.request(request);
        EXPECT_EQ(response.result(), http::status::method_not_allowed) << http::to_string(method);
        EXPECT_EQ(field(response, http::field::allow), "GET, HEAD, OPTIONS");
    }
    EXPECT_EQ(client.request(http::verb::get).result(), http::status::ok);  // still usable
}

TEST(FetchEmitterTest, ConfiguredPathServesOnlyThatPath) {
    test::LogCapture log;
    auto options = test::test_options(log);
    options.fetch.path = "/temperature";
    test::RunningEmitters running(options);
    test::Client client(running.fetch_port());
    EXPECT_EQ(client.request(http::verb::get, "/temperature?t=1").result(), http::status::ok);
    EXPECT_EQ(client.request(http::verb::get, "/").result(), http::status::not_found);
    EXPECT_EQ(client.request(http::verb::get, "/temperature/x").result(), http::status::not_found);
}

TEST(FetchEmitterTest, SameSeedSameValues) {
    const auto first_values = [](std::uint64_t seed) {
        test::LogCapture log;
        auto options = test::test_options(log);
        options.seed = seed;
        test::RunningEmitters running(options);
        test::Client client(running.fetch_port());
        std::vector<std::string> values;
        for (int i = 0; i < 8; ++i) values.push_back(client.request(http::verb::get).body());
        return values;
    };
    EXPECT_EQ(first_values(1234), first_values(1234));
    EXPECT_NE(first_values(1234), first_values(4321));
}

TEST(FetchEmitterTest, Http10ClientGetsAnAnswerAndAClose) {
    test::LogCapture log;
    test::RunningEmitters running(test::test_options(log));
    test::Client client(running.fetch_port());
    client.send("GET / HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(client.wait_closed());
    const std::string response = client.read_until([](const std::string&) { return true; });
    EXPECT_EQ(response.rfind("HTTP/1.0 200 OK\r\n", 0), 0U) << response;
    EXPECT_TRUE(test::is_sample_value(response.substr(response.size() - 2))) << response;
}

}  // namespace
}  // namespace evsim::producers
