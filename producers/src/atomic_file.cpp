#include "evsim/producers/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <system_error>

namespace evsim::producers {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void throw_errno(int error, const std::string& what) {
    throw std::system_error(error, std::generic_category(), what);
}

// Unique among the writers of this process (tests run several), and across processes by the pid.
fs::path temporary_sibling(const fs::path& path) {
    static std::atomic<std::uint64_t> counter{0};
    return path.parent_path() / ("." + path.filename().string() + "." + std::to_string(::getpid()) + "." +
                                 std::to_string(counter.fetch_add(1, std::memory_order_relaxed)) + ".part");
}

}  // namespace

void replace_file_atomically(const fs::path& path, std::string_view content) {
    const fs::path temp = temporary_sibling(path);
    // 0666 before the umask: the permissions Python's open(..., 'w') gives the sample's file.
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) throw_errno(errno, "cannot create " + temp.string());
    const auto fail = [&](const std::string& what) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        throw_errno(error, what);
    };
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("cannot write " + temp.string());
        }
        written += static_cast<std::size_t>(n);
    }
    // No fsync: readers only need rename's atomicity, and a crash-proof copy of a value that is
    // replaced every few seconds is not worth blocking the event loop on the disk.
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw_errno(error, "cannot write " + temp.string());
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw_errno(error, "cannot replace " + path.string());
    }
}

fs::path default_file_path() { return fs::temp_directory_path() / "data.tmp"; }

}  // namespace evsim::producers
