#include "dialect_stream.hpp"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/field.hpp>
#include <sstream>

#include "evsim/producers/cors.hpp"

namespace evsim::producers {

Message dialect_stream_head(const scenario::CorsPolicy* cors, const Request& request, std::string_view first_bytes) {
    namespace http = boost::beast::http;
    http::response<http::empty_body> response{http::status::ok, 11};
    response.set(http::field::server, "evsim");
    response.set(http::field::content_type, "text/event-stream");
    response.set(http::field::cache_control, "no-cache");
    if (cors) apply_cors(*cors, request, response.base());
    std::ostringstream out;
    out << response.base() << first_bytes;
    return std::make_shared<const std::string>(std::move(out).str());
}

}  // namespace evsim::producers
