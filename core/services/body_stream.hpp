// BodyStream: a response body produced while it is sent (exports). A producer thread
// writes; the HTTP server takes what is there and sends it as HTTP/1.1 chunks. Memory stays
// flat whatever the size of the body: once the server has attached and `window` bytes
// wait, a producer that can stop between two pieces parks (pause()) and gives its thread
// back, to be resumed when the server has taken them, that is when the client reads. A
// client that does not read then holds no thread, only the bytes waiting. write() itself
// blocks while the window is full, for the producer that cannot stop where it is (a plugin
// handing over a file it assembled); the server's request timeout bounds that wait.
// A body that fails is cut: the server closes the connection before the last chunk, so a
// client never takes a truncated file for a complete one.
//
// Thread safety: one producer thread and the server's thread, concurrently.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace relance::services {

class BodyStream {
 public:
  explicit BodyStream(std::size_t window = 1 << 20) : window_(window) {}

  // Producer. False once the client is gone (the producer should stop).
  bool write(std::string_view bytes);
  // The window is full and the server attached: a producer stops where it can, then pauses.
  bool full() const;
  // True when the producer should stop writing for now: the window is full and the server
  // has not taken it. `resume` is then kept, and called once (from the server's thread)
  // when the server has taken what waits or the client went away; the producer returns
  // its thread meanwhile. False (resume dropped): write on.
  bool pause(std::function<void()> resume);
  void finish();                     // the body is complete
  void fail(const std::string& why); // the body is broken: cut it

  // Server.
  enum class State { data, waiting, done, failed };
  // Moves what is buffered into `out` (data). When nothing is and the body goes on
  // (waiting), `wake` is called once, from the producer's thread, when there is more.
  State take(std::string& out, std::function<void()> wake);
  void cancel();  // the client went away: the producer's writes fail from now on
  std::string failure() const;

 private:
  void notify(std::unique_lock<std::mutex>& lock);

  const std::size_t window_;
  mutable std::mutex mu_;
  std::condition_variable space_;
  std::string buffer_;
  bool attached_ = false;  // before the server takes from it, writes never block
  bool finished_ = false;
  bool failed_ = false;
  bool cancelled_ = false;
  std::string why_;
  std::function<void()> wake_;    // the server's, when nothing waits
  std::function<void()> resume_;  // the producer's, when it paused
};

}  // namespace relance::services
