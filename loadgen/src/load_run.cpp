#include "evsim/loadgen/load_run.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <algorithm>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "evsim/net/tls.hpp"
#include "source.hpp"

namespace evsim::loadgen {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// One virtual user: its browser pools and its sources, on one thread. Never moved (the sources
// keep references to its context).
struct VirtualUser {
    std::unique_ptr<detail::BrowserPools> pools;
    std::unique_ptr<detail::SourceContext> context;
    std::vector<std::unique_ptr<detail::Source>> sources;
};

struct Worker {
    asio::io_context io{1};
    std::shared_ptr<asio::ssl::context> tls =
        std::make_shared<asio::ssl::context>(net::make_client_tls_context({}));
    asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
    Recorder recorder;
    std::unordered_map<std::uint64_t, std::unique_ptr<VirtualUser>> vus;  // by session index
    std::thread thread;
};

}  // namespace

struct LoadRun::Impl {
    Impl(const scenario::LoadSpec& l, std::vector<TargetGroup> g, Schedule sc, LoadRunOptions o)
        : load(l), groups(std::move(g)), schedule(std::move(sc)), options(std::move(o)) {}

    const scenario::LoadSpec& load;
    std::vector<TargetGroup> groups;
    std::vector<std::vector<detail::ResolvedSource>> resolved;  // per group
    Schedule schedule;
    LoadRunOptions options;
    Gauges gauges;
    std::vector<std::unique_ptr<Worker>> workers;

    std::mutex mutex;
    std::condition_variable wake;
    bool stop_requested = false;
    std::string stop_reason;

    void start_vu(Worker& worker, std::uint64_t index);
    void stop_vu(Worker& worker, std::uint64_t index);
    Sample sample(double at_s, double span_s, Progress& progress);
    Results collect(double elapsed_s);
    bool breached(std::string& which);
};

void LoadRun::Impl::start_vu(Worker& worker, std::uint64_t index) {
    const VuSession& session = schedule.sessions[index];
    auto vu = std::make_unique<VirtualUser>();
    if (groups[session.group].browser) vu->pools = std::make_unique<detail::BrowserPools>();
    vu->context = std::make_unique<detail::SourceContext>(
        detail::SourceContext{worker.io.get_executor(), worker.recorder, gauges, vu->pools.get(), worker.tls});
    worker.recorder.vu_started();
    gauges.vus.add(1);
    for (const auto& source : resolved[session.group]) {
        // The URLs were checked in the constructor; anything else a source refuses is counted, not
        // thrown through the event loop.
        try {
            vu->sources.push_back(detail::make_source(source, *vu->context));
        } catch (const std::exception&) {
            worker.recorder.connect_failed("source.invalid");
            continue;
        }
        vu->sources.back()->start();
    }
    worker.vus.emplace(index, std::move(vu));
}

void LoadRun::Impl::stop_vu(Worker& worker, std::uint64_t index) {
    const auto it = worker.vus.find(index);
    if (it == worker.vus.end()) return;
    // Stop in reverse order: a source waiting for a pool slot is withdrawn before the holders
    // give theirs back, so nothing is granted to a source that is about to stop.
    for (auto s = it->second->sources.rbegin(); s != it->second->sources.rend(); ++s) (*s)->stop();
    gauges.vus.add(-1);
    worker.vus.erase(it);
}

Sample LoadRun::Impl::sample(double at_s, double span_s, Progress& progress) {
    Interval slice;
    for (auto& w : workers) w->recorder.take_interval(slice);
    Sample s;
    s.at_s = at_s;
    s.span_s = span_s;
    s.events = slice.events;
    s.bytes = slice.bytes;
    s.fetch_requests = slice.fetch_requests;
    s.vus = gauges.vus.value();
    s.open = gauges.open.value();
    s.pending = gauges.pending.value();
    s.latency_p50 = slice.latency.value_at_percentile(50);
    s.latency_p90 = slice.latency.value_at_percentile(90);
    s.latency_p99 = slice.latency.value_at_percentile(99);
    s.latency_max = slice.latency.max();
    s.fetch_p99 = slice.fetch_latency.value_at_percentile(99);
    progress.elapsed_s = at_s;
    progress.vus = s.vus;
    progress.open = s.open;
    progress.pending = s.pending;
    progress.events += s.events;
    progress.failures += slice.failures;
    progress.events_per_s = span_s > 0 ? static_cast<double>(s.events) / span_s : 0;
    progress.latency_p99 = s.latency_p99;
    return s;
}

Results LoadRun::Impl::collect(double elapsed_s) {
    Results r;
    for (auto& w : workers) r.metrics.merge(w->recorder.snapshot());
    r.peak_vus = gauges.vus.peak();
    r.peak_open = gauges.open.peak();
    r.peak_pending = gauges.pending.peak();
    r.dropped_arrivals = schedule.dropped_arrivals;
    r.planned_s = std::chrono::duration<double>(schedule.end).count();
    r.elapsed_s = elapsed_s;
    return r;
}

// With abort_on_breach: an upper bound (< or <=) already crossed cannot come back, so the run can
// stop early. Lower bounds are only judged at the end (a count grows during the run).
bool LoadRun::Impl::breached(std::string& which) {
    if (!load.abort_on_breach) return false;
    Results now = collect(0);
    for (const auto& t : load.thresholds) {
        if (t.rule.op != threshold::Op::less && t.rule.op != threshold::Op::less_equal) continue;
        const auto value = metric_value(now, t.rule.metric);
        if (value && !threshold::evaluate(t.rule, *value).passed) {
            which = t.rule.text;
            return true;
        }
    }
    return false;
}

LoadRun::LoadRun(const scenario::LoadSpec& load, std::vector<TargetGroup> groups, Schedule schedule,
                 LoadRunOptions options)
    : impl_(std::make_unique<Impl>(load, std::move(groups), std::move(schedule), std::move(options))) {
    // Check every source's URL now, so a mistake is reported before anything connects.
    for (const auto& group : impl_->groups) {
        auto& list = impl_->resolved.emplace_back();
        for (const auto& source : group.sources) {
            detail::ResolvedSource r{source.spec.type, source.spec.url,       source.spec.interval,
                                     source.spec.timeout, source.spec.reconnect, source.spec.headers,
                                     source.spec.insecure};
            try {
                detail::check_source_url(r);
            } catch (const std::exception& e) {
                throw std::invalid_argument("group '" + group.name + "', source " + source.label + ": " + e.what());
            }
            list.push_back(std::move(r));
        }
    }
    std::size_t threads = impl_->options.threads;
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    for (std::size_t i = 0; i < threads; ++i) impl_->workers.push_back(std::make_unique<Worker>());
}

LoadRun::~LoadRun() {
    for (auto& w : impl_->workers) {
        w->guard.reset();
        w->io.stop();
        if (w->thread.joinable()) w->thread.join();
    }
}

void LoadRun::stop(const std::string& reason) {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->stop_requested) impl_->stop_reason = reason;
    impl_->stop_requested = true;
    impl_->wake.notify_all();
}

Results LoadRun::run() {
    Impl& s = *impl_;
    for (auto& w : s.workers) w->thread = std::thread([&io = w->io] { io.run(); });

    // The stops, in time order: (stop time, session index).
    std::vector<std::pair<std::chrono::microseconds, std::uint64_t>> stops;
    stops.reserve(s.schedule.sessions.size());
    for (std::uint64_t i = 0; i < s.schedule.sessions.size(); ++i) stops.emplace_back(s.schedule.sessions[i].stop, i);
    std::sort(stops.begin(), stops.end());

    const auto begin = Clock::now();
    const auto end = begin + s.schedule.end;
    auto next_sample = begin + s.options.sample_interval;
    auto last_sample = begin;
    std::size_t next_start = 0, next_stop = 0;
    Progress progress;
    progress.planned_s = std::chrono::duration<double>(s.schedule.end).count();
    std::vector<Sample> series;
    std::string stop_reason;
    const auto worker_of = [&](std::uint64_t index) -> Worker& { return *s.workers[index % s.workers.size()]; };

    for (;;) {
        const auto now = Clock::now();
        // Stops first at equal times, so a ramp-down frees its slot before a later start takes one.
        while (next_stop < stops.size() && begin + stops[next_stop].first <= now) {
            const std::uint64_t index = stops[next_stop++].second;
            Worker& w = worker_of(index);
            asio::post(w.io, [&s, &w, index] { s.stop_vu(w, index); });
        }
        while (next_start < s.schedule.sessions.size() && begin + s.schedule.sessions[next_start].start <= now) {
            const std::uint64_t index = next_start++;
            if (s.schedule.sessions[index].stop <= s.schedule.sessions[index].start) continue;
            Worker& w = worker_of(index);
            w.recorder.schedule_lag(detail::micros_between(begin + s.schedule.sessions[index].start, now));
            asio::post(w.io, [&s, &w, index] { s.start_vu(w, index); });
        }
        if (now >= next_sample) {
            const double at = std::chrono::duration<double>(now - begin).count();
            series.push_back(s.sample(at, std::chrono::duration<double>(now - last_sample).count(), progress));
            last_sample = now;
            next_sample += s.options.sample_interval;
            if (next_sample <= now) next_sample = now + s.options.sample_interval;
            if (s.options.on_progress) s.options.on_progress(progress);
            std::string which;
            if (s.breached(which)) {
                stop("threshold breached: " + which);
            }
        }
        if (now >= end && next_stop == stops.size()) break;
        auto until = std::min(end, next_sample);
        if (next_start < s.schedule.sessions.size()) until = std::min(until, begin + s.schedule.sessions[next_start].start);
        if (next_stop < stops.size()) until = std::min(until, begin + stops[next_stop].first);
        std::unique_lock lock(s.mutex);
        if (s.wake.wait_until(lock, until, [&] { return s.stop_requested; })) {
            stop_reason = s.stop_reason;
            break;
        }
    }

    // Stop every VU on its own thread and wait until each thread has done so.
    std::vector<std::future<void>> done;
    for (auto& w : s.workers) {
        std::promise<void> promise;
        done.push_back(promise.get_future());
        asio::post(w->io, [&s, &w = *w, promise = std::move(promise)]() mutable {
            std::vector<std::uint64_t> indexes;
            for (const auto& [index, vu] : w.vus) indexes.push_back(index);
            for (const auto index : indexes) s.stop_vu(w, index);
            promise.set_value();
        });
    }
    for (auto& f : done) f.wait();
    const auto finished = Clock::now();
    const double elapsed = std::chrono::duration<double>(finished - begin).count();
    series.push_back(s.sample(elapsed, std::chrono::duration<double>(finished - last_sample).count(), progress));
    for (auto& w : s.workers) {
        w->guard.reset();
        w->io.stop();
        w->thread.join();
    }
    Results results = s.collect(elapsed);
    results.series = std::move(series);
    results.interrupted = !stop_reason.empty();
    results.stop_reason = stop_reason;
    evaluate_thresholds(s.load, results);
    return results;
}

}  // namespace evsim::loadgen
