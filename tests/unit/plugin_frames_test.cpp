// The frames between the daemon and an isolated plugin's process (plugin_host/frames.hpp,
// wire_types.hpp): what one end writes, the other reads back field for field, also when
// many frames arrive in one read or one frame in many; and a broken peer is refused, never
// read past the end of what it sent.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "plugin_host/frames.hpp"
#include "plugin_host/wire_types.hpp"

using namespace relance::plugin_host;

namespace {

struct Pair {
  int fd[2] = {-1, -1};
  Pair() { REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fd) == 0); }
  ~Pair() {
    for (int f : fd)
      if (f >= 0) ::close(f);
  }
};

}  // namespace

TEST_CASE("a batch of events crosses the socketpair and reads back as the same events") {
  Pair p;
  Channel daemon(p.fd[0]), child(p.fd[1]);
  const std::string doc(3000, 'd');
  FrameWriter w;
  w.start(FrameKind::deliver).i64(-42).u32(300);
  for (std::int64_t id = 1; id <= 300; ++id) {
    relance_event e{};
    e.struct_size = sizeof e;
    e.attempt = 2;
    e.id = id;
    e.org_id = 7;
    e.entity_id = -id;
    e.type = str_view("contact.created");
    e.entity = str_view("contacts");
    e.occurred_at = str_view("2026-12-05T21:00:00.000Z");
    e.document = str_view(id == 5 ? std::string_view("Zoé 💥") : std::string_view(doc));
    write_event(w, e);
  }
  // About 1 MB: more than a socket buffer, so the child reads it in pieces while it is sent.
  std::thread sender([&] { daemon.send(w.finish()); });
  std::string frame;
  REQUIRE(child.receive(frame) == FrameKind::deliver);
  sender.join();
  FrameReader r = Channel::reader(frame);
  CHECK(r.i64() == -42);
  REQUIRE(r.u32() == 300);
  for (std::int64_t id = 1; id <= 300; ++id) {
    const relance_event e = read_event(r);
    CHECK(e.struct_size == sizeof(relance_event));
    CHECK(e.attempt == 2);
    CHECK(e.id == id);
    CHECK(e.org_id == 7);
    CHECK(e.entity_id == -id);
    CHECK(std::string_view(e.type.data, e.type.size) == "contact.created");
    CHECK(std::string_view(e.document.data, e.document.size) == (id == 5 ? std::string_view("Zoé 💥") : doc));
  }
  CHECK(r.done());
}

TEST_CASE("rows keep their kinds, numbers, absent and empty texts across the channel") {
  Pair p;
  Channel a(p.fd[0]), b(p.fd[1]);
  relance_value values[4] = {};
  values[0] = relance_value{RELANCE_VALUE_MONEY, 2, 123456, 0.0, str_view("EUR")};
  values[1] = relance_value{RELANCE_VALUE_REAL, 0, 0, -1.5e300, {nullptr, 0}};
  values[2] = relance_value{RELANCE_VALUE_TEXT, 0, 0, 0.0, relance_str{"", 0}};
  values[3] = relance_value{RELANCE_VALUE_NULL, 0, 0, 0.0, {nullptr, 0}};
  const relance_row row{sizeof(relance_row), 4, values};
  FrameWriter w;
  // Two frames in one write: the reader takes them apart.
  w.start(FrameKind::export_rows).i64(0);
  write_row(w, row);
  std::string both = w.finish();
  FrameWriter w2;
  both += w2.start(FrameKind::export_finish).i64(0).u8(1).finish();
  a.send(both);

  std::string frame;
  REQUIRE(b.receive(frame) == FrameKind::export_rows);
  FrameReader r = Channel::reader(frame);
  r.i64();
  WireRow got;
  got.read(r);
  got.own_texts();
  const relance_row& back = got.row();
  REQUIRE(back.count == 4);
  CHECK(back.values[0].kind == RELANCE_VALUE_MONEY);
  CHECK(back.values[0].scale == 2);
  CHECK(back.values[0].integer == 123456);
  CHECK(std::string_view(back.values[0].text.data, back.values[0].text.size) == "EUR");
  CHECK(back.values[1].real == -1.5e300);
  CHECK(back.values[1].text.data == nullptr);
  CHECK(back.values[2].text.data != nullptr);  // empty, not absent
  CHECK(back.values[2].text.size == 0);
  CHECK(back.values[3].kind == RELANCE_VALUE_NULL);
  REQUIRE(b.receive(frame) == FrameKind::export_finish);
  FrameReader f = Channel::reader(frame);
  f.i64();
  CHECK(f.u8() == 1);
}

TEST_CASE("a peer that breaks the protocol is refused: a frame shorter than its fields, an absurd length, an end") {
  Pair p;
  Channel a(p.fd[0]), b(p.fd[1]);
  FrameWriter w;
  a.send(w.start(FrameKind::reply).u8(1).finish());
  std::string frame;
  REQUIRE(b.receive(frame) == FrameKind::reply);
  FrameReader r = Channel::reader(frame);
  CHECK(r.u8() == 1);
  CHECK_THROWS_AS(r.str(), ProtocolError);  // its length would lie past the frame

  const unsigned char huge[] = {0xff, 0xff, 0xff, 0x7f, 40};
  REQUIRE(::write(p.fd[0], huge, sizeof huge) == static_cast<ssize_t>(sizeof huge));
  CHECK_THROWS_AS(b.receive(frame), ProtocolError);

  Pair q;
  Channel c(q.fd[1]);
  const unsigned char cut[] = {10, 0, 0, 0, 40, 1};  // 10 bytes announced, 2 sent, then the end
  REQUIRE(::write(q.fd[0], cut, sizeof cut) == static_cast<ssize_t>(sizeof cut));
  ::close(q.fd[0]);
  q.fd[0] = -1;
  CHECK_THROWS_AS(c.receive(frame), ChannelClosed);
}
