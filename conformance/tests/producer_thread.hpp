// One evsim producer on 127.0.0.1 port 0, run on its own thread for a test's duration: the real
// server the conformance tests check; and the verdicts of a check run by id.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "evsim/conformance/check_result.hpp"
#include "evsim/producers/producer_set.hpp"

namespace evsim::conformance::test {

class ProducerThread {
public:
    explicit ProducerThread(scenario::ProducerSpec spec) {
        scenario::Scenario scenario;
        scenario.source = "test";
        scenario.producers = {std::move(spec)};
        producers::ProducerSetOptions options;
        options.seed = 1;
        options.log = producers::null_log();
        set_.emplace(io_, scenario, options);
        set_->start();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~ProducerThread() {
        boost::asio::post(io_, [this] { set_->stop(); });
        thread_.join();
    }
    ProducerThread(const ProducerThread&) = delete;
    ProducerThread& operator=(const ProducerThread&) = delete;

    // The producer's URL plus `path`.
    std::string url(const std::string& path = "/") const { return set_->urls().front().url + path; }

private:
    boost::asio::io_context io_;
    std::optional<producers::ProducerSet> set_;
    std::thread thread_;
};

// Each check's verdict by id.
inline std::map<std::string, Verdict> verdicts(const std::vector<CheckResult>& results) {
    std::map<std::string, Verdict> out;
    for (const auto& r : results) out[r.id] = r.verdict;
    return out;
}

// The result with this id (the results must outlive the reference); throws when there is none.
inline const CheckResult& result_of(const std::vector<CheckResult>& results, const std::string& id) {
    for (const auto& r : results)
        if (r.id == id) return r;
    throw std::runtime_error("no result " + id);
}

}  // namespace evsim::conformance::test
