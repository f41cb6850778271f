#include "evsim/producers/producer_faults.hpp"

#include "evsim/core/rng.hpp"

namespace evsim::producers {

using faults::Kind;

ProducerFaults::ProducerFaults(std::vector<faults::FaultSpec> faults, std::uint64_t seed) {
    if (faults.empty()) return;
    auto plan = std::make_shared<FaultPlan>();
    plan->faults = std::move(faults);
    plan->seed = rng::derive_seed(seed, 0xfa017);
    for (std::size_t i = 0; i < plan->faults.size(); ++i) {
        clocks_.emplace_back(plan->faults[i].trigger, rng::derive_seed(plan->seed, i));
    }
    plan_ = std::move(plan);
}

bool ProducerFaults::counted_here(const faults::FaultSpec& fault) const {
    return faults::is_request_fault(fault.kind) || fault.kind == Kind::torn_write ||
           fault.scope == faults::Scope::producer;
}

std::shared_ptr<const faults::FaultSpec> ProducerFaults::entry(std::size_t i) const {
    return {plan_, &plan_->faults[i]};  // aliasing: keeps the plan alive, no allocation
}

std::shared_ptr<const faults::FaultSpec> ProducerFaults::on_request() {
    std::shared_ptr<const faults::FaultSpec> fired;
    if (!armed_requests_.empty()) {
        fired = std::move(armed_requests_.front());
        armed_requests_.pop_front();
    }
    for (std::size_t i = 0; i < clocks_.size(); ++i) {
        const auto& fault = plan_->faults[i];
        if (!faults::is_request_fault(fault.kind) || fault.trigger.at) continue;
        // Every clock counts the request, even when an earlier fault already fired on it.
        if (clocks_[i].count() && !fired) fired = entry(i);
    }
    return fired;
}

std::vector<std::shared_ptr<const faults::FaultSpec>> ProducerFaults::on_event() {
    std::vector<std::shared_ptr<const faults::FaultSpec>> fired;
    for (std::size_t i = 0; i < clocks_.size(); ++i) {
        const auto& fault = plan_->faults[i];
        if (faults::is_request_fault(fault.kind) || !counted_here(fault) || fault.trigger.at) continue;
        if (clocks_[i].count()) fired.push_back(entry(i));
    }
    return fired;
}

std::vector<std::shared_ptr<const faults::FaultSpec>> ProducerFaults::on_time(std::chrono::microseconds elapsed) {
    std::vector<std::shared_ptr<const faults::FaultSpec>> fired;
    for (std::size_t i = 0; i < clocks_.size(); ++i) {
        const auto& fault = plan_->faults[i];
        if (!counted_here(fault) || !fault.trigger.at || !clocks_[i].due(elapsed)) continue;
        if (faults::is_request_fault(fault.kind)) {
            arm_request(entry(i));
        } else {
            fired.push_back(entry(i));
        }
    }
    return fired;
}

std::optional<std::chrono::microseconds> ProducerFaults::next_due() const {
    std::optional<std::chrono::microseconds> next;
    for (std::size_t i = 0; i < clocks_.size(); ++i) {
        const auto& fault = plan_->faults[i];
        if (!counted_here(fault) || !fault.trigger.at || clocks_[i].fired() > 0) continue;
        if (!next || *fault.trigger.at < *next) next = *fault.trigger.at;
    }
    return next;
}

void ProducerFaults::arm(std::shared_ptr<const faults::FaultSpec> fault) {
    if (fault->kind == Kind::torn_write) {
        armed_write_ = std::move(fault);
    } else {
        arm_request(std::move(fault));
    }
}

void ProducerFaults::arm_request(std::shared_ptr<const faults::FaultSpec> fault) {
    // Each armed fault answers one request of its own, in order; bounded, so a control API client
    // arming faults in a loop with no requests coming holds a fixed amount of memory.
    if (armed_requests_.size() >= max_armed) armed_requests_.pop_front();
    armed_requests_.push_back(std::move(fault));
}

std::shared_ptr<const faults::FaultSpec> ProducerFaults::take_armed_write() {
    auto fault = std::move(armed_write_);
    armed_write_.reset();
    return fault;
}

}  // namespace evsim::producers
