// JSON written the way Python's json.dumps writes it with its defaults (ensure_ascii, separators
// ", " and ": ", floats as repr): the Python event-source library re-serialises pushed JSON that
// way, so its emulation must too.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace evsim::producers {

std::string python_json_dumps(const boost::json::value& value);

}  // namespace evsim::producers
