#include "evsim/producers/file_producer.hpp"

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "evsim/core/file_format.hpp"
#include "evsim/producers/atomic_file.hpp"
#include "evsim/producers/event_feed.hpp"
#include "evsim/producers/producer_faults.hpp"
#include "evsim/producers/push_producer.hpp"

namespace evsim::producers {

namespace {

class FileProducerImpl final : public Producer, public std::enable_shared_from_this<FileProducerImpl> {
public:
    FileProducerImpl(boost::asio::io_context& io, const scenario::ProducerSpec& spec, const ProducerContext& context)
        : Producer(spec, context.stats),
          io_(io),
          context_(context),
          path_(file_producer_path(spec_)),
          faults_(spec_.faults, context.seed),
          torn_timer_(io) {
        cadence::validate(spec_.cadence);
        payload::validate(spec_.payload);
        for (const auto& name : spec_.events) (void)file_format::write(file_format::Record{name, ""});
    }

    // The first write happens here, synchronously: a bad path is reported at start-up.
    void start() override {
        if (stopped_ || feed_) return;
        starting_ = true;
        started_at_ = std::chrono::steady_clock::now();
        feed_ = EventFeed::create(io_, feed_options(spec_, context_), [weak = weak_from_this()](const FeedEvent& event) {
            if (auto self = weak.lock()) self->on_event(event);
        });
        try {
            feed_->start();
        } catch (...) {
            feed_->stop();
            throw;
        }
        starting_ = false;
    }

    void stop(std::chrono::milliseconds) override {
        stopped_ = true;
        if (feed_) feed_->stop();
        torn_timer_.cancel();
    }

    void publish(std::string_view type, std::string_view data, measurement::DataForm form) override {
        if (feed_) feed_->publish(type, data, form);
    }

    std::size_t clients() const override { return 0; }

    void inject_fault(std::shared_ptr<const faults::FaultSpec> fault) override { faults_.arm(std::move(fault)); }

private:
    void on_event(const FeedEvent& event) {
        count(stats_->events_published);
        std::string data;
        if (spec_.measurement_metadata) {
            measurement::append_envelope(data, event.stamp, event.data, event.form);
        } else {
            data.assign(event.data);
        }
        const std::string name = event.type.empty() ? std::string("temperature_file") : std::string(event.type);
        auto it = std::find_if(latest_.begin(), latest_.end(), [&](const auto& r) { return r.event == name; });
        if (it == latest_.end()) {
            if (latest_.size() >= 64) return;  // names published through the control API are bounded too
            latest_.push_back(file_format::Record{name, std::move(data)});
        } else {
            it->data = std::move(data);
        }
        // Every event rewrites the file: each version holds the latest value of every name.
        write(starting_);
    }

    // The torn write a fault asks for on this write, if any.
    std::shared_ptr<const faults::FaultSpec> torn_write_fault() {
        if (!faults_.any()) return faults_.take_armed_write();
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_at_);
        auto fired = faults_.on_time(elapsed);
        for (auto& fault : faults_.on_event()) fired.push_back(std::move(fault));
        if (auto armed = faults_.take_armed_write()) fired.push_back(std::move(armed));
        return fired.empty() ? nullptr : fired.front();
    }

    // The first half now, in place (truncating), the second `duration` later: a reader polling
    // meanwhile sees a torn record. Writes in between wait for it (they are skipped).
    void tear(const std::string& content, const faults::FaultSpec& fault) {
        const auto half = content.size() / 2;
        rewrite_file_in_place(path_, std::string_view(content).substr(0, half));
        tearing_ = true;
        torn_timer_.expires_after(fault.duration);
        torn_timer_.async_wait([weak = weak_from_this(), content](const boost::system::error_code& error) {
            auto self = weak.lock();
            if (error || !self || self->stopped_) return;
            self->tearing_ = false;
            try {
                rewrite_file_in_place(self->path_, content);
            } catch (const std::exception& e) {
                self->context_.log("file " + self->path_.string() + ": " + e.what());
            }
        });
    }

    void write(bool at_start) {
        if (tearing_) return;  // a torn write is in progress: its second half comes first
        try {
            const auto content = file_format::write(latest_);
            if (!at_start) {
                if (const auto fault = torn_write_fault()) {
                    count(stats_->faults_injected);
                    tear(content, *fault);
                    return;
                }
            }
            if (spec_.file.atomic) {
                replace_file_atomically(path_, content);
            } else {
                rewrite_file_in_place(path_, content);
            }
            count(stats_->bytes_sent, content.size());
            if (failing_) context_.log("file " + path_.string() + ": writing again");
            failing_ = false;
        } catch (const std::system_error& e) {
            // The error names the temporary file; at start, say which file it was for.
            if (at_start) throw std::system_error(e.code(), "cannot write file " + path_.string());
            // Once per failure streak: a full disk must not flood stderr every interval.
            if (!failing_) context_.log("file " + path_.string() + ": " + e.what() + " (will keep trying)");
            failing_ = true;
        }
    }

    boost::asio::io_context& io_;
    ProducerContext context_;
    std::filesystem::path path_;
    std::shared_ptr<EventFeed> feed_;
    std::vector<file_format::Record> latest_;
    ProducerFaults faults_;
    boost::asio::steady_timer torn_timer_;
    std::chrono::steady_clock::time_point started_at_;
    bool tearing_ = false;
    bool starting_ = false;
    bool failing_ = false;
    bool stopped_ = false;
};

}  // namespace

std::shared_ptr<Producer> make_file_producer(boost::asio::io_context& io, const scenario::ProducerSpec& spec,
                                             const ProducerContext& context) {
    return std::make_shared<FileProducerImpl>(io, spec, context);
}

std::filesystem::path file_producer_path(const scenario::ProducerSpec& spec) {
    return spec.file.path.empty() ? default_file_path() : std::filesystem::path(spec.file.path);
}

void rewrite_file_in_place(const std::filesystem::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (out) out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (out) out.flush();
    if (!out) throw std::system_error(errno ? errno : EIO, std::generic_category(), "cannot write " + path.string());
}

}  // namespace evsim::producers
