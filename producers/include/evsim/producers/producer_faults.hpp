// The faults a producer decides as a whole: request faults (counted per producer), producer-scope
// stream faults (one count, every connection faulted at once), FILE faults, `at` triggers measured
// from the producer's start, and faults armed through the control API. Connection-scope stream
// faults are counted by each connection (ConnectionFaults) from the plan this hands out.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "evsim/core/faults.hpp"
#include "evsim/producers/connection_faults.hpp"

namespace evsim::producers {

class ProducerFaults {
public:
    ProducerFaults(std::vector<faults::FaultSpec> faults, std::uint64_t seed);

    // For the producer's sessions; null when the scenario gives the producer no faults.
    const std::shared_ptr<const FaultPlan>& plan() const noexcept { return plan_; }
    bool any() const noexcept { return plan_ != nullptr; }

    // Counts one request; the request fault to answer it with, if one fires (armed ones first, one
    // request each, in the order they were armed).
    std::shared_ptr<const faults::FaultSpec> on_request();
    // Counts one event; the producer-scope stream faults and FILE faults that fire on it.
    std::vector<std::shared_ptr<const faults::FaultSpec>> on_event();
    // `at` triggers due `elapsed` after the start: stream and FILE faults are returned (to apply
    // now), request faults are armed for the next request.
    std::vector<std::shared_ptr<const faults::FaultSpec>> on_time(std::chrono::microseconds elapsed);
    // The earliest `at` that has not fired, measured from the start.
    std::optional<std::chrono::microseconds> next_due() const;

    // A fault from the control API: request and FILE faults wait for the next request or write.
    void arm(std::shared_ptr<const faults::FaultSpec> fault);
    // The armed FILE fault, if any (taken).
    std::shared_ptr<const faults::FaultSpec> take_armed_write();

private:
    bool counted_here(const faults::FaultSpec& fault) const;
    std::shared_ptr<const faults::FaultSpec> entry(std::size_t i) const;

    std::shared_ptr<const FaultPlan> plan_;
    std::vector<faults::FaultClock> clocks_;
    static constexpr std::size_t max_armed = 64;
    void arm_request(std::shared_ptr<const faults::FaultSpec> fault);

    std::deque<std::shared_ptr<const faults::FaultSpec>> armed_requests_;  // the next requests' faults, in order
    std::shared_ptr<const faults::FaultSpec> armed_write_;
};

}  // namespace evsim::producers
