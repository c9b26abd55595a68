#include "plugin_host/child_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include "plugin_host/crash_marker.hpp"

namespace relance::plugin_host {
namespace {

std::string own_program() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

// The variables a child inherits: none of the daemon's secrets or settings, only what a C
// library and the sanitizers of a test build read.
std::vector<std::string> child_environment(const std::string& work_dir) {
  std::vector<std::string> env{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "HOME=" + work_dir,
                               "TMPDIR=" + work_dir};
  for (const char* name : {"TZ", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"})
    if (const char* v = std::getenv(name)) env.push_back(std::string(name) + "=" + v);
  return env;
}

void limit(int resource, rlim_t value) {
  struct rlimit r{value, value};
  setrlimit(resource, &r);
}

}  // namespace

ChildProcess::ChildProcess(const IsolationLimits& limits, const std::string& work_dir, int watch_fd) {
  const std::string program = limits.program.empty() ? own_program() : limits.program;
  std::error_code ec;
  std::filesystem::create_directories(work_dir, ec);
  std::filesystem::permissions(work_dir, std::filesystem::perms::owner_all, ec);
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
  // Everything the child needs is made before fork: after it, only async-signal-safe calls.
  const std::vector<std::string> env = child_environment(work_dir);
  std::vector<char*> envp;
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  std::string arg0 = program, arg1 = "plugin-host";
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  const pid_t parent = ::getpid();
  const rlim_t memory = static_cast<rlim_t>(limits.memory_mb) << 20;
  const rlim_t cpu = static_cast<rlim_t>(limits.cpu_seconds);
  const rlim_t files = static_cast<rlim_t>(limits.open_files);

  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(sv[0]);
    ::close(sv[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    // Above the fds to come, so that placing one does not overwrite the other.
    const int sock = ::fcntl(sv[1], F_DUPFD, 10);
    const int page = watch_fd >= 0 ? ::fcntl(watch_fd, F_DUPFD, 10) : -1;
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(sock, 3);
    if (page >= 0) ::dup2(page, 4);
    else ::close(4);
    if (::syscall(SYS_close_range, 5u, ~0u, 0u) != 0)
      for (int fd = 5; fd < 65536; ++fd) ::close(fd);  // a kernel older than 5.9
    if (::chdir(work_dir.c_str()) != 0) ::_exit(126);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    // The sanitizers reserve terabytes of address space for their shadow memory.
    if (memory) limit(RLIMIT_AS, memory);
#else
    (void)memory;
#endif
    if (cpu) {
      struct rlimit r{cpu, cpu + 5};  // SIGXCPU first, then SIGKILL
      setrlimit(RLIMIT_CPU, &r);
    }
    if (files) limit(RLIMIT_NOFILE, files);
    limit(RLIMIT_CORE, 0);
    ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    // Default signal dispositions and an empty mask for the child, not the daemon's.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execve(program.c_str(), argv, envp.data());
    ::_exit(127);
  }
  ::close(sv[1]);
  pid_ = pid;
  fd_ = sv[0];
  channel_ = Channel(fd_);
}

ChildProcess::~ChildProcess() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);  // the child reads the end and leaves
  if (!reaped_) {
    // A well-behaved child is gone in a moment; one stuck in a plugin's destructor is not.
    for (int i = 0; i < 200; ++i) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || (r < 0 && errno != EINTR)) {
        reaped_ = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!reaped_) reap(true);
  }
  if (fd_ >= 0) ::close(fd_);
}

std::string ChildProcess::reap(bool kill) {
  if (reaped_) return "ended";
  if (kill) ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t r;
  do r = ::waitpid(pid_, &status, 0);
  while (r < 0 && errno == EINTR);
  reaped_ = true;
  if (r != pid_) return "lost (" + std::string(std::strerror(errno)) + ")";
  if (WIFSIGNALED(status)) return signal_name(WTERMSIG(status));
  return "exit status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace relance::plugin_host
