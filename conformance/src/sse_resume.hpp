// sse.resume: does a reconnection with Last-Event-ID go on after that event? EventSource sends the
// last event ID it saw when it reconnects; a server that replays from there loses nothing across a
// dropped connection, one that ignores it loses what was sent meanwhile, one that starts over
// delivers duplicates. The spec leaves replay to the server, so the verdict is INFO.
#pragma once

#include "evsim/conformance/check_result.hpp"
#include "stream_capture.hpp"

namespace evsim::conformance::detail {

// `request` is the first capture's, `first` what it captured. Reconnects once with the last id
// seen, after a pause of about two event intervals (as events go on while a client reconnects, a
// server that ignores Last-Event-ID then shows a gap), and judges the first id of the new stream.
// Only a numeric next id after a pause long enough for events to have happened is a PASS.
CheckResult resume_result(CaptureRequest request, const Capture& first);

}  // namespace evsim::conformance::detail
