// The Source for kinds written as one coroutine (WebSocket, fetch, file): the state lives in a
// shared Impl that the coroutine keeps alive until it has seen stop(), so the Source itself (owned
// by the VU) can go at once. Impl provides a constructor from (ResolvedSource, SourceContext&), a
// `context` member, `run()` returning an awaitable and `stop()`.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <memory>

#include "source.hpp"

namespace evsim::loadgen::detail {

template <class Impl>
class CoroutineSource final : public Source {
public:
    CoroutineSource(const ResolvedSource& source, SourceContext& context)
        : impl_(std::make_shared<Impl>(source, context)) {}
    ~CoroutineSource() override { stop(); }
    CoroutineSource(const CoroutineSource&) = delete;
    CoroutineSource& operator=(const CoroutineSource&) = delete;

    void start() override {
        boost::asio::co_spawn(impl_->context.executor, [impl = impl_] { return impl->run(); }, boost::asio::detached);
    }
    void stop() override { impl_->stop(); }

private:
    std::shared_ptr<Impl> impl_;
};

}  // namespace evsim::loadgen::detail
