// relance.host.http/1 as an isolated plugin's child offers it (plugin_host/proxied_services.hpp):
// the daemon's answer reaches the plugin's record field for field, no further than the
// record's struct_size; a request too large for a frame is refused in the child with a
// reason, the daemon never asked (a frame past the cap would end the child).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "plugin_host/proxied_services.hpp"
#include "relance/host/http.h"

using namespace relance::plugin_host;

namespace {

// The daemon's end as the stubs see it: every call answered with `answer`.
class FakeLink final : public ChildLink {
 public:
  FrameReader call(const std::string& frame) override {
    calls.push_back(frame);
    reply = answer.substr(4);  // past the length: the kind, then the payload
    return Channel::reader(reply);
  }
  void notice(const std::string& frame) override { notices.push_back(frame); }
  std::int32_t event_index() const override { return 0; }
  bool on_call_thread() const override { return true; }
  std::int64_t clock_offset_ms() const override { return 0; }

  std::string answer, reply;
  std::vector<std::string> calls, notices;
};

const relance_host_http_v1& http_of(ChildHost& h) {
  const void* t = h.raw.get_service(&h.raw, RELANCE_HOST_HTTP_V1);
  REQUIRE(t);
  return *static_cast<const relance_host_http_v1*>(t);
}

relance_http_request post(const std::string& body, const std::vector<relance_http_header>& headers) {
  relance_http_request r{};
  r.struct_size = sizeof r;
  r.method = relance_str{"POST", 4};
  r.url = relance_str{"https://partner.example/hooks", 29};
  r.header_count = headers.size();
  r.header_size = sizeof(relance_http_header);
  r.headers = headers.data();
  r.body = relance_str{body.data(), body.size()};
  return r;
}

}  // namespace

TEST_CASE("an isolated plugin reads the daemon's HTTP answer, headers and body, as in process") {
  FakeLink link;
  FrameWriter w;
  w.start(FrameKind::service_reply).i32(RELANCE_OK).u32(RELANCE_HTTP_TRUNCATED).i32(410).u32(1).u32(2);
  w.str("Content-Type").str("application/json").str("Retry-After").str("60");
  w.str("{\"gone\":true}").u8(0).str("");
  link.answer = w.finish();
  auto host = make_child_host(link, true);
  const std::vector<relance_http_header> headers{{relance_str{"webhook-id", 10}, relance_str{"evt_1", 5}}};
  const std::string body = "{\"type\":\"contact.created\"}";
  const relance_http_request req = post(body, headers);

  relance_http_response res{};
  res.struct_size = sizeof res;
  REQUIRE(http_of(*host).request(&host->raw, &req, &res) == RELANCE_OK);
  REQUIRE(link.calls.size() == 1);
  CHECK(link.calls[0].find("webhook-id") != std::string::npos);  // the request's header went
  CHECK(link.calls[0].find(body) != std::string::npos);
  CHECK(res.status == 410);
  CHECK(res.flags == RELANCE_HTTP_TRUNCATED);
  CHECK(res.redirects == 1);
  REQUIRE(res.header_count == 2);
  CHECK(std::string(res.headers[1].name.data, res.headers[1].name.size) == "Retry-After");
  CHECK(std::string(res.headers[1].value.data, res.headers[1].value.size) == "60");
  CHECK(std::string(res.body.data, res.body.size) == "{\"gone\":true}");
  CHECK(res.error.data == nullptr);

  // A plugin built with a shorter record gets the fields it has room for, nothing past them.
  unsigned char bytes[sizeof(relance_http_response)];
  std::fill(std::begin(bytes), std::end(bytes), 0xAB);
  auto* older = reinterpret_cast<relance_http_response*>(bytes);
  older->struct_size = offsetof(relance_http_response, header_count);
  REQUIRE(http_of(*host).request(&host->raw, &req, older) == RELANCE_OK);
  CHECK(older->status == 410);
  CHECK(bytes[offsetof(relance_http_response, header_count)] == 0xAB);
}

TEST_CASE("a request too large for a frame is refused in the isolated plugin's process, with a reason, and the "
          "daemon is not asked") {
  FakeLink link;
  auto host = make_child_host(link, true);
  const std::string body(max_frame_bytes + 1, 'x');
  const relance_http_request req = post(body, {});
  relance_http_response res{};
  res.struct_size = sizeof res;
  CHECK(http_of(*host).request(&host->raw, &req, &res) == RELANCE_INVALID);
  CHECK(link.calls.empty());
  CHECK(std::string(res.error.data, res.error.size).find("larger than the 64 MiB") != std::string::npos);
  CHECK(res.status == 0);
  REQUIRE(link.notices.size() == 1);  // the operator reads why in the daemon's log
  CHECK(link.notices[0].find("HTTP request refused") != std::string::npos);
}
