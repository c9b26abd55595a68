#include "plugin_host/call_watch.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <csignal>
#include <chrono>
#include <new>

namespace relance::plugin_host {
namespace {

constexpr std::size_t page_size = 4096;

// The page of a watch: shared memory when the system gives it, else a private allocation.
void* make_page(int& fd) {
  fd = ::memfd_create("relance-call-watch", MFD_CLOEXEC);
  if (fd >= 0 && ::ftruncate(fd, page_size) == 0) {
    void* p = ::mmap(nullptr, page_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p != MAP_FAILED) return p;
  }
  if (fd >= 0) ::close(fd);
  fd = -1;
  return ::mmap(nullptr, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

void* page_of(int& fd) {
  void* p = make_page(fd);
  if (p == MAP_FAILED) throw std::bad_alloc();
  new (static_cast<std::atomic<std::int64_t>*>(p) + 1) std::atomic<std::int64_t>(0);
  return new (p) std::atomic<std::int64_t>(0);
}

}  // namespace

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

CallWatch::CallWatch()
    : started(*static_cast<std::atomic<std::int64_t>*>(page_of(fd_))), event(*(&started + 1)) {}

CallWatch::~CallWatch() {
  ::munmap(&started, page_size);
  if (fd_ >= 0) ::close(fd_);
}

void CallWatch::begin(const char* call) {
  step.store(call);
  started.store(steady_now_ns());
}

void CallWatch::end() { started.store(0); }

bool CallWatch::interrupt() {
  const pid_t pid = child_.load();
  if (pid <= 0) return false;
  interrupted_.store(true);
  ::kill(pid, SIGKILL);
  return true;
}

}  // namespace relance::plugin_host
