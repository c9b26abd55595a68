// The frames of the plugin-host protocol: how the daemon and a child process running a
// plugin (`relance plugin-host`, isolated_instance.hpp) talk over their socketpair.
//
// A frame is a u32 length (little-endian) of what follows, a u8 kind, then the kind's
// fields in order: integers fixed-width little-endian, doubles as their IEEE bits, strings
// (and byte runs) a u32 length then the bytes. Nothing is aligned or padded. The daemon sends
// a request and reads frames until its reply; meanwhile the child may send service calls
// (each answered at once), notices (log lines, no answer) and output (an exporter's bytes).
// Many events or rows travel in one request frame, so a round trip is paid per batch, not
// per event. Both ends are the same binary: the format has no version of its own.
//
// Thread safety: a Channel is used by one thread at a time (the child's log from a plugin's
// own thread takes the child's lock, plugin_host_child.cpp).
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace relance::plugin_host {

enum class FrameKind : std::uint8_t {
  // Daemon to child: requests, each answered by one `reply`.
  setup = 1,        // load the plugin file and call its init
  create = 2,       // create_instance with the instance's configuration
  deliver = 3,      // a batch of events for the event sink
  last_error = 4,   // last_error of the instance
  destroy = 5,      // destroy_instance
  export_open = 6,  // the exporter's open, begin_dataset, a batch of write_row, finish
  export_dataset = 7,
  export_rows = 8,
  export_finish = 9,
  self_test = 10,   // the plugin's test (relance.self-test/1)
  service_reply = 20,  // the answer to a child's service call
  // Child to daemon.
  reply = 40,
  service = 41,  // a host service call that waits for its answer
  notice = 42,   // a host service call without answer (log)
  output = 43,   // bytes an exporter wrote to its sink
  dying = 44,    // the child's fatal signal handler: the signal, and whether memory ran out
};

// No more than this in one frame: a larger length means a broken peer.
constexpr std::uint32_t max_frame_bytes = 64u << 20;

// The peer broke the protocol (a frame too short for its fields, an unknown kind).
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// The peer is gone (end of file, or the socket failed).
class ChannelClosed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FrameWriter {
 public:
  FrameWriter& start(FrameKind kind);
  FrameWriter& u8(std::uint8_t v) { return raw(&v, 1); }
  FrameWriter& u16(std::uint16_t v) { return num(v); }
  FrameWriter& u32(std::uint32_t v) { return num(v); }
  FrameWriter& i32(std::int32_t v) { return num(v); }
  FrameWriter& i64(std::int64_t v) { return num(v); }
  FrameWriter& f64(double v);
  FrameWriter& str(std::string_view s);
  FrameWriter& str(const char* data, std::size_t size) { return str(std::string_view(data ? data : "", data ? size : 0)); }
  // The frame, its length set. Valid until the next start().
  const std::string& finish();
  std::size_t size() const { return buf_.size(); }

 private:
  template <typename T>
  FrameWriter& num(T v) {
    unsigned char b[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i) b[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(v) >> (8 * i));
    return raw(b, sizeof b);
  }
  FrameWriter& raw(const void* p, std::size_t n) {
    buf_.append(static_cast<const char*>(p), n);
    return *this;
  }
  std::string buf_;
};

// Reads the fields of one frame's payload; views point into the frame.
class FrameReader {
 public:
  FrameReader() = default;
  FrameReader(const char* data, std::size_t size) : p_(data), end_(data + size) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(*take(1)); }
  std::uint16_t u16() { return num<std::uint16_t>(); }
  std::uint32_t u32() { return num<std::uint32_t>(); }
  std::int32_t i32() { return static_cast<std::int32_t>(num<std::uint32_t>()); }
  std::int64_t i64() { return static_cast<std::int64_t>(num<std::uint64_t>()); }
  double f64();
  std::string_view str();
  bool done() const { return p_ == end_; }

 private:
  const char* take(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) throw ProtocolError("a frame shorter than its fields");
    const char* at = p_;
    p_ += n;
    return at;
  }
  template <typename T>
  T num() {
    const auto* b = reinterpret_cast<const unsigned char*>(take(sizeof(T)));
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) v |= std::uint64_t{b[i]} << (8 * i);
    return static_cast<T>(v);
  }
  const char* p_ = nullptr;
  const char* end_ = nullptr;
};

// One end of the socketpair.
class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}
  int fd() const { return fd_; }
  // Writes the whole frame; throws ChannelClosed.
  void send(const std::string& frame);
  // The next frame, its bytes moved into `frame` (kind byte first); throws ChannelClosed,
  // ProtocolError. A reader over the payload is reader(frame).
  FrameKind receive(std::string& frame);
  static FrameReader reader(const std::string& frame) { return FrameReader(frame.data() + 1, frame.size() - 1); }

 private:
  bool fill(std::size_t need);
  int fd_;
  std::string in_;      // bytes read ahead
  std::size_t at_ = 0;  // where the next frame begins in in_
};

}  // namespace relance::plugin_host
