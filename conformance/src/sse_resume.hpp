// sse.resume: does a reconnection with Last-Event-ID go on after that event? EventSource sends the
// last event ID it saw when it reconnects; a server that replays from there loses nothing across a
// dropped connection, one that ignores it loses what was sent meanwhile, one that starts over
// delivers duplicates. The spec leaves replay to the server, so the verdict is INFO.
#pragma once

#include <string>
#include <vector>

#include "evsim/conformance/check_result.hpp"
#include "stream_capture.hpp"

namespace evsim::conformance::detail {

// `request` is the first capture's; `first` what it captured; `ids` the distinct last-event-ID
// values its events carried, in order. Reconnects once (after a pause in which events go on, as
// they do while a client reconnects) and judges the first id of the new stream.
CheckResult resume_result(CaptureRequest request, const Capture& first, const std::vector<std::string>& ids);

}  // namespace evsim::conformance::detail
