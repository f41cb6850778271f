// json_template and pad_to: the generators built from other generators.
#include <algorithm>
#include <array>
#include <chrono>
#include <string>

#include "payload_detail.hpp"
#include "payload_template_parse.hpp"

namespace evsim::payload::detail {
namespace {

// Where a placeholder's value comes from.
enum class Source { seq, ts_ms, ts_us, field };

struct Builtin {
    std::string_view name;
    Source source;
};
constexpr std::array<Builtin, 3> builtins = {{{"seq", Source::seq}, {"ts_ms", Source::ts_ms}, {"ts_us", Source::ts_us}}};

// The template text is kept whole; a piece is the literal text before one placeholder, then the
// placeholder. The literal text after the last placeholder is the tail.
struct Piece {
    std::size_t literal_begin = 0;
    std::size_t literal_end = 0;
    Source source = Source::seq;
    std::size_t field = 0;  // index into the fields, for Source::field
    bool in_string = false;
};

struct Field {
    std::string name;
    std::unique_ptr<Generator> generator;
    ValueKind kind = ValueKind::number;
    std::string value;  // this call's value; the buffer is reused, so steady state does not allocate
};

class TemplateGenerator final : public Generator {
public:
    TemplateGenerator(std::string text, std::vector<Field> fields, std::vector<Piece> pieces, std::size_t tail_begin,
                      Clock clock, std::size_t max_size)
        : text_(std::move(text)),
          fields_(std::move(fields)),
          pieces_(std::move(pieces)),
          tail_begin_(tail_begin),
          clock_(std::move(clock)),
          uses_clock_(std::any_of(pieces_.begin(), pieces_.end(),
                                  [](const Piece& p) { return p.source == Source::ts_ms || p.source == Source::ts_us; })),
          max_size_(max_size) {}

    void next(std::string& out) override {
        // Each field is drawn once per call even when the text uses it twice: a field is one value of
        // this event, and its stream does not depend on how often the text mentions it.
        for (Field& field : fields_) {
            field.value.clear();
            field.generator->next(field.value);
        }
        // One clock reading per call, so {{ts_ms}} and {{ts_us}} agree; none when the text has neither.
        std::chrono::system_clock::duration since_epoch{};
        if (uses_clock_) since_epoch = clock_().time_since_epoch();

        for (const Piece& piece : pieces_) {
            out.append(text_, piece.literal_begin, piece.literal_end - piece.literal_begin);
            switch (piece.source) {
                case Source::seq: append_int(out, seq_); break;
                case Source::ts_ms:
                    append_int(out, std::chrono::floor<std::chrono::milliseconds>(since_epoch).count());
                    break;
                case Source::ts_us:
                    append_int(out, std::chrono::floor<std::chrono::microseconds>(since_epoch).count());
                    break;
                case Source::field: insert(out, fields_[piece.field], piece.in_string); break;
            }
        }
        out.append(text_, tail_begin_);
        ++seq_;  // 2^63 events at a million per second would take 292,000 years: no wrap handling
    }
    ValueKind kind() const noexcept override { return ValueKind::json; }
    std::size_t max_size() const noexcept override { return max_size_; }

private:
    static void insert(std::string& out, const Field& field, bool in_string) {
        if (in_string) {
            append_json_escaped(out, field.value);
        } else if (field.kind == ValueKind::text) {
            out += '"';
            append_json_escaped(out, field.value);
            out += '"';
        } else {
            out += field.value;  // a number or a JSON document: already a JSON value
        }
    }

    std::string text_;
    std::vector<Field> fields_;
    std::vector<Piece> pieces_;
    std::size_t tail_begin_;
    Clock clock_;
    bool uses_clock_;
    std::size_t max_size_;
    std::int64_t seq_ = 0;
};

class PadGenerator final : public Generator {
public:
    PadGenerator(std::unique_ptr<Generator> inner, std::size_t size, char fill)
        : inner_(std::move(inner)), size_(size), fill_(fill) {}

    void next(std::string& out) override {
        const std::size_t before = out.size();
        inner_->next(out);
        const std::size_t produced = out.size() - before;
        if (produced < size_) out.append(size_ - produced, fill_);
    }
    ValueKind kind() const noexcept override { return ValueKind::text; }
    std::size_t max_size() const noexcept override { return std::max(size_, inner_->max_size()); }

private:
    std::unique_ptr<Generator> inner_;
    std::size_t size_;
    char fill_;
};

std::string field_list(const JsonTemplate& spec) {
    std::string list;
    for (const TemplateField& field : spec.fields) list += (list.empty() ? "" : ", ") + field.name;
    return list.empty() ? "none" : list;
}

void check_field_names(const JsonTemplate& spec) {
    if (spec.fields.size() > max_template_fields) {
        throw SpecError("json_template: " + std::to_string(spec.fields.size()) + " fields (limit " +
                        std::to_string(max_template_fields) + ")");
    }
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
        const std::string& name = spec.fields[i].name;
        if (name.empty() || !std::all_of(name.begin(), name.end(), is_name_char)) {
            throw SpecError("json_template: field name '" + name + "' is not valid (use letters, digits and '_')");
        }
        for (const Builtin& builtin : builtins) {
            if (name == builtin.name) {
                throw SpecError("json_template: field name '" + name +
                                "' is taken by a built-in placeholder (seq, ts_ms, ts_us)");
            }
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (spec.fields[j].name == name) throw SpecError("json_template: field '" + name + "' is defined twice");
        }
    }
}

// Bytes one placeholder can add: a text value may grow 6x when escaped (a control character becomes
// \u00xx), plus its quotes; a JSON document at most 2x (it has no raw control characters but
// whitespace, and quotes and backslashes double); a number never grows.
std::uint64_t placeholder_bound(ValueKind kind, std::size_t max_size, bool in_string) {
    const std::uint64_t size = max_size;
    switch (kind) {
        case ValueKind::number: return size;
        case ValueKind::json: return in_string ? 2 * size : size;
        case ValueKind::text: return in_string ? 6 * size : 6 * size + 2;
    }
    return 6 * size + 2;
}

}  // namespace

std::unique_ptr<Generator> make_template(const JsonTemplate& spec, std::uint64_t seed, const Clock& clock,
                                         std::size_t depth) {
    if (spec.text.size() > max_template_bytes) {
        throw SpecError("json_template: text is " + std::to_string(spec.text.size()) + " bytes (limit " +
                        std::to_string(max_template_bytes) + ")");
    }
    check_utf8("json_template: text", spec.text);
    const std::vector<Placeholder> placeholders = parse_template(spec.text);
    check_field_names(spec);

    std::vector<Piece> pieces;
    std::vector<bool> used(spec.fields.size(), false);
    std::size_t literal_begin = 0;
    for (const Placeholder& placeholder : placeholders) {
        Piece piece{literal_begin, placeholder.begin, Source::field, 0, placeholder.in_string};
        const auto builtin = std::find_if(builtins.begin(), builtins.end(),
                                          [&](const Builtin& b) { return b.name == placeholder.name; });
        const auto field = std::find_if(spec.fields.begin(), spec.fields.end(),
                                        [&](const TemplateField& f) { return f.name == placeholder.name; });
        if (builtin != builtins.end()) {
            piece.source = builtin->source;
        } else if (field != spec.fields.end()) {
            piece.field = static_cast<std::size_t>(field - spec.fields.begin());
            used[piece.field] = true;
        } else {
            throw SpecError("json_template: unknown placeholder {{" + std::string(placeholder.name) + "}} at offset " +
                            std::to_string(placeholder.begin) + " (fields: " + field_list(spec) +
                            "; built-ins: seq, ts_ms, ts_us)");
        }
        pieces.push_back(piece);
        literal_begin = placeholder.end;
    }
    for (std::size_t i = 0; i < spec.fields.size(); ++i) {
        if (!used[i]) throw SpecError("json_template: field '" + spec.fields[i].name + "' is not used in the text");
    }

    std::vector<Field> fields;
    fields.reserve(spec.fields.size());
    for (const TemplateField& field : spec.fields) {
        try {
            auto generator = make_any(field.spec.get(), field_seed(seed, field.name), clock, depth + 1);
            const ValueKind kind = generator->kind();
            fields.push_back({field.name, std::move(generator), kind, {}});
        } catch (const SpecError& e) {
            throw SpecError("json_template field '" + field.name + "': " + e.what());
        }
    }

    std::uint64_t bound = spec.text.size();
    for (const Placeholder& placeholder : placeholders) bound -= placeholder.end - placeholder.begin;
    for (const Piece& piece : pieces) {
        if (piece.source != Source::field) {
            bound += max_int_chars;
        } else {
            const Field& field = fields[piece.field];
            bound += placeholder_bound(field.kind, field.generator->max_size(), piece.in_string);
        }
    }
    if (bound > max_output_bytes) {
        throw SpecError("json_template: output could reach " + std::to_string(bound) + " bytes, over the limit of " +
                        std::to_string(max_output_bytes) + " (text inside a JSON string can grow 6x when escaped)");
    }
    return std::make_unique<TemplateGenerator>(spec.text, std::move(fields), std::move(pieces), literal_begin, clock,
                                               static_cast<std::size_t>(bound));
}

std::unique_ptr<Generator> make_pad(const PadTo& spec, std::uint64_t seed, const Clock& clock, std::size_t depth) {
    if (spec.size < 0 || static_cast<std::uint64_t>(spec.size) > max_output_bytes) {
        throw SpecError("pad_to: size must be 0.." + std::to_string(max_output_bytes) + " bytes (got " +
                        describe(spec.size) + ")");
    }
    const auto fill = static_cast<unsigned char>(spec.fill);
    if (fill < 0x20 || fill > 0x7E) {
        throw SpecError("pad_to: fill must be a printable ASCII character (got byte " + std::to_string(fill) + ")");
    }
    try {
        // pad_to draws nothing itself, so its inner generator uses the seed unchanged: padding a
        // generator does not change its values.
        auto inner = make_any(spec.inner.get(), seed, clock, depth + 1);
        return std::make_unique<PadGenerator>(std::move(inner), static_cast<std::size_t>(spec.size), spec.fill);
    } catch (const SpecError& e) {
        throw SpecError(std::string("pad_to inner: ") + e.what());
    }
}

}  // namespace evsim::payload::detail
