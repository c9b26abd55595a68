#include "plugin_host/isolated_instance.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

#include "plugin_host/crash_marker.hpp"
#include "plugin_host/loader.hpp"
#include "plugin_host/wire_types.hpp"

namespace relance::plugin_host {
namespace {

// Rows go to the child in frames of about this size.
constexpr std::size_t rows_frame_bytes = 256 * 1024;
// An exporter's bytes of one request are handed to the sink in one piece up to this size: an
// export's body takes a piece without waiting while its window is not full, and the export
// stops between two rows once it is (core/services/body_stream.hpp), so a batch of rows
// never holds the export's thread on a client that does not read.
constexpr std::size_t max_held_output = 4 << 20;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

IsolatedInstance::IsolatedInstance(const PluginFile& plugin, HostContext& host, CallWatch& watch)
    : plugin_(plugin),
      host_(host),
      watch_(watch),
      plugin_wide_(make_host(*host.env, plugin.id, nullptr)),
      server_(host, *plugin_wide_) {}

IsolatedInstance::~IsolatedInstance() {
  try {
    destroy();
  } catch (const std::exception& e) {
    spdlog::warn("plugin {}: stopping its process: {}", plugin_.id, e.what());
  }
  watch_.set_child(0);
}

FrameWriter& IsolatedInstance::request(FrameKind kind) {
  // The daemon's clock may be shifted (tests): the child's clock service adds the offset.
  return out_.start(kind).i64(host_.env->now_ms() - wall_ms());
}

void IsolatedInstance::lost(const std::string& what) {
  server_.close_queries();
  const bool overran = watch_.interrupted();
  watch_.started.store(0);  // before the child is forgotten: the watchdog sees no call then
  watch_.set_child(0);
  const std::string how = child_ ? child_->reap(true) : "gone";
  child_.reset();
  created_ = false;
  if (overran) death_ = "its process was killed: a call ran longer than its budget";
  else if (!dying_.empty()) death_ = "its process died of " + dying_;
  else death_ = "its process ended (" + how + ")";
  if (!what.empty()) death_ += "; " + what;
  dying_.clear();
  const std::string who = host_.instance ? fmt::format(" [{}#{}]", host_.instance->name, host_.instance->id) : "";
  spdlog::error("plugin {}{}: {}; it is started again for the next call", plugin_.id, who, death_);
}

std::optional<FrameReader> IsolatedInstance::exchange(const char* step, const NextEvent* next) {
  if (!child_) {
    death_ = "its process is not running";
    return std::nullopt;
  }
  watch_.step.store(step);
  try {
    Channel& ch = child_->channel();
    ch.send(out_.finish());
    for (;;) {
      const FrameKind kind = ch.receive(in_);
      FrameReader r = Channel::reader(in_);
      switch (kind) {
        case FrameKind::reply:
          pass_output();
          return r;
        case FrameKind::service:
        case FrameKind::notice: {
          std::int32_t index = 0;
          const bool answer = server_.serve(r, answer_, index);
          // A call made in a later event of the batch: the ones before it were delivered.
          for (; next && event_at_ < index; ++event_at_) (*next)();
          if (answer) ch.send(answer_.finish());
          break;
        }
        case FrameKind::output:
          output_.append(r.str());
          if (output_.size() >= max_held_output) pass_output();
          break;
        case FrameKind::dying: {
          const std::int32_t sig = r.i32();
          const bool memory = r.u8() != 0;
          dying_ = signal_name(sig);
          if (memory)
            dying_ += ", out of memory (its address space is limited to " +
                      std::to_string(host_.env->isolation.memory_mb) + " MiB)";
          break;
        }
        default: throw ProtocolError("an unexpected frame from the plugin host");
      }
    }
  } catch (const ChannelClosed&) {
    output_.clear();
    lost("");
  } catch (const ProtocolError& e) {
    output_.clear();
    lost(std::string("it broke the protocol: ") + e.what());
  }
  return std::nullopt;
}

std::string IsolatedInstance::start() {
  try {
    const std::string& root = host_.env->isolation.work_dir;
    const std::string dir =
        ((root.empty() ? std::filesystem::temp_directory_path() / "relance-plugin-work" : std::filesystem::path(root)) /
         plugin_.id)
            .string();
    child_ = std::make_unique<ChildProcess>(host_.env->isolation, dir, watch_.shared_fd());
    watch_.set_child(child_->pid());
  } catch (const std::exception& e) {
    return std::string("its process could not be started: ") + e.what();
  }
  request(FrameKind::setup).str(plugin_.file).str(plugin_.id);
  auto r = exchange("init");
  if (!r) return death_;
  if (r->u8() == 0) {
    std::string why(r->str());
    child_.reset();
    return why;
  }
  return {};
}

CreatedInstance IsolatedInstance::create() {
  CreatedInstance made;
  if (!child_) {
    if (std::string why = start(); !why.empty()) {
      made.status = RELANCE_FATAL;
      made.error = std::move(why);
      return made;
    }
  }
  const InstanceContext* i = host_.instance;
  request(FrameKind::create).i64(i ? i->id : 0).i64(i ? i->org_id : 0).str(i ? i->name : "").str(i ? i->settings : "{}");
  auto r = exchange("create_instance");
  if (!r) {
    made.status = RELANCE_FATAL;
    made.error = death_;
    return made;
  }
  made.status = r->i32();
  made.error = r->str();
  if (made.status != RELANCE_OK) return made;
  created_ = true;
  has_sink_ = r->u8() != 0;
  has_exporter_ = r->u8() != 0;
  if (has_exporter_) {
    table_ = ExporterTable{std::string(r->str()), std::string(r->str()), std::string(r->str()), {}};
    for (std::uint32_t n = r->u32(); n > 0; --n) {
      ExportOption o{std::string(r->str()), std::string(r->str()), std::string(r->str()), {}};
      for (std::uint32_t c = r->u32(); c > 0; --c) o.choices.emplace_back(r->str());
      table_.options.push_back(std::move(o));
    }
  }
  return made;
}

void IsolatedInstance::destroy() {
  if (created_ && child_) {
    request(FrameKind::destroy);
    exchange("destroy_instance");
  }
  created_ = false;
  server_.close_queries();
}

void IsolatedInstance::deliver(std::span<const relance_event> events, std::vector<relance_status>& statuses,
                               const NextEvent& next) {
  FrameWriter& w = request(FrameKind::deliver).u32(static_cast<std::uint32_t>(events.size()));
  for (const relance_event& e : events) write_event(w, e);
  event_at_ = 0;
  watch_.event.store(0);
  auto r = exchange("deliver", &next);
  if (!r) {
    // The events before the one the child was in were delivered (it stops at a failure).
    const std::int64_t in = watch_.event.load();
    std::size_t k = 0;
    while (k < events.size() && events[k].id != in) ++k;
    if (k == events.size()) k = static_cast<std::size_t>(event_at_);
    for (; static_cast<std::size_t>(event_at_) < k; ++event_at_) next();
    statuses.insert(statuses.end(), k, RELANCE_OK);
    statuses.push_back(died_in_call);
    return;
  }
  const std::uint32_t count = r->u32();
  for (; count > 0 && static_cast<std::uint32_t>(event_at_) + 1 < count; ++event_at_) next();
  for (std::uint32_t k = 0; k < count; ++k) {
    relance_status s = r->i32();
    if (s == died_in_call) s = died_in_call + 1;  // a plugin's garbage, not a death
    statuses.push_back(s);
  }
}

std::string IsolatedInstance::last_error() {
  if (!created_) return death_;
  request(FrameKind::last_error);
  auto r = exchange("last_error");
  return r ? std::string(r->str()) : death_;
}

relance_status IsolatedInstance::export_open(const ExportSettings& s, ByteSink sink) {
  sink_ = std::move(sink);
  sink_failed_ = false;
  request(FrameKind::export_open).str(s.options).str(s.locale).str(s.time_zone).i64(static_cast<std::int64_t>(s.datasets));
  auto r = exchange("open");
  if (!r) return died_in_call;
  const relance_status st = r->i32();
  return st == RELANCE_OK && sink_failed_ ? RELANCE_FATAL : st;
}

void IsolatedInstance::pass_output() {
  if (output_.empty()) return;
  if (!sink_failed_ && !(sink_ && sink_(output_))) sink_failed_ = true;
  output_.clear();
}

relance_status IsolatedInstance::flush_rows() {
  if (row_count_ == 0) return RELANCE_OK;
  row_count_ = 0;
  std::swap(out_, rows_);  // the frame of rows becomes the request
  auto r = exchange("write_row");
  if (!r) return died_in_call;
  const relance_status st = r->i32();
  return st == RELANCE_OK && sink_failed_ ? RELANCE_FATAL : st;
}

relance_status IsolatedInstance::export_dataset(const relance_dataset& dataset) {
  if (const relance_status st = flush_rows(); st != RELANCE_OK) return st;
  write_dataset(request(FrameKind::export_dataset), dataset);
  auto r = exchange("begin_dataset");
  return r ? r->i32() : died_in_call;
}

relance_status IsolatedInstance::export_row(const relance_row& row) {
  if (row_count_ == 0) rows_.start(FrameKind::export_rows).i64(host_.env->now_ms() - wall_ms());
  write_row(rows_, row);
  ++row_count_;
  return rows_.size() >= rows_frame_bytes ? flush_rows() : RELANCE_OK;
}

relance_status IsolatedInstance::export_finish(bool complete) {
  if (complete) {
    if (const relance_status st = flush_rows(); st != RELANCE_OK) return st;
  }
  row_count_ = 0;  // an abandoned export's rows are not sent
  if (!child_) return complete ? died_in_call : RELANCE_OK;
  request(FrameKind::export_finish).u8(complete ? 1 : 0);
  auto r = exchange("finish");
  if (!r) return died_in_call;
  const relance_status st = r->i32();
  return st == RELANCE_OK && sink_failed_ ? RELANCE_FATAL : st;
}

std::optional<relance_status> IsolatedInstance::self_test(std::string_view text, std::string& report) {
  request(FrameKind::self_test).str(text);
  auto r = exchange("self_test");
  if (!r) {
    report = death_;
    return died_in_call;
  }
  const bool offered = r->u8() != 0;
  const relance_status s = r->i32();
  report = r->str();
  if (!offered) return std::nullopt;
  return s;
}

std::string init_in_child(HostEnv& env, const PluginFile& plugin) {
  const auto host = make_host(env, plugin.id, nullptr);
  CallWatch watch;
  IsolatedInstance probe(plugin, *host, watch);
  return probe.start();
}

}  // namespace relance::plugin_host
