// Test support: a scenario (or any text) written to a file in the temp directory for the test's
// duration, named after the process so parallel test runs never share one.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace evsim::app::testing {

class ScenarioFile {
public:
    ScenarioFile(const std::string& name, const std::string& yaml)
        : path_(std::filesystem::temp_directory_path() / ("evsim-cli-" + std::to_string(::getpid()) + "-" + name)) {
        std::ofstream(path_) << yaml;
    }
    ~ScenarioFile() { std::filesystem::remove(path_); }
    ScenarioFile(const ScenarioFile&) = delete;
    ScenarioFile& operator=(const ScenarioFile&) = delete;
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

}  // namespace evsim::app::testing
