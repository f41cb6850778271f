// A FETCH entry's request options. The dashboard hands them to the browser's fetch(), so what
// matters is what the browser will send: the method, which headers force a CORS preflight, and
// combinations the browser refuses outright (those become notes, since the producer cannot fix them).
#include <algorithm>
#include <array>

#include "dashboard_parts.hpp"

namespace evsim::dashboard::detail {
namespace {

// The methods the scenario loader accepts for fetch producers (docs/scenarios.md).
constexpr std::array<std::string_view, 6> served_methods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
// fetch() upper-cases only these; any other method goes out exactly as written.
constexpr std::array<std::string_view, 6> normalised_methods = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"};

std::string ascii_case(std::string_view s, bool upper) {
    std::string out(s);
    for (char& ch : out) {
        if (upper && ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
        if (!upper && ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
    return out;
}

bool contains(auto const& list, std::string_view s) { return std::find(list.begin(), list.end(), s) != list.end(); }

// RFC 9110 token: what a header name must be, or fetch() throws.
bool is_token(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
}

// Fetch's CORS-safelisted request headers need no Access-Control-Allow-Headers; the rest do, or
// the preflight fails. (The value-length rules of the safelist are left out: they are for abuse.)
bool is_safelisted(std::string_view lower_name, const js::Value& value) {
    if (lower_name == "accept" || lower_name == "accept-language" || lower_name == "content-language") return true;
    if (lower_name != "content-type" || !value.is_string()) return false;
    std::string essence = ascii_case(value.as_string(), false);
    essence = essence.substr(0, essence.find(';'));
    while (!essence.empty() && essence.back() == ' ') essence.pop_back();
    while (!essence.empty() && essence.front() == ' ') essence.erase(0, 1);
    return essence == "application/x-www-form-urlencoded" || essence == "multipart/form-data" ||
           essence == "text/plain";
}

std::string read_method(const js::Value& object, DashboardEntry& entry) {
    const js::Value* v = object.find("method");
    if (v == nullptr || v->is_nullish()) return "GET";
    if (!v->is_string()) throw Skip{"'method' must be a string, got " + js::describe(*v)};
    const std::string method = ascii_case(v->as_string(), true);
    if (!contains(served_methods, method))
        throw Skip{"method " + in_quotes(v->as_string()) + " is not served (GET, HEAD, POST, PUT, PATCH, DELETE)"};
    if (v->as_string() != method && !contains(normalised_methods, method))
        entry.notes.push_back("method " + in_quotes(v->as_string()) + " is sent as written (browsers upper-case only " +
                              "DELETE, GET, HEAD, OPTIONS, POST, PUT); the producer answers " + method);
    return method;
}

void read_headers(const js::Value& object, DashboardEntry& entry, scenario::CorsPolicy& cors) {
    const js::Value* v = object.find("headers");
    if (v == nullptr || v->is_nullish()) return;
    if (!v->is_object()) {
        entry.notes.push_back("'headers' is " + js::describe(*v) + ", not an object; ignored");
        return;
    }
    for (const js::Member& header : v->as_object()) {
        if (!is_token(header.key)) {
            entry.notes.push_back("header name " + in_quotes(header.key) + " is invalid: the browser's fetch will fail");
            continue;
        }
        const std::string lower = ascii_case(header.key, false);
        if (is_safelisted(lower, header.value)) continue;
        const bool listed = std::any_of(cors.allow_headers.begin(), cors.allow_headers.end(),
                                        [&](const std::string& h) { return ascii_case(h, false) == lower; });
        if (!listed) cors.allow_headers.push_back(header.key);
    }
}

}  // namespace

void read_fetch_options(const js::Value& object, DashboardEntry& entry, scenario::ProducerSpec& producer) {
    const std::string method = read_method(object, entry);
    producer.fetch.methods = {method};
    read_headers(object, entry, producer.cors);

    if (const js::Value* body = object.find("body"); body != nullptr && !body->is_nullish() &&
                                                      (method == "GET" || method == "HEAD"))
        entry.notes.push_back("a " + method + " request cannot have a body: the browser's fetch will fail");

    if (const js::Value* v = object.find("credentials"); v != nullptr && !v->is_nullish()) {
        const std::string mode = v->is_string() ? v->as_string() : std::string();
        if (mode == "include")
            entry.notes.push_back("credentials 'include': browsers refuse the producer's "
                                  "'Access-Control-Allow-Origin: *'; a scenario with the dashboard's origin "
                                  "and cors.allow_credentials is needed");
        else if (mode != "omit" && mode != "same-origin")
            entry.notes.push_back("'credentials' must be 'omit', 'same-origin' or 'include': the browser's fetch "
                                  "will fail");
    }
}

}  // namespace evsim::dashboard::detail
