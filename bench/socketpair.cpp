// The ceiling of isolated delivery: round trips over a socketpair between two processes,
// measured in the same run as the delivery it bounds (bench/plugins.sh builds and runs it).
//
//   socketpair ROUND_TRIPS BATCHES EVENTS_PER_FRAME EVENT_BYTES
//
// A child echoes a short answer to every frame it reads whole (a u32 length, then the
// bytes), as the plugin host answers a request. Times ROUND_TRIPS round trips of a 16-byte
// frame (what one event a frame would cost at least), then BATCHES round trips of a frame of
// EVENTS_PER_FRAME * EVENT_BYTES bytes (a batch of events as the daemon sends them).
// Prints one `name value` line per figure.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

bool read_all(int fd, char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t r = ::read(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

bool write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t r = ::write(fd, p, n);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
  }
  return true;
}

[[noreturn]] void echo(int fd) {
  std::string buf;
  char answer[12] = {8, 0, 0, 0};
  for (;;) {
    std::uint32_t n = 0;
    if (!read_all(fd, reinterpret_cast<char*>(&n), 4)) ::_exit(0);
    buf.resize(n);
    if (!read_all(fd, buf.data(), n) || !write_all(fd, answer, sizeof answer)) ::_exit(0);
  }
}

double round_trips(int fd, std::size_t bytes, long count) {
  std::string frame(4 + bytes, 'x');
  const auto n = static_cast<std::uint32_t>(bytes);
  std::memcpy(frame.data(), &n, 4);
  char answer[12];
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i)
    if (!write_all(fd, frame.data(), frame.size()) || !read_all(fd, answer, sizeof answer)) std::exit(1);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const long trips = argc > 1 ? std::atol(argv[1]) : 200000;
  const long batches = argc > 2 ? std::atol(argv[2]) : 2000;
  const long per_frame = argc > 3 ? std::atol(argv[3]) : 512;
  const long event_bytes = argc > 4 ? std::atol(argv[4]) : 600;
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 1;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(sv[0]);
    echo(sv[1]);
  }
  ::close(sv[1]);
  const double small = round_trips(sv[0], 16, trips);
  const double big = round_trips(sv[0], static_cast<std::size_t>(per_frame * event_bytes), batches);
  ::close(sv[0]);
  ::waitpid(child, nullptr, 0);
  std::printf("round_trip_ns %.0f\n", small / static_cast<double>(trips) * 1e9);
  std::printf("one_event_per_frame_per_s %.0f\n", static_cast<double>(trips) / small);
  std::printf("batch_round_trip_us %.1f\n", big / static_cast<double>(batches) * 1e6);
  std::printf("batched_events_per_s %.0f\n", static_cast<double>(batches * per_frame) / big);
  std::printf("batch_bytes %ld\n", per_frame * event_bytes);
  return 0;
}
