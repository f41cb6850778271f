#include "evsim/producers/push_emitter.hpp"

#include <utility>

namespace evsim::producers {
namespace {

std::shared_ptr<const HttpSessionContext> make_context(std::string protocol_name,
                                                       const std::shared_ptr<PushProtocol>& protocol,
                                                       const EmitterContext& context) {
    return std::make_shared<const HttpSessionContext>(HttpSessionContext{
        std::move(protocol_name),
        context.http,
        [protocol](const Request& request) { return protocol->handle(request); },
        context.log,
        protocol->connections,
        context.stats,
    });
}

}  // namespace

PushEmitter::PushEmitter(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                         std::string protocol_name, std::shared_ptr<PushProtocol> protocol, const EmitterContext& context)
    : protocol_(std::move(protocol)),
      server_(io, endpoint, make_context(std::move(protocol_name), protocol_, context)),
      timer_(PeriodicTimer::create(io, context.interval, [protocol = protocol_] { protocol->tick(); })) {}

PushEmitter::~PushEmitter() { stop(std::chrono::milliseconds(0)); }

void PushEmitter::start() {
    if (protocol_->stopped) return;
    protocol_->tick();  // the value every client receives on connect until the first interval passes
    server_.start();
    timer_->start();
}

void PushEmitter::stop(std::chrono::milliseconds grace) {
    if (protocol_->stopped) return;
    protocol_->stopped = true;
    timer_->stop();
    server_.stop(grace);
    protocol_->channel.clear();
}

}  // namespace evsim::producers
