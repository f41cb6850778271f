// The ctrlx-datalayer dialect's pieces on their own: tokens (issue, expiry, closed sessions, the
// session limit), subscription requests (every malformed body refused with what is wrong), node
// values by type, FILETIME.
#include <gtest/gtest.h>

#include "../src/datalayer_request.hpp"
#include "../src/datalayer_tokens.hpp"
#include "../src/datalayer_values.hpp"

namespace evsim::producers {
namespace {

using namespace std::chrono_literals;
using scenario::DatalayerType;
using Clock = std::chrono::system_clock;

const Clock::time_point t0 = Clock::time_point(std::chrono::seconds(1'800'000'000));

DatalayerTokens tokens(std::size_t max_sessions = 10) {
    return DatalayerTokens({{"boschrexroth", "boschrexroth"}, {"viewer", "s3cret"}}, 60s, max_sessions);
}

TEST(DatalayerTokensTest, IssuesJwtShapedTokensForConfiguredUsersOnly) {
    auto t = tokens();
    const auto issued = t.issue("viewer", "s3cret", t0);
    ASSERT_TRUE(std::holds_alternative<std::string>(issued));
    const auto& token = std::get<std::string>(issued);
    EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2) << token;
    EXPECT_EQ(token.find_first_of("+/= "), std::string::npos) << token;  // base64url, unpadded
    EXPECT_EQ(token.rfind("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.", 0), 0U);  // {"alg":"HS256","typ":"JWT"}
    EXPECT_EQ(t.user_of("Bearer " + token, t0), "viewer");
    EXPECT_EQ(t.user_of("bearer  " + token + " ", t0), "viewer");  // the scheme is case-insensitive
    EXPECT_NE(std::get<std::string>(t.issue("viewer", "s3cret", t0)), token);  // every token is unique

    EXPECT_EQ(std::get<DatalayerTokens::Refusal>(t.issue("viewer", "S3cret", t0)),
              DatalayerTokens::Refusal::bad_credentials);
    EXPECT_EQ(std::get<DatalayerTokens::Refusal>(t.issue("nobody", "s3cret", t0)),
              DatalayerTokens::Refusal::bad_credentials);
    EXPECT_EQ(std::get<DatalayerTokens::Refusal>(t.issue("viewer", "", t0)), DatalayerTokens::Refusal::bad_credentials);
}

TEST(DatalayerTokensTest, AnythingButAnIssuedLiveTokenIsRefused) {
    auto t = tokens();
    const auto token = std::get<std::string>(t.issue("boschrexroth", "boschrexroth", t0));
    for (const std::string& header : std::vector<std::string>{"", token, "Basic " + token, "Bearer", "Bearer ",
                                     "Bearer " + token.substr(0, token.size() - 1), "Bearer x" + token})
        EXPECT_FALSE(t.user_of(header, t0)) << header;
    EXPECT_TRUE(t.user_of("Bearer " + token, t0 + 59s));
    EXPECT_FALSE(t.user_of("Bearer " + token, t0 + 60s));  // expired
    EXPECT_FALSE(t.user_of("Bearer " + token, t0));        // and forgotten
}

TEST(DatalayerTokensTest, AClosedSessionsTokenStopsWorking) {
    auto t = tokens();
    const auto token = std::get<std::string>(t.issue("boschrexroth", "boschrexroth", t0));
    EXPECT_TRUE(t.close("Bearer " + token, t0));
    EXPECT_FALSE(t.user_of("Bearer " + token, t0));
    EXPECT_FALSE(t.close("Bearer " + token, t0));
    EXPECT_EQ(t.sessions(), 0U);
}

TEST(DatalayerTokensTest, TheSessionLimitRefusesLoginsUntilOneEnds) {
    auto t = tokens(2);
    const auto first = std::get<std::string>(t.issue("viewer", "s3cret", t0));
    (void)t.issue("viewer", "s3cret", t0 + 10s);
    EXPECT_EQ(std::get<DatalayerTokens::Refusal>(t.issue("viewer", "s3cret", t0 + 20s)),
              DatalayerTokens::Refusal::too_many_sessions);
    EXPECT_TRUE(t.close("Bearer " + first, t0 + 20s));
    EXPECT_TRUE(std::holds_alternative<std::string>(t.issue("viewer", "s3cret", t0 + 20s)));
    // Expired sessions do not count: at t0 + 75 s the second one (t0 + 10 s) has expired.
    EXPECT_TRUE(std::holds_alternative<std::string>(t.issue("viewer", "s3cret", t0 + 75s)));
}

TEST(BearerTokenTest, TakesTheTokenOfABearerHeaderOnly) {
    EXPECT_EQ(bearer_token("Bearer abc"), "abc");
    EXPECT_EQ(bearer_token("BEARER\tx"), "");  // the scheme ends with a space
    EXPECT_EQ(bearer_token("Bearer   abc  "), "abc");
    EXPECT_EQ(bearer_token("Bearerabc"), "");
    EXPECT_EQ(bearer_token("Token abc"), "");
}

SubscriptionRequest parsed(std::string_view body) {
    auto result = parse_subscription_body(body);
    if (auto* problem = std::get_if<DatalayerProblem>(&result)) ADD_FAILURE() << problem->detail;
    return std::get<SubscriptionRequest>(result);
}

std::string refusal(std::string_view body) {
    auto result = parse_subscription_body(body);
    if (!std::holds_alternative<DatalayerProblem>(result)) return "accepted";
    EXPECT_EQ(std::get<DatalayerProblem>(result).status, 400U);
    return std::get<DatalayerProblem>(result).detail;
}

TEST(SubscriptionRequestTest, ReadsWhatTheControllersClientsSend) {
    // Telegraf's ctrlx_datalayer input sends this shape (rules included).
    const auto r = parsed(R"({"properties":{"keepaliveInterval":60000,"rules":[{"rule_type":"Sampling","rule":
        {"samplingInterval":1000000}},{"rule_type":"Queueing","rule":{"queueSize":10,"behaviour":"DiscardOldest"}}],
        "id":"telegraf_0b9c3f1e-8a2c-4d5e-9f00-1234567890ab","publishInterval":1000,"errorInterval":10000},
        "nodes":["plc/app/Application/sym/PLC_PRG/counter","framework/metrics/system/cpu-utilisation-percent"]})");
    EXPECT_EQ(r.id, "telegraf_0b9c3f1e-8a2c-4d5e-9f00-1234567890ab");
    EXPECT_EQ(r.nodes.size(), 2U);
    EXPECT_EQ(r.publish_interval, 1000ms);
    EXPECT_EQ(r.keepalive_interval, 60000ms);
    EXPECT_EQ(r.error_interval, 10000ms);
    const auto defaults = parsed(R"({"properties":{"id":"a"},"nodes":[]})");
    EXPECT_EQ(defaults.publish_interval, 1000ms);
    EXPECT_EQ(defaults.keepalive_interval, 60000ms);
    EXPECT_EQ(defaults.error_interval, 10000ms);
    EXPECT_EQ(parsed(R"({"properties":{"id":"a","publishInterval":250.0},"nodes":["x"]})").publish_interval, 250ms);
}

TEST(SubscriptionRequestTest, RefusesMalformedBodiesSayingWhatIsWrong) {
    EXPECT_NE(refusal("").find("not JSON"), std::string::npos);
    EXPECT_NE(refusal("{\"properties\":").find("not JSON"), std::string::npos);
    EXPECT_NE(refusal("[]").find("JSON object"), std::string::npos);
    EXPECT_NE(refusal(R"({"nodes":["a"]})").find("properties"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":[],"nodes":["a"]})").find("properties"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{},"nodes":["a"]})").find("properties.id"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{"id":7},"nodes":["a"]})").find("properties.id"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{"id":""},"nodes":["a"]})").find("properties.id"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{"id":"a/b"},"nodes":["a"]})").find("properties.id"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{"id":")" + std::string(257, 'x') + R"("},"nodes":[]})").find("properties.id"),
              std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{"id":"a"}})").find("nodes"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{"id":"a"},"nodes":"a"})").find("nodes"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{"id":"a"},"nodes":[1]})").find("nodes"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{"id":"a"},"nodes":[""]})").find("1..512"), std::string::npos);
    EXPECT_NE(refusal(R"({"properties":{"id":"a"},"nodes":[")" + std::string(513, 'n') + R"("]})").find("1..512"),
              std::string::npos);
    for (const char* interval : {"0", "-5", "1.5", "\"1000\"", "true", "86400001", "18446744073709551615"})
        EXPECT_NE(refusal(R"({"properties":{"id":"a","publishInterval":)" + std::string(interval) + R"(},"nodes":[]})")
                      .find("publishInterval"),
                  std::string::npos)
            << interval;
    EXPECT_NE(refusal(R"({"properties":{"id":"a","keepaliveInterval":0},"nodes":[]})").find("keepaliveInterval"),
              std::string::npos);
    std::string many = R"({"properties":{"id":"a"},"nodes":[)";
    for (std::size_t i = 0; i <= kMaxSubscriptionNodes; ++i) many += std::string(i ? "," : "") + "\"n\"";
    EXPECT_NE(refusal(many + "]}").find("at most"), std::string::npos);
}

TEST(SubscriptionRequestTest, TheQueryFormNamesNodesAndIntervals) {
    auto result = parse_subscription_query("/automation/api/v2/events?nodes=a/b,c%2Fd&publishIntervalMs=200&keepaliveIntervalMs=5000");
    ASSERT_TRUE(std::holds_alternative<SubscriptionRequest>(result));
    const auto& r = std::get<SubscriptionRequest>(result);
    EXPECT_EQ(r.nodes, (std::vector<std::string>{"a/b", "c/d"}));
    EXPECT_EQ(r.publish_interval, 200ms);
    EXPECT_EQ(r.keepalive_interval, 5000ms);
    EXPECT_TRUE(r.id.empty());
    for (const char* bad : {"/automation/api/v2/events", "/automation/api/v2/events?nodes=a&publishIntervalMs=x",
                            "/automation/api/v2/events?nodes=a&publishIntervalMs=0", "/automation/api/v2/events?nodes=a,,b",
                            "/automation/api/v2/events?nodes=a&colour=red"}) {
        auto refused = parse_subscription_query(bad);
        ASSERT_TRUE(std::holds_alternative<DatalayerProblem>(refused)) << bad;
        EXPECT_EQ(std::get<DatalayerProblem>(refused).status, 400U);
    }
}

TEST(SubscriptionRequestTest, ProblemBodiesCarryTheDocumentsFields) {
    EXPECT_EQ(problem_json({404, "Not Found", "node 'x' does not exist"}, "x"),
              R"({"type":"about:blank","title":"Not Found","status":404,"detail":"node 'x' does not exist",)"
              R"("instance":"x","severity":"ERROR"})");
}

TEST(DatalayerValuesTest, EachTypeHasItsJson) {
    EXPECT_EQ(datalayer_value_json(DatalayerType::float64, "43.00"), "43.00");
    EXPECT_EQ(datalayer_value_json(DatalayerType::float32, "-0.5"), "-0.5");
    EXPECT_EQ(datalayer_value_json(DatalayerType::float64, " 7 \n"), "7");
    EXPECT_EQ(datalayer_value_json(DatalayerType::float64, "1e3"), "1e3");
    EXPECT_EQ(datalayer_value_json(DatalayerType::float64, "+1"), std::nullopt);  // from_chars takes no '+'
    EXPECT_EQ(datalayer_value_json(DatalayerType::int32, "41.6"), "42");
    EXPECT_EQ(datalayer_value_json(DatalayerType::int8, "-300"), "-128");
    EXPECT_EQ(datalayer_value_json(DatalayerType::uint8, "-3"), "0");
    EXPECT_EQ(datalayer_value_json(DatalayerType::uint16, "70000"), "65535");
    EXPECT_EQ(datalayer_value_json(DatalayerType::int64, "1e30"), "9223372036854775807");
    EXPECT_EQ(datalayer_value_json(DatalayerType::int64, "-1e30"), "-9223372036854775808");
    EXPECT_EQ(datalayer_value_json(DatalayerType::uint64, "1e30"), "18446744073709551615");
    EXPECT_EQ(datalayer_value_json(DatalayerType::uint32, "12"), "12");
    EXPECT_EQ(datalayer_value_json(DatalayerType::bool8, "0"), "false");
    EXPECT_EQ(datalayer_value_json(DatalayerType::bool8, "0.2"), "true");
    EXPECT_EQ(datalayer_value_json(DatalayerType::string, "say \"hi\"\n"), R"("say \"hi\"\n")");
    for (const char* text : {"", "abc", "nan", "inf", "12abc", "0x10"})
        EXPECT_EQ(datalayer_value_json(DatalayerType::int32, text), std::nullopt) << text;
}

TEST(DatalayerValuesTest, TimestampsAreFiletime) {
    // 2022-02-14 14:22:38.3335524 UTC, the value Telegraf's plugin tests convert.
    const auto time = Clock::time_point(std::chrono::duration_cast<Clock::duration>(
        std::chrono::seconds(1644848558) + std::chrono::nanoseconds(333552400)));
    EXPECT_EQ(filetime(time), 132893221583335524);
    EXPECT_EQ(filetime(Clock::time_point{}), 116444736000000000);
}

}  // namespace
}  // namespace evsim::producers
