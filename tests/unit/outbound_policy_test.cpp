// The outbound policy: which resolved addresses the daemon and its plugins may connect to.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "auth/outbound_policy.hpp"

using namespace relance::auth;

namespace {

bool allowed(const OutboundPolicy& p, const char* address, std::uint16_t port = 25) {
  return p.check(address, port).allowed;
}

}  // namespace

TEST_CASE("the outbound policy refuses loopback private link-local metadata and other non-public IPv4 addresses") {
  const OutboundPolicy policy;
  for (const char* address :
       {"127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.10", "169.254.0.1",
        "169.254.169.254", "100.64.0.1", "100.127.255.254", "100.100.100.200", "0.0.0.0", "0.1.2.3",
        "255.255.255.255", "224.0.0.1", "239.255.255.250", "240.0.0.1", "192.0.0.192", "192.0.2.1",
        "198.51.100.7", "203.0.113.9", "198.18.0.1", "198.19.255.255", "192.88.99.1"}) {
    INFO(address);
    CHECK_FALSE(allowed(policy, address));
    CHECK(non_public_reason(*parse_ip(address)));
  }
}

TEST_CASE("the outbound policy lets public addresses through on any port") {
  const OutboundPolicy policy;
  for (const char* address : {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255",
                              "100.128.0.1", "169.253.255.255", "192.169.0.1", "198.17.255.255", "2001:4860:4860::8888",
                              "2a00:1450:4007:80f::200e", "2606:4700:4700::1111", "64:ff9b::808:808"}) {
    INFO(address);
    CHECK(allowed(policy, address, 25));
    CHECK(allowed(policy, address, 2525));
    CHECK_FALSE(non_public_reason(*parse_ip(address)));
  }
}

TEST_CASE("the outbound policy refuses loopback unique-local link-local multicast and reserved IPv6 addresses") {
  const OutboundPolicy policy;
  for (const char* address : {"::1", "::", "fc00::1", "fd12:3456::1", "fd00:ec2::254", "fe80::1", "febf::1",
                              "fec0::1", "ff02::1", "ff05::1:3", "2001:db8::1", "3fff::1", "2001::1",
                              "64:ff9b:1::1", "100::1", "4000::1", "::2:3"}) {
    INFO(address);
    CHECK_FALSE(allowed(policy, address));
  }
}

TEST_CASE("IPv6 forms that carry an IPv4 address are judged by that address") {
  const OutboundPolicy policy;
  // Mapped (a dual-stack socket reaches the IPv4 host), compatible (deprecated), NAT64, 6to4.
  for (const char* address : {"::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.1.2.3", "::ffff:169.254.169.254",
                              "::127.0.0.1", "::10.0.0.1", "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe",
                              "64:ff9b::c0a8:101", "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:101::"}) {
    INFO(address);
    CHECK_FALSE(allowed(policy, address));
  }
  CHECK(allowed(policy, "::ffff:8.8.8.8"));
  CHECK(allowed(policy, "2002:808:808::1"));
  CHECK(unmapped(*parse_ip("::ffff:127.0.0.1")) == *parse_ip("127.0.0.1"));
  CHECK(policy.check("::ffff:127.0.0.1", 25).reason == "127.0.0.1 is a loopback address");
  CHECK(policy.check("64:ff9b::a9fe:a9fe", 80).reason.find("a NAT64 form of a cloud metadata address") !=
        std::string::npos);
}

TEST_CASE("the outbound policy refuses host names and text that is not a numeric address") {
  const OutboundPolicy policy;
  for (const char* text : {"localhost", "example.org", "", "127.1", "0x7f000001", "2130706433", "[::1]",
                           "fe80::1%eth0", "127.0.0.1 "}) {
    INFO(text);
    const auto verdict = policy.check(text, 25);
    CHECK_FALSE(verdict.allowed);
    CHECK(verdict.reason.find("not a numeric IP address") != std::string::npos);
  }
}

TEST_CASE("an allow entry opens exactly its address and port") {
  const OutboundPolicy policy({"127.0.0.1:2525", "[::1]:2526", "10.0.0.0/8", "[fd00::/8]:25", "192.168.1.5"});
  CHECK(allowed(policy, "127.0.0.1", 2525));
  CHECK_FALSE(allowed(policy, "127.0.0.1", 2526));
  CHECK_FALSE(allowed(policy, "127.0.0.2", 2525));
  CHECK(allowed(policy, "::ffff:127.0.0.1", 2525));  // the same host, in its mapped form
  CHECK(allowed(policy, "::1", 2526));
  CHECK_FALSE(allowed(policy, "::1", 2525));
  CHECK(allowed(policy, "10.200.3.4", 1));
  CHECK(allowed(policy, "10.200.3.4", 65535));
  CHECK(allowed(policy, "11.0.0.1", 25));  // public anyway
  CHECK(allowed(policy, "fd12::1", 25));
  CHECK_FALSE(allowed(policy, "fd12::1", 587));
  CHECK_FALSE(allowed(policy, "fe80::1", 25));
  CHECK(allowed(policy, "192.168.1.5", 587));
  CHECK_FALSE(allowed(policy, "192.168.1.6", 587));
  const auto verdict = policy.check("127.0.0.1", 2525);
  CHECK(verdict.reason == "127.0.0.1 is a loopback address, allowed by the [outbound] allow entry \"127.0.0.1:2525\"");
}

TEST_CASE("a metadata address is allowed only by an entry naming it, never by its network") {
  CHECK(allowed(OutboundPolicy({"0.0.0.0/0", "[::/0]"}), "10.1.1.1", 80));
  CHECK(allowed(OutboundPolicy({"0.0.0.0/0", "[::/0]"}), "::1", 80));
  CHECK_FALSE(allowed(OutboundPolicy({"0.0.0.0/0", "[::/0]"}), "169.254.169.254", 80));
  CHECK_FALSE(allowed(OutboundPolicy({"169.254.0.0/16"}), "169.254.169.254", 80));
  CHECK(allowed(OutboundPolicy({"169.254.0.0/16"}), "169.254.1.1", 80));
  CHECK_FALSE(allowed(OutboundPolicy({"[fd00::/8]"}), "fd00:ec2::254", 80));
  CHECK(allowed(OutboundPolicy({"169.254.169.254:80"}), "169.254.169.254", 80));
}

TEST_CASE("an allow entry in mapped form is its IPv4 address") {
  const OutboundPolicy policy({"[::ffff:127.0.0.1]:2525", "::ffff:10.0.0.0/104"});
  CHECK(allowed(policy, "127.0.0.1", 2525));
  CHECK(allowed(policy, "10.9.9.9", 25));
  CHECK_FALSE(allowed(policy, "127.0.0.1", 2526));
}

TEST_CASE("an allow entry that is not an address refuses the configuration naming it") {
  for (const char* entry : {"localhost:2525", "smtp.example.org", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                            "127.0.0.1:25x", "[::1", "[::1]2525", "10.0.0.0/33", "10.0.0.0/", "fd00::/129", "",
                            "::ffff:10.0.0.0/64"}) {
    INFO(entry);
    try {
      OutboundPolicy policy({entry});
      FAIL("accepted");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find(std::string("\"") + entry + "\"") != std::string::npos);
    }
  }
}
