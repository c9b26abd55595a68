// OutboundPolicy: whether the daemon or a plugin may connect to an address (DESIGN.md,
// "Security model": outbound connectors refuse private and loopback addresses unless the
// configuration allows them). Without it, anyone who may configure a plugin instance could
// point it at the daemon's own host, the local network or a cloud metadata service, and
// read what answers from the instance's errors.
//
// The policy judges resolved numeric addresses, never host names: a name is resolved first
// and every address it resolves to is checked before a connection to it is attempted.
// Refused, unless an `[outbound] allow` entry names them: loopback, private (RFC 1918, ULA
// fc00::/7, site-local), link-local, CGNAT 100.64/10, multicast, unspecified, broadcast,
// documentation, benchmarking and other reserved ranges, IPv6 outside 2000::/3, and cloud
// metadata addresses. IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64
// 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address; IPv4-compatible ::a.b.c.d
// is refused.
//
// Allow entries: "ADDRESS", "ADDRESS:PORT", "NETWORK/LENGTH", "NETWORK/LENGTH:PORT", IPv6
// in brackets when a port follows ("[::1]:2525", "[fd00::/8]:25"). A metadata address is
// allowed only by an entry naming that very address, never by a network around it.
//
// Thread safety: const after construction; check() may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relance::auth {

struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4: the first 4

  std::size_t size() const { return v6 ? 16 : 4; }
  std::string text() const;
  bool operator==(const IpAddress&) const = default;
};

// A numeric IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1", no brackets, no zone) address.
std::optional<IpAddress> parse_ip(std::string_view text);

// The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) stands for; any other
// address unchanged. A mapped address reaches the IPv4 host, so it is judged and matched as
// that host.
IpAddress unmapped(const IpAddress& a);

// Why `a` is not a public unicast address ("a loopback address", "a cloud metadata
// address"...), or nullopt when it is one.
std::optional<std::string> non_public_reason(const IpAddress& a);

class OutboundPolicy {
 public:
  struct Verdict {
    bool allowed = false;
    std::string reason;  // for the operator's log: what the address is, which entry allowed it
  };

  // Refuses every non-public address.
  OutboundPolicy() = default;
  // Throws std::invalid_argument naming the first entry that is not of the forms above.
  explicit OutboundPolicy(const std::vector<std::string>& allow);

  // `address` is numeric (a host name is refused: resolve it, then check each address).
  Verdict check(std::string_view address, std::uint16_t port) const;
  Verdict check(const IpAddress& address, std::uint16_t port) const;

 private:
  struct Entry {
    std::string text;
    IpAddress network;
    unsigned length = 0;                // prefix length in bits
    std::optional<std::uint16_t> port;  // any port when absent
  };
  std::vector<Entry> allow_;
};

}  // namespace relance::auth
