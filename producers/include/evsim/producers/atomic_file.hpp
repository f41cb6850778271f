// Replacing a small file so that a concurrent reader sees either the old or the new content, never
// a mix or an empty file: write a sibling temporary file, then rename it over the target (rename is
// atomic within one file system, which a sibling guarantees).
#pragma once

#include <filesystem>
#include <string_view>

namespace evsim::producers {

// Throws std::system_error naming the file on any failure; the temporary file is removed then.
void replace_file_atomically(const std::filesystem::path& path, std::string_view content);

// The sample's location: data.tmp in the system temp directory.
std::filesystem::path default_file_path();

}  // namespace evsim::producers
