#include "plugin_host/frames.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace relance::plugin_host {

FrameWriter& FrameWriter::start(FrameKind kind) {
  buf_.clear();
  buf_.append(4, '\0');
  return u8(static_cast<std::uint8_t>(kind));
}

FrameWriter& FrameWriter::f64(double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return num(bits);
}

FrameWriter& FrameWriter::str(std::string_view s) {
  u32(static_cast<std::uint32_t>(s.size()));
  return raw(s.data(), s.size());
}

const std::string& FrameWriter::finish() {
  const auto n = static_cast<std::uint32_t>(buf_.size() - 4);
  for (int i = 0; i < 4; ++i) buf_[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xff);
  return buf_;
}

double FrameReader::f64() {
  const std::uint64_t bits = num<std::uint64_t>();
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

std::string_view FrameReader::str() {
  const std::uint32_t n = u32();
  return std::string_view(take(n), n);
}

void Channel::send(const std::string& frame) {
  std::size_t done = 0;
  while (done < frame.size()) {
    const ssize_t n = ::send(fd_, frame.data() + done, frame.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw ChannelClosed("the plugin host's channel is closed");
    done += static_cast<std::size_t>(n);
  }
}

bool Channel::fill(std::size_t need) {
  while (in_.size() - at_ < need) {
    if (at_ > 0 && at_ == in_.size()) {
      in_.clear();
      at_ = 0;
    } else if (at_ > (1u << 20)) {
      in_.erase(0, at_);
      at_ = 0;
    }
    const std::size_t have = in_.size();
    const std::size_t want = std::max<std::size_t>(need - (have - at_), 256 * 1024);
    in_.resize(have + want);
    ssize_t n;
    do n = ::read(fd_, in_.data() + have, want);
    while (n < 0 && errno == EINTR);
    in_.resize(have + static_cast<std::size_t>(n > 0 ? n : 0));
    if (n <= 0) return false;
  }
  return true;
}

FrameKind Channel::receive(std::string& frame) {
  if (!fill(4)) throw ChannelClosed("the plugin host's channel is closed");
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) n |= std::uint32_t{static_cast<unsigned char>(in_[at_ + static_cast<std::size_t>(i)])} << (8 * i);
  if (n == 0 || n > max_frame_bytes) throw ProtocolError("a frame of " + std::to_string(n) + " bytes");
  if (!fill(4 + std::size_t{n})) throw ChannelClosed("the plugin host's channel is closed");
  frame.assign(in_, at_ + 4, n);
  at_ += 4 + std::size_t{n};
  return static_cast<FrameKind>(static_cast<unsigned char>(frame[0]));
}

}  // namespace relance::plugin_host
