#include "auth/outbound_policy.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <stdexcept>

namespace relance::auth {
namespace {

// What an address is, when it is not public.
struct Kind {
  std::string reason;
  bool metadata = false;  // allowed only by an entry naming the address itself
};

struct Range {
  const char* network;
  unsigned length;
  const char* reason;
  bool metadata = false;
};

struct ParsedRange {
  IpAddress network;
  unsigned length;
  const char* reason;
  bool metadata;
};

constexpr const char* metadata_reason = "a cloud metadata address";

// Special-purpose ranges (RFC 6890 and its successors), the narrower first. IPv6 ranges
// outside 2000::/3 need no line of their own (see classify) but name the common ones.
const std::vector<ParsedRange>& ranges() {
  static const std::vector<ParsedRange> all = [] {
    const Range table[] = {
        {"255.255.255.255", 32, "the broadcast address"},
        {"169.254.169.254", 32, metadata_reason, true},  // AWS, GCP, Azure, OpenStack...
        {"100.100.100.200", 32, metadata_reason, true},  // Alibaba Cloud
        {"192.0.0.192", 32, metadata_reason, true},      // Oracle Cloud
        {"fd00:ec2::254", 128, metadata_reason, true},   // AWS over IPv6
        {"0.0.0.0", 8, "an unspecified (\"this network\") address"},
        {"10.0.0.0", 8, "a private address"},
        {"100.64.0.0", 10, "a shared (carrier-grade NAT) address"},
        {"127.0.0.0", 8, "a loopback address"},
        {"169.254.0.0", 16, "a link-local address"},
        {"172.16.0.0", 12, "a private address"},
        {"192.0.0.0", 24, "a reserved address (IETF protocol assignments)"},
        {"192.0.2.0", 24, "a documentation address"},
        {"192.88.99.0", 24, "a reserved address (6to4 relay)"},
        {"192.168.0.0", 16, "a private address"},
        {"198.18.0.0", 15, "a benchmarking address"},
        {"198.51.100.0", 24, "a documentation address"},
        {"203.0.113.0", 24, "a documentation address"},
        {"224.0.0.0", 4, "a multicast address"},
        {"240.0.0.0", 4, "a reserved address"},
        {"::", 128, "the unspecified address"},
        {"::1", 128, "a loopback address"},
        {"::", 96, "an IPv4-compatible address (deprecated)"},
        {"64:ff9b:1::", 48, "a local-use NAT64 address"},
        {"2001::", 23, "a reserved address (IETF protocol assignments)"},
        {"2001:db8::", 32, "a documentation address"},
        {"3fff::", 20, "a documentation address"},
        {"fc00::", 7, "a private (unique local) address"},
        {"fe80::", 10, "a link-local address"},
        {"fec0::", 10, "a private (site-local) address"},
        {"ff00::", 8, "a multicast address"},
    };
    std::vector<ParsedRange> out;
    for (const Range& r : table) out.push_back({*parse_ip(r.network), r.length, r.reason, r.metadata});
    return out;
  }();
  return all;
}

bool within(const IpAddress& a, const IpAddress& network, unsigned length) {
  if (a.v6 != network.v6) return false;
  for (unsigned bit = 0; bit < length; bit += 8) {
    const unsigned bits = std::min(8u, length - bit);
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((a.bytes[bit / 8] & mask) != (network.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

IpAddress v4_at(const IpAddress& a, std::size_t offset) {
  IpAddress v4;
  std::copy_n(a.bytes.begin() + static_cast<std::ptrdiff_t>(offset), 4, v4.bytes.begin());
  return v4;
}

std::optional<Kind> classify(const IpAddress& address) {
  const IpAddress a = unmapped(address);
  for (const ParsedRange& r : ranges())
    if (within(a, r.network, r.length)) return Kind{r.reason, r.metadata};
  if (!a.v6) return std::nullopt;
  // IPv6 forms a gateway turns into an IPv4 connection: judged by that IPv4 address.
  const auto carried = [](const char* form, const IpAddress& v4) -> std::optional<Kind> {
    auto kind = classify(v4);
    if (kind) kind->reason = std::string(form) + " of " + kind->reason;
    return kind;
  };
  if (within(a, *parse_ip("64:ff9b::"), 96)) return carried("a NAT64 form", v4_at(a, 12));
  if (within(a, *parse_ip("2002::"), 16)) return carried("a 6to4 form", v4_at(a, 2));
  if ((a.bytes[0] & 0xe0) != 0x20) return Kind{"not a global unicast address (outside 2000::/3)"};
  return std::nullopt;
}

// Decimal digits up to `max`.
std::optional<unsigned> number_of(std::string_view s, unsigned max) {
  if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const unsigned long n = std::stoul(std::string(s));
  if (n > max) return std::nullopt;
  return static_cast<unsigned>(n);
}

}  // namespace

std::string IpAddress::text() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buffer, sizeof buffer);
  return buffer;
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  a.v6 = true;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

IpAddress unmapped(const IpAddress& a) {
  static const IpAddress mapped = *parse_ip("::ffff:0.0.0.0");
  return within(a, mapped, 96) ? v4_at(a, 12) : a;
}

std::optional<std::string> non_public_reason(const IpAddress& a) {
  auto kind = classify(a);
  if (!kind) return std::nullopt;
  return std::move(kind->reason);
}

OutboundPolicy::OutboundPolicy(const std::vector<std::string>& allow) {
  for (const std::string& text : allow) {
    const auto bad = [&](const char* why) {
      return std::invalid_argument("\"" + text + "\" " + why +
                                   " (ADDRESS, ADDRESS:PORT, NETWORK/LENGTH[:PORT], [IPV6]:PORT)");
    };
    std::string_view s = text, host = s;
    Entry e{text, {}, 0, std::nullopt};
    std::optional<std::string_view> port;
    if (s.starts_with('[')) {
      const auto close = s.find(']');
      if (close == std::string_view::npos) throw bad("lacks its closing bracket");
      host = s.substr(1, close - 1);
      const auto rest = s.substr(close + 1);
      if (!rest.empty()) {
        if (rest.front() != ':') throw bad("has text after its bracket");
        port = rest.substr(1);
      }
    } else if (std::count(s.begin(), s.end(), ':') == 1) {  // IPv4 with a port; IPv6 has two or more
      host = s.substr(0, s.find(':'));
      port = s.substr(s.find(':') + 1);
    }
    if (port) {
      const auto n = number_of(*port, 65535);
      if (!n || *n == 0) throw bad("has no port from 1 to 65535 after its colon");
      e.port = static_cast<std::uint16_t>(*n);
    }
    const auto slash = host.find('/');
    const auto address = parse_ip(host.substr(0, slash));
    if (!address) throw bad("is not an IP address (the policy judges resolved addresses, not host names)");
    const unsigned bits = static_cast<unsigned>(address->size() * 8);
    e.length = bits;
    if (slash != std::string_view::npos) {
      const auto length = host.substr(slash + 1);
      const auto n = number_of(length, bits);
      if (!n) throw bad("has a network length out of range");
      e.length = *n;
    }
    e.network = unmapped(*address);
    if (e.network.v6 != address->v6) {  // a mapped form: its IPv4 part
      if (e.length < 96) throw bad("is an IPv4-mapped network shorter than /96: write its IPv4 form");
      e.length -= 96;
    }
    allow_.push_back(std::move(e));
  }
}

OutboundPolicy::Verdict OutboundPolicy::check(std::string_view address, std::uint16_t port) const {
  const auto a = parse_ip(address);
  if (!a) return {false, "\"" + std::string(address) + "\" is not a numeric IP address"};
  return check(*a, port);
}

OutboundPolicy::Verdict OutboundPolicy::check(const IpAddress& address, std::uint16_t port) const {
  const IpAddress a = unmapped(address);
  const auto kind = classify(a);
  if (!kind) return {true, a.text() + " is a public address"};
  for (const Entry& e : allow_) {
    if (e.port && *e.port != port) continue;
    if (!within(a, e.network, e.length)) continue;
    if (kind->metadata && e.length != a.size() * 8) continue;
    return {true, a.text() + " is " + kind->reason + ", allowed by the [outbound] allow entry \"" + e.text + "\""};
  }
  return {false, a.text() + " is " + kind->reason};
}

}  // namespace relance::auth
