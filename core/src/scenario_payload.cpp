// `payload:` — a mapping with exactly one generator key whose value holds that generator's
// parameters, e.g. {random_float: {min: 18, max: 24, decimals: 1}}. The key names follow
// docs/generators.md so the two documents read the same.
#include <climits>
#include <limits>

#include "scenario_parts.hpp"

namespace evsim::scenario::detail {
namespace {

const std::initializer_list<std::string_view> generator_names = {
    "random_int", "random_float", "random_walk", "sine", "counter", "constant", "json_template", "pad_to"};

constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

// Calls read(value, "key.param") for each parameter present; missing ones keep the struct default.
template <typename Read>
void param(const YAML::Node& params, const std::string& key, const char* name, Read read) {
    if (params.IsNull()) return;
    if (const YAML::Node value = params[name]) read(value, key + "." + name);
}

int read_decimals(const Doc& doc, const YAML::Node& node, const std::string& key) {
    // The range check itself is payload::validate's, so the message matches the library's.
    return static_cast<int>(read_int(doc, node, key, INT_MIN, INT_MAX));
}

payload::GeneratorSpec read_one(const Doc& doc, const std::string& name, const YAML::Node& params,
                                const std::string& key, std::size_t depth) {
    const auto i64 = [&](std::int64_t& out) {
        return [&](const YAML::Node& v, const std::string& k) { out = read_int(doc, v, k, int64_min, int64_max); };
    };
    const auto real = [&](double& out) {
        return [&](const YAML::Node& v, const std::string& k) { out = read_double(doc, v, k); };
    };
    const auto decimals = [&](int& out) {
        return [&](const YAML::Node& v, const std::string& k) { out = read_decimals(doc, v, k); };
    };
    if (name == "random_int") {
        check_map(doc, params, key, {"min", "max"});
        payload::RandomInt spec;
        param(params, key, "min", i64(spec.min));
        param(params, key, "max", i64(spec.max));
        return spec;
    }
    if (name == "random_float") {
        check_map(doc, params, key, {"min", "max", "decimals"});
        payload::RandomFloat spec;
        param(params, key, "min", real(spec.min));
        param(params, key, "max", real(spec.max));
        param(params, key, "decimals", decimals(spec.decimals));
        return spec;
    }
    if (name == "random_walk") {
        check_map(doc, params, key, {"start", "step", "min", "max", "decimals"});
        payload::RandomWalk spec;
        param(params, key, "start", real(spec.start));
        param(params, key, "step", real(spec.step));
        param(params, key, "min", real(spec.min));
        param(params, key, "max", real(spec.max));
        param(params, key, "decimals", decimals(spec.decimals));
        return spec;
    }
    if (name == "sine") {
        check_map(doc, params, key, {"amplitude", "offset", "period", "decimals", "phase"});
        payload::Sine spec;
        param(params, key, "amplitude", real(spec.amplitude));
        param(params, key, "offset", real(spec.offset));
        param(params, key, "period", i64(spec.period));
        param(params, key, "decimals", decimals(spec.decimals));
        param(params, key, "phase", real(spec.phase));
        return spec;
    }
    if (name == "counter") {
        check_map(doc, params, key, {"start", "step"});
        payload::Counter spec;
        param(params, key, "start", i64(spec.start));
        param(params, key, "step", i64(spec.step));
        return spec;
    }
    if (name == "constant") {
        // `constant: hello` is accepted as well as `constant: {text: hello}`: the short form is what
        // people write first.
        if (params.IsScalar()) return payload::Constant{params.Scalar()};
        check_map(doc, params, key, {"text"});
        payload::Constant spec;
        param(params, key, "text", [&](const YAML::Node& v, const std::string& k) { spec.text = read_string(doc, v, k); });
        return spec;
    }
    if (name == "json_template") {
        check_map(doc, params, key, {"text", "fields"});
        if (params.IsNull() || !params["text"]) doc.fail(params, key + ": missing required key 'text'");
        payload::JsonTemplate spec;
        spec.text = read_string(doc, params["text"], key + ".text");
        if (const YAML::Node fields = params["fields"]) {
            if (!fields.IsMap() && !fields.IsNull())
                doc.fail(fields, key + ".fields: expected a mapping of field names to generators, got " +
                                     describe(fields));
            for (const auto& field : fields) {
                // check_map with no allowed list would reject every name; duplicates are checked
                // by payload::validate, but yaml-cpp would hide the second one, so check here.
                const std::string field_name = read_string(doc, field.first, key + ".fields");
                for (const payload::TemplateField& seen : spec.fields)
                    if (seen.name == field_name)
                        doc.fail(field.first, "duplicate key '" + field_name + "' in " + key + ".fields");
                spec.fields.push_back(
                    {field_name, read_generator(doc, field.second, key + ".fields." + field_name, depth + 1)});
            }
        }
        return spec;
    }
    // pad_to
    check_map(doc, params, key, {"inner", "size", "fill"});
    payload::PadTo spec;
    param(params, key, "inner",
          [&](const YAML::Node& v, const std::string& k) { spec.inner = read_generator(doc, v, k, depth + 1); });
    param(params, key, "size", [&](const YAML::Node& v, const std::string& k) {
        const std::uint64_t size = read_size(doc, v, k);
        if (size > static_cast<std::uint64_t>(int64_max)) doc.fail(v, k + ": too large");
        spec.size = static_cast<std::int64_t>(size);
    });
    param(params, key, "fill", [&](const YAML::Node& v, const std::string& k) {
        const std::string fill = read_string(doc, v, k);
        if (fill.size() != 1) doc.fail(v, k + ": expected a single character, got " + describe(v));
        spec.fill = fill[0];
    });
    return spec;
}

}  // namespace

payload::GeneratorSpec read_generator(const Doc& doc, const YAML::Node& node, const std::string& key,
                                      std::size_t depth) {
    if (depth > payload::max_nesting)
        doc.fail(node, key + ": generators nested deeper than " + std::to_string(payload::max_nesting));
    if (!node.IsMap() || node.size() == 0)
        doc.fail(node, key + ": expected a mapping with one generator key (random_int, random_float, random_walk, "
                             "sine, counter, constant, json_template, pad_to), got " +
                           describe(node));
    check_map(doc, node, key, generator_names);
    if (node.size() != 1) {
        auto second = node.begin();
        ++second;
        doc.fail(second->first, key + ": exactly one generator per payload, got '" + node.begin()->first.Scalar() +
                                    "' and '" + second->first.Scalar() + "'");
    }
    const auto& entry = *node.begin();
    const std::string name = entry.first.Scalar();
    return read_one(doc, name, entry.second, key + "." + name, depth);
}

}  // namespace evsim::scenario::detail
