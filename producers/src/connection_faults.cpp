#include "evsim/producers/connection_faults.hpp"

#include <algorithm>

#include "evsim/core/rng.hpp"

namespace evsim::producers {

using faults::Kind;

namespace {

bool applies_to_connection(const faults::FaultSpec& fault) {
    return fault.scope == faults::Scope::connection && faults::is_stream_fault(fault.kind);
}

}  // namespace

ConnectionFaults::ConnectionFaults(std::shared_ptr<const FaultPlan> plan, std::uint64_t connection_number,
                                   Clock::time_point opened)
    : plan_(std::move(plan)), opened_(opened) {
    clocks_.reserve(plan_->faults.size());
    for (std::size_t i = 0; i < plan_->faults.size(); ++i) {
        clocks_.emplace_back(plan_->faults[i].trigger, rng::derive_seed(plan_->seed, connection_number * 1000 + i));
    }
}

void ConnectionFaults::add(std::shared_ptr<const faults::FaultSpec> fault, std::uint64_t index) {
    if (pending_.size() >= max_pending) pending_.erase(pending_.begin());
    pending_.push_back({index, std::move(fault)});
}

std::size_t ConnectionFaults::on_deliver(std::uint64_t index) {
    std::size_t fired = 0;
    for (std::size_t i = 0; i < clocks_.size(); ++i) {
        const auto& fault = plan_->faults[i];
        if (!applies_to_connection(fault) || fault.trigger.at) continue;
        if (clocks_[i].count()) {
            add(std::shared_ptr<const faults::FaultSpec>(plan_, &fault), index);
            ++fired;
        }
    }
    return fired;
}

void ConnectionFaults::inject(std::shared_ptr<const faults::FaultSpec> fault, std::uint64_t index) {
    add(std::move(fault), index);
}

std::size_t ConnectionFaults::on_time(Clock::time_point now) {
    std::size_t fired = 0;
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - opened_);
    for (std::size_t i = 0; i < clocks_.size(); ++i) {
        const auto& fault = plan_->faults[i];
        if (!applies_to_connection(fault) || !fault.trigger.at) continue;
        if (clocks_[i].due(elapsed)) {
            add(std::shared_ptr<const faults::FaultSpec>(plan_, &fault), 0);  // 0: now, not tied to a message
            ++fired;
        }
    }
    return fired;
}

std::optional<ConnectionFaults::Clock::time_point> ConnectionFaults::next_due() const {
    std::optional<Clock::time_point> next;
    for (std::size_t i = 0; i < clocks_.size(); ++i) {
        const auto& fault = plan_->faults[i];
        if (!applies_to_connection(fault) || !fault.trigger.at || clocks_[i].fired() > 0) continue;
        const auto due = opened_ + std::chrono::duration_cast<Clock::duration>(*fault.trigger.at);
        if (!next || due < *next) next = due;
    }
    return next;
}

ConnectionFaults::WritePlan ConnectionFaults::plan_write(std::uint64_t index, std::size_t size, Clock::time_point now) {
    WritePlan plan;
    std::vector<std::size_t> cuts;
    std::chrono::microseconds split_gap{0};
    auto it = pending_.begin();
    while (it != pending_.end()) {
        const auto& fault = *it->fault;
        const bool mine = it->index <= index;
        if (mine && fault.kind == Kind::malformed) {
            plan.prefix += fault.bytes;
        } else if (mine && fault.kind == Kind::split) {
            for (const auto cut : fault.at_bytes) {
                if (cut < size) cuts.push_back(cut);
            }
            split_gap = fault.gap;
        } else if (mine && fault.kind == Kind::drip) {
            drip_until_ = now + std::chrono::duration_cast<Clock::duration>(fault.duration);
            drip_ = Drip{fault.chunk, fault.gap};
        } else {
            ++it;
            continue;
        }
        it = pending_.erase(it);
    }
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    std::size_t start = 0;
    for (const auto cut : cuts) {
        plan.pieces.push_back({start, cut - start, split_gap});
        start = cut;
    }
    plan.pieces.push_back({start, size - start, {}});
    if (drip_until_ && now >= *drip_until_) drip_until_.reset();
    if (drip_until_) {
        // Dripping cuts every piece again into chunks; the split pauses stay where they were.
        std::vector<Piece> chunks;
        for (const auto& piece : plan.pieces) {
            for (std::size_t at = 0; at < piece.size; at += drip_.chunk) {
                const auto chunk = std::min(drip_.chunk, piece.size - at);
                const bool last = at + chunk >= piece.size;
                chunks.push_back({piece.offset + at, chunk, last ? std::max(piece.pause_after, drip_.gap) : drip_.gap});
            }
        }
        plan.pieces = std::move(chunks);
    }
    return plan;
}

ConnectionFaults::After ConnectionFaults::after_write(std::uint64_t index, Clock::time_point now) {
    After after;
    auto it = pending_.begin();
    while (it != pending_.end()) {
        const auto& fault = *it->fault;
        if (it->index > index) {
            ++it;
            continue;
        }
        if (fault.kind == Kind::close) {
            after.close = true;
            after.close_code = fault.close_code;
        } else if (fault.kind == Kind::reset) {
            after.reset = true;
        } else if (fault.kind == Kind::stall) {
            const auto until = now + std::chrono::duration_cast<Clock::duration>(fault.duration);
            if (!after.stall_until || until > *after.stall_until) after.stall_until = until;
        } else {
            ++it;  // a before-write fault whose message has not been written yet
            continue;
        }
        it = pending_.erase(it);
    }
    return after;
}

bool ConnectionFaults::idle(Clock::time_point now) const {
    return pending_.empty() && (!drip_until_ || now >= *drip_until_);
}

}  // namespace evsim::producers
