// The ctrlx-datalayer dialect in scenarios: its defaults (TLS on, the delivery-state user), the
// `datalayer:` block, and each mistake reported at its place.
#include <gtest/gtest.h>

#include "evsim/core/scenario.hpp"

namespace sc = evsim::scenario;

namespace {

std::string plc(const std::string& body) { return "producers:\n  - name: plc\n    type: ctrlx-datalayer\n" + body; }

std::string error_of(const std::string& yaml) {
    try {
        sc::parse_scenario(yaml, "d.yaml");
    } catch (const sc::ScenarioError& e) {
        return e.what();
    }
    return "no error";
}

TEST(ScenarioDatalayer, DefaultsAreTheControllersDeliveryState) {
    const auto p = sc::parse_scenario(plc(""), "d.yaml").producers[0];
    EXPECT_EQ(p.dialect, sc::Dialect::ctrlx_datalayer);
    EXPECT_EQ(p.type, sc::ProducerType::sse);
    EXPECT_TRUE(p.tls);
    EXPECT_EQ(p.cors.allow_headers, (std::vector<std::string>{"Authorization", "Content-Type"}));
    ASSERT_EQ(p.datalayer.users.size(), 1U);
    EXPECT_EQ(p.datalayer.users[0].name, "boschrexroth");
    EXPECT_EQ(p.datalayer.users[0].password, "boschrexroth");
    EXPECT_EQ(p.datalayer.token_lifetime, std::chrono::hours(2));
    EXPECT_EQ(p.datalayer.inactive_timeout, std::chrono::seconds(60));
    EXPECT_TRUE(p.datalayer.nodes.empty());  // the producer's example nodes
    EXPECT_EQ(std::get<evsim::cadence::FixedInterval>(p.cadence).interval, std::chrono::seconds(1));
    EXPECT_FALSE(sc::parse_scenario(plc("    tls: false\n"), "d.yaml").producers[0].tls);
}

TEST(ScenarioDatalayer, UsersLimitsAndNodesWithTypesAndGenerators) {
    const auto p = sc::parse_scenario(plc(R"(    listen: 8443
    cadence: every 250ms
    datalayer:
      users: [{name: operator, password: "op 1"}, {name: viewer, password: v}]
      token_lifetime: 15m
      inactive_timeout: 5s
      max_subscriptions: 20
      nodes:
        - {address: plc/app/Application/sym/PLC_PRG/counter, type: int64, payload: {counter: {start: 100}}}
        - {address: line/state, type: string, payload: {constant: {text: running}}}
        - {address: line/on, type: bool8}
        - {address: line/temp}
)"),
                                      "d.yaml")
                       .producers[0];
    EXPECT_EQ(p.port, 8443);
    EXPECT_EQ(std::get<evsim::cadence::FixedInterval>(p.cadence).interval, std::chrono::milliseconds(250));
    ASSERT_EQ(p.datalayer.users.size(), 2U);
    EXPECT_EQ(p.datalayer.users[0].password, "op 1");
    EXPECT_EQ(p.datalayer.token_lifetime, std::chrono::minutes(15));
    EXPECT_EQ(p.datalayer.inactive_timeout, std::chrono::seconds(5));
    EXPECT_EQ(p.datalayer.max_subscriptions, 20U);
    ASSERT_EQ(p.datalayer.nodes.size(), 4U);
    EXPECT_EQ(p.datalayer.nodes[0].type, sc::DatalayerType::int64);
    EXPECT_EQ(std::get<evsim::payload::Counter>(p.datalayer.nodes[0].payload).start, 100);
    EXPECT_EQ(p.datalayer.nodes[1].type, sc::DatalayerType::string);
    EXPECT_EQ(p.datalayer.nodes[2].type, sc::DatalayerType::bool8);
    EXPECT_TRUE(std::holds_alternative<evsim::payload::RandomInt>(p.datalayer.nodes[2].payload));  // 0 or 1
    EXPECT_EQ(p.datalayer.nodes[3].type, sc::DatalayerType::float64);
}

TEST(ScenarioDatalayer, TypeNamesAreTheWireNames) {
    for (const char* name : {"bool8", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float",
                             "double", "string"}) {
        const auto type = sc::datalayer_type_named(name);
        ASSERT_TRUE(type) << name;
        EXPECT_EQ(sc::to_string(*type), name);
    }
    EXPECT_FALSE(sc::datalayer_type_named("float64"));
}

TEST(ScenarioDatalayer, Mistakes) {
    EXPECT_EQ(error_of(plc("    path: /x\n")),
              "d.yaml:4:11: path: ctrlx-datalayer producers serve the controller's own routes and give each node its own "
              "payload; they take listen, tls, cors, queue, cadence (how often node values change) and datalayer");
    EXPECT_EQ(error_of(plc("    payload: {counter: {}}\n")).substr(0, 24), "d.yaml:4:14: payload: ct");
    EXPECT_EQ(error_of("producers:\n  - name: p\n    type: sse\n    datalayer: {}\n"),
              "d.yaml:4:16: datalayer: settings for ctrlx-datalayer producers, but this producer is sse");
    EXPECT_EQ(error_of(plc("    datalayer: {userz: []}\n")),
              "d.yaml:4:17: unknown key 'userz' in datalayer (did you mean 'users'?)");
    EXPECT_EQ(error_of(plc("    datalayer: {users: []}\n")),
              "d.yaml:4:24: datalayer.users: expected a list of at least one {name: NAME, password: PASSWORD}");
    EXPECT_EQ(error_of(plc("    datalayer: {users: [{name: a}]}\n")), "d.yaml:4:25: user: missing required key 'password'");
    EXPECT_EQ(error_of(plc("    datalayer: {users: [{name: a, password: b}, {name: a, password: c}]}\n")),
              "d.yaml:4:56: name: user 'a' is listed twice");
    EXPECT_EQ(error_of(plc("    datalayer: {token_lifetime: 0s}\n")),
              "d.yaml:4:33: datalayer.token_lifetime: must be between 1s and 30 days");
    EXPECT_EQ(error_of(plc("    datalayer: {inactive_timeout: 2d}\n")).substr(0, 40),
              "d.yaml:4:35: datalayer.inactive_timeout:");
    EXPECT_EQ(error_of(plc("    datalayer: {nodes: [{address: /abs}]}\n")).substr(0, 36),
              "d.yaml:4:35: address: '/abs' must be");
    EXPECT_EQ(error_of(plc("    datalayer: {nodes: [{address: 'a,b'}]}\n")).substr(0, 35),
              "d.yaml:4:35: address: 'a,b' must be");
    EXPECT_EQ(error_of(plc("    datalayer: {nodes: [{address: a}, {address: a}]}\n")),
              "d.yaml:4:49: address: node 'a' is listed twice");
    EXPECT_EQ(error_of(plc("    datalayer: {nodes: [{address: a, type: float64}]}\n")),
              "d.yaml:4:44: type: expected bool8, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float, "
              "double or string, got 'float64'");
    EXPECT_EQ(error_of(plc("    datalayer: {nodes: [{address: a, type: int32, payload: {constant: {text: hi}}}]}\n")),
              "d.yaml:4:60: payload: a int32 node needs a numeric generator (random_int, random_float, random_walk, sine, "
              "counter)");
    EXPECT_EQ(error_of(plc("    datalayer: {nodes: [{address: a, payload: {random_int: {min: 5, max: 1}}}]}\n")).substr(0, 35),
              "d.yaml:4:47: payload: random_int: m");
}

}  // namespace
