#include "plugin_host/proxied_services.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <vector>

#include "plugin_host/host_http.hpp"
#include "plugin_host/host_services.hpp"
#include "plugin_host/wire_types.hpp"
#include "relance/host/clock.h"
#include "relance/host/config.h"
#include "relance/host/log.h"
#include "relance/host/outbound.h"
#include "relance/host/query.h"
#include "relance/host/state.h"
#include "relance/host/suspend.h"

namespace relance::plugin_host {
namespace {

ChildHost& child(const relance_host* h) { return *static_cast<ChildHost*>(h->host_data); }

// A service frame: op, which handle, the event in delivery; the caller adds the arguments.
FrameWriter& begin(FrameWriter& w, FrameKind kind, const ChildHost& h, ServiceOp op) {
  return w.start(kind).u16(static_cast<std::uint16_t>(op)).u8(h.instance ? 1 : 0).i32(h.link->event_index());
}

// The instance-only services answer only on the thread in the plugin call (the SDK's rule).
bool callable(const ChildHost& h) { return h.link->on_call_thread(); }

// --- relance.host.log/1 ---------------------------------------------------------------
void log_stub(const relance_host* h, int32_t level, relance_str message) {
  FrameWriter w;
  begin(w, FrameKind::notice, child(h), ServiceOp::log).i32(level).str(message.data, std::min<std::size_t>(message.size, 65536));
  child(h).link->notice(w.finish());
}
const relance_host_log_v1 log_v1{sizeof(relance_host_log_v1), &log_stub};

// --- relance.host.clock/1: the daemon's clock, without a round trip ----------------------
int64_t now_ms_stub(const relance_host* h) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch()).count();
  return now + child(h).link->clock_offset_ms();
}
int64_t monotonic_stub(const relance_host*) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
const relance_host_clock_v1 clock_v1{sizeof(relance_host_clock_v1), &now_ms_stub, &monotonic_stub};

// --- relance.host.outbound/1 ----------------------------------------------------------
relance_status outbound_stub(const relance_host* h, relance_str address, uint16_t port) {
  if (!callable(child(h))) return RELANCE_INVALID;  // see docs/sdk.md, "Isolated plugins"
  FrameWriter w;
  begin(w, FrameKind::service, child(h), ServiceOp::outbound_check).str(address.data, std::min<std::size_t>(address.size, 256)).u16(port);
  return child(h).link->call(w.finish()).i32();
}
const relance_host_outbound_v1 outbound_v1{sizeof(relance_host_outbound_v1), &outbound_stub};

// --- relance.host.config/1: from create ------------------------------------------------
relance_str settings_stub(const relance_host* h) { return str_view(child(h).settings); }
relance_str name_stub(const relance_host* h) { return str_view(child(h).name); }
int64_t org_stub(const relance_host* h) { return child(h).org_id; }
const relance_host_config_v1 config_v1{sizeof(relance_host_config_v1), &settings_stub, &name_stub, &org_stub};

// --- relance.host.state/1 -------------------------------------------------------------
relance_status state_get_stub(const relance_host* h, relance_str key, relance_str* value) {
  if (!value) return RELANCE_INVALID;
  *value = relance_str{nullptr, 0};
  ChildHost& c = child(h);
  if (!callable(c)) return RELANCE_INVALID;
  FrameWriter w;
  begin(w, FrameKind::service, c, ServiceOp::state_get).str(key.data, key.size);
  FrameReader r = c.link->call(w.finish());
  const relance_status s = r.i32();
  const bool present = r.u8() != 0;
  c.last_value = r.str();
  if (present) *value = relance_str{c.last_value.c_str(), c.last_value.size()};
  return s;
}
relance_status state_write_stub(const relance_host* h, relance_str key, const relance_str* value) {
  ChildHost& c = child(h);
  if (!callable(c)) return RELANCE_INVALID;
  FrameWriter w;
  begin(w, FrameKind::service, c, value ? ServiceOp::state_put : ServiceOp::state_erase).str(key.data, key.size);
  if (value) w.u8(value->data ? 1 : 0).str(value->data, value->size);
  return c.link->call(w.finish()).i32();
}
relance_status state_put_stub(const relance_host* h, relance_str key, relance_str value) {
  return state_write_stub(h, key, &value);
}
relance_status state_erase_stub(const relance_host* h, relance_str key) { return state_write_stub(h, key, nullptr); }
const relance_host_state_v1 state_v1{sizeof(relance_host_state_v1), &state_get_stub, &state_put_stub, &state_erase_stub};

// --- relance.host.query/1 -------------------------------------------------------------
// A cursor in the child: the daemon's cursor's number, and the last dataset and row read.
struct ChildQuery {
  ChildHost* host;
  std::uint32_t id;
  WireDataset dataset;
  WireRow row;
};
relance_query* as_query(ChildQuery* q) { return reinterpret_cast<relance_query*>(q); }
ChildQuery* of_query(relance_query* q) { return reinterpret_cast<ChildQuery*>(q); }

relance_status query_open_stub(const relance_host* h, relance_str dataset, relance_str filters, relance_query** out,
                               const relance_dataset** columns) {
  if (!out || !columns) return RELANCE_INVALID;
  *out = nullptr;
  *columns = nullptr;
  ChildHost& c = child(h);
  if (!callable(c)) return RELANCE_INVALID;
  FrameWriter w;
  begin(w, FrameKind::service, c, ServiceOp::query_open).str(dataset.data, dataset.size).str(filters.data, filters.size);
  FrameReader r = c.link->call(w.finish());
  const relance_status s = r.i32();
  if (s != RELANCE_OK) return s;
  auto q = std::make_unique<ChildQuery>();
  q->host = &c;
  q->id = r.u32();
  q->dataset.read(r);
  *columns = &q->dataset.dataset();
  *out = as_query(q.release());
  return RELANCE_OK;
}
relance_status query_next_stub(relance_query* query, const relance_row** row) {
  if (!query || !row) return RELANCE_INVALID;
  *row = nullptr;
  ChildQuery& q = *of_query(query);
  if (!callable(*q.host)) return RELANCE_INVALID;
  FrameWriter w;
  begin(w, FrameKind::service, *q.host, ServiceOp::query_next).u32(q.id);
  FrameReader r = q.host->link->call(w.finish());
  const relance_status s = r.i32();
  if (s == RELANCE_OK && r.u8() != 0) {
    q.row.read(r);
    q.row.own_texts();  // the answer's frame is reused by the next call
    *row = &q.row.row();
  }
  return s;
}
void query_close_stub(relance_query* query) {
  if (!query) return;
  ChildQuery* q = of_query(query);
  FrameWriter w;
  begin(w, FrameKind::notice, *q->host, ServiceOp::query_close).u32(q->id);
  q->host->link->notice(w.finish());
  delete q;
}
const relance_host_query_v1 query_v1{sizeof(relance_host_query_v1), &query_open_stub, &query_next_stub,
                                     &query_close_stub};

// --- relance.host.http/1 --------------------------------------------------------------
// Whether a request (with its frame's fields) fits in one frame.
bool fits_in_frame(const relance_http_request& req) {
  std::size_t bytes = 64 + req.method.size + req.url.size + req.body.size;
  for (std::size_t k = 0; k < req.header_count && bytes <= max_frame_bytes; ++k) {
    const relance_http_header& hd = http_header(req, k);
    bytes += 8 + hd.name.size + hd.value.size;
  }
  return bytes <= max_frame_bytes;
}

relance_status http_stub(const relance_host* h, const relance_http_request* req, relance_http_response* res) {
  if (!res || res->struct_size < sizeof(std::uint32_t)) return RELANCE_INVALID;
  ChildHost& c = child(h);
  if (!callable(c)) return RELANCE_INVALID;
  c.http_texts.clear();
  c.http_headers.clear();
  c.http_body.clear();
  c.http_error.clear();
  relance_http_response full{};
  full.struct_size = sizeof full;
  full.header_size = sizeof(relance_http_header);
  full.body = relance_str{"", 0};
  const bool readable = readable_http_request(req);
  if (readable && !fits_in_frame(*req)) {
    c.http_error = "the request is larger than the " + std::to_string(max_frame_bytes >> 20) +
                   " MiB a plugin run in a process of its own may send";
    const std::string line = "HTTP request refused: " + c.http_error;
    log_stub(h, RELANCE_LOG_WARN, relance_str{line.data(), line.size()});
    full.error = str_view(c.http_error);
    give_http_response(full, *res);
    return RELANCE_INVALID;
  }
  // An unreadable request goes as such: the daemon answers it as it does in process.
  FrameWriter w;
  begin(w, FrameKind::service, c, ServiceOp::http_request).u8(readable ? 1 : 0);
  if (readable) {
    w.u32(req->flags).str(req->method.data, req->method.size).str(req->url.data, req->url.size);
    w.u32(static_cast<std::uint32_t>(req->header_count));
    for (std::size_t k = 0; k < req->header_count; ++k) {
      const relance_http_header& hd = http_header(*req, k);
      w.str(hd.name.data, hd.name.size).str(hd.value.data, hd.value.size);
    }
    w.str(req->body.data, req->body.size).u32(req->timeout_ms).u32(req->max_redirects);
    w.i64(static_cast<std::int64_t>(std::min<std::size_t>(req->max_response_bytes, INT64_MAX)));
  }
  FrameReader r = c.link->call(w.finish());
  const relance_status s = r.i32();
  full.flags = r.u32();
  full.status = r.i32();
  full.redirects = r.u32();
  for (std::uint32_t n = r.u32(); n > 0; --n) {
    c.http_texts.emplace_back(r.str());
    c.http_texts.emplace_back(r.str());
  }
  for (std::size_t k = 0; k + 1 < c.http_texts.size(); k += 2)
    c.http_headers.push_back(relance_http_header{str_view(c.http_texts[k]), str_view(c.http_texts[k + 1])});
  c.http_body = r.str();
  const bool error = r.u8() != 0;
  c.http_error = r.str();
  full.header_count = c.http_headers.size();
  full.headers = c.http_headers.data();
  full.body = relance_str{c.http_body.c_str(), c.http_body.size()};
  full.error = error ? relance_str{c.http_error.c_str(), c.http_error.size()} : relance_str{nullptr, 0};
  give_http_response(full, *res);
  return s;
}
const relance_host_http_v1 http_v1{sizeof(relance_host_http_v1), &http_stub};

// --- relance.host.suspend/1 -----------------------------------------------------------
relance_status suspend_stub(const relance_host* h, relance_str reason) {
  ChildHost& c = child(h);
  if (!callable(c)) return RELANCE_INVALID;
  FrameWriter w;
  begin(w, FrameKind::service, c, ServiceOp::suspend).str(reason.data, std::min<std::size_t>(reason.size, 2000));
  const relance_status s = c.link->call(w.finish()).i32();
  if (s == RELANCE_OK) c.suspending = true;
  return s;
}
const relance_host_suspend_v1 suspend_v1{sizeof(relance_host_suspend_v1), &suspend_stub};

const void* child_service(const relance_host* h, const char* id) {
  if (!h || !id) return nullptr;
  if (std::strcmp(id, RELANCE_HOST_LOG_V1) == 0) return &log_v1;
  if (std::strcmp(id, RELANCE_HOST_CLOCK_V1) == 0) return &clock_v1;
  if (std::strcmp(id, RELANCE_HOST_OUTBOUND_V1) == 0) return &outbound_v1;
  if (!child(h).instance) return nullptr;
  if (std::strcmp(id, RELANCE_HOST_CONFIG_V1) == 0) return &config_v1;
  if (std::strcmp(id, RELANCE_HOST_STATE_V1) == 0) return &state_v1;
  if (std::strcmp(id, RELANCE_HOST_QUERY_V1) == 0) return &query_v1;
  if (std::strcmp(id, RELANCE_HOST_HTTP_V1) == 0) return &http_v1;
  if (std::strcmp(id, RELANCE_HOST_SUSPEND_V1) == 0) return &suspend_v1;
  return nullptr;
}

template <typename Table>
const Table& real(HostContext& h, const char* id) {
  return *static_cast<const Table*>(h.raw.get_service(&h.raw, id));
}

}  // namespace

std::unique_ptr<ChildHost> make_child_host(ChildLink& link, bool instance) {
  auto h = std::make_unique<ChildHost>();
  h->link = &link;
  h->instance = instance;
  h->raw = relance_host{sizeof(relance_host), RELANCE_SDK_EPOCH, RELANCE_SDK_MINOR, RELANCE_SDK_PATCH, h.get(),
                        &child_service};
  return h;
}

ServiceServer::~ServiceServer() { close_queries(); }

void ServiceServer::close_queries() {
  if (queries_.empty()) return;
  const auto& q = real<relance_host_query_v1>(instance_, RELANCE_HOST_QUERY_V1);
  for (auto& [id, cursor] : queries_) q.close(cursor);
  queries_.clear();
}

bool ServiceServer::serve(FrameReader in, FrameWriter& out, std::int32_t& event_index) {
  const auto op = static_cast<ServiceOp>(in.u16());
  HostContext& h = in.u8() != 0 && instance_.instance ? instance_ : plugin_;
  event_index = in.i32();
  out.start(FrameKind::service_reply);
  switch (op) {
    case ServiceOp::log: {
      const std::int32_t level = in.i32();
      real<relance_host_log_v1>(h, RELANCE_HOST_LOG_V1).log(&h.raw, level, str_view(in.str()));
      return false;
    }
    case ServiceOp::now_ms:
      out.i64(real<relance_host_clock_v1>(h, RELANCE_HOST_CLOCK_V1).now_ms(&h.raw));
      return true;
    case ServiceOp::outbound_check: {
      const std::string_view address = in.str();
      const std::uint16_t port = in.u16();
      out.i32(real<relance_host_outbound_v1>(h, RELANCE_HOST_OUTBOUND_V1).check(&h.raw, str_view(address), port));
      return true;
    }
    default: break;
  }
  if (&h != &instance_) throw ProtocolError("an instance's service called on the plugin-wide handle");
  switch (op) {
    case ServiceOp::state_get: {
      relance_str value{nullptr, 0};
      const auto s = real<relance_host_state_v1>(h, RELANCE_HOST_STATE_V1).get(&h.raw, str_view(in.str()), &value);
      out.i32(s).u8(value.data ? 1 : 0).str(value.data, value.size);
      return true;
    }
    case ServiceOp::state_put: {
      const std::string_view key = in.str();
      const bool present = in.u8() != 0;
      const std::string_view v = in.str();
      const relance_str value{present ? v.data() : nullptr, v.size()};
      out.i32(real<relance_host_state_v1>(h, RELANCE_HOST_STATE_V1).put(&h.raw, str_view(key), value));
      return true;
    }
    case ServiceOp::state_erase:
      out.i32(real<relance_host_state_v1>(h, RELANCE_HOST_STATE_V1).erase(&h.raw, str_view(in.str())));
      return true;
    case ServiceOp::query_open: {
      const std::string_view dataset = in.str();
      const std::string_view filters = in.str();
      relance_query* q = nullptr;
      const relance_dataset* columns = nullptr;
      const auto s = real<relance_host_query_v1>(h, RELANCE_HOST_QUERY_V1)
                         .open(&h.raw, str_view(dataset), str_view(filters), &q, &columns);
      out.i32(s);
      if (s == RELANCE_OK) {
        const std::uint32_t id = next_query_++;
        queries_[id] = q;
        out.u32(id);
        write_dataset(out, *columns);
      }
      return true;
    }
    case ServiceOp::query_next: {
      auto it = queries_.find(in.u32());
      if (it == queries_.end()) {
        out.i32(RELANCE_INVALID);
        return true;
      }
      const relance_row* row = nullptr;
      const auto s = real<relance_host_query_v1>(h, RELANCE_HOST_QUERY_V1).next(it->second, &row);
      out.i32(s).u8(s == RELANCE_OK && row ? 1 : 0);
      if (s == RELANCE_OK && row) write_row(out, *row);
      return true;
    }
    case ServiceOp::http_request: {
      relance_http_request req{};
      std::vector<relance_http_header> headers;
      const bool readable = in.u8() != 0;
      if (readable) {
        req.struct_size = sizeof req;
        req.flags = in.u32();
        req.method = str_view(in.str());
        req.url = str_view(in.str());
        for (std::uint32_t n = in.u32(); n > 0; --n) {
          const std::string_view name = in.str();
          headers.push_back(relance_http_header{str_view(name), str_view(in.str())});
        }
        req.header_count = headers.size();
        req.header_size = sizeof(relance_http_header);
        req.headers = headers.data();
        req.body = str_view(in.str());
        req.timeout_ms = in.u32();
        req.max_redirects = in.u32();
        req.max_response_bytes = static_cast<std::size_t>(in.i64());  // cut by the service
      }
      relance_http_response res{};
      res.struct_size = sizeof res;
      const auto s = real<relance_host_http_v1>(h, RELANCE_HOST_HTTP_V1).request(&h.raw, readable ? &req : nullptr, &res);
      out.i32(s).u32(res.flags).i32(res.status).u32(res.redirects).u32(static_cast<std::uint32_t>(res.header_count));
      for (std::size_t k = 0; k < res.header_count; ++k)
        out.str(res.headers[k].name.data, res.headers[k].name.size).str(res.headers[k].value.data, res.headers[k].value.size);
      out.str(res.body.data, res.body.size).u8(res.error.data ? 1 : 0).str(res.error.data, res.error.size);
      return true;
    }
    case ServiceOp::suspend:
      out.i32(real<relance_host_suspend_v1>(h, RELANCE_HOST_SUSPEND_V1).suspend(&h.raw, str_view(in.str())));
      return true;
    case ServiceOp::query_close: {
      if (auto it = queries_.find(in.u32()); it != queries_.end()) {
        real<relance_host_query_v1>(h, RELANCE_HOST_QUERY_V1).close(it->second);
        queries_.erase(it);
      }
      return false;
    }
    default: break;
  }
  throw ProtocolError("an unknown service call " + std::to_string(static_cast<int>(op)));
}

}  // namespace relance::plugin_host
