#include "plugin_host/plugin_host_child.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "plugin_host/call_watch.hpp"
#include "plugin_host/in_process_instance.hpp"
#include "plugin_host/instance_factory.hpp"
#include "plugin_host/loader.hpp"
#include "plugin_host/proxied_services.hpp"
#include "plugin_host/wire_types.hpp"
#include "relance/settings.h"

namespace relance::plugin_host {
namespace {

constexpr int socket_fd = 3;
constexpr int page_fd = 4;
constexpr std::size_t output_frame_bytes = 64 * 1024;

// For the fatal signal handler: the address space limit, read at start.
rlim_t memory_limit = RLIM_INFINITY;

// The virtual size of this process in bytes, from /proc/self/statm, with system calls
// only (async-signal-safe); 0 when unreadable.
unsigned long long virtual_size() {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[64];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  unsigned long long pages = 0;
  for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) pages = pages * 10 + static_cast<unsigned>(buf[i] - '0');
  return pages * static_cast<unsigned long long>(::sysconf(_SC_PAGESIZE));
}

// Tells the daemon the signal, and whether the address space was nearly used up (an
// allocation failed, then a crash): a `dying` frame written whole with one system call.
void on_fatal_signal(int sig) {
  const bool memory = memory_limit != RLIM_INFINITY && virtual_size() + (64ull << 20) >= memory_limit;
  unsigned char f[10] = {6, 0, 0, 0, static_cast<unsigned char>(FrameKind::dying)};
  for (int i = 0; i < 4; ++i) f[5 + i] = static_cast<unsigned char>((static_cast<unsigned>(sig) >> (8 * i)) & 0xff);
  f[9] = memory ? 1 : 0;
  [[maybe_unused]] const ssize_t n = ::send(socket_fd, f, sizeof f, MSG_NOSIGNAL);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_fatal_handlers() {
  static std::vector<char> alt(1 << 16);  // a stack overflow's handler needs a stack of its own
  stack_t ss{};
  ss.ss_sp = alt.data();
  ss.ss_size = alt.size();
  ::sigaltstack(&ss, nullptr);
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGXCPU}) {
    struct sigaction a{};
    a.sa_handler = on_fatal_signal;
    sigemptyset(&a.sa_mask);
    a.sa_flags = static_cast<int>(SA_ONSTACK | SA_RESETHAND);
    ::sigaction(sig, &a, nullptr);
  }
  struct rlimit r{};
  if (::getrlimit(RLIMIT_AS, &r) == 0) memory_limit = r.rlim_cur;
}

// The watch page the daemon reads: when the call in progress began, which event.
struct Page {
  std::atomic<std::int64_t>* started = nullptr;
  std::atomic<std::int64_t>* event = nullptr;
  std::atomic<std::int64_t> none_started{0}, none_event{0};
  Page() {
    void* p = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, page_fd, 0);
    ::close(page_fd);
    if (p == MAP_FAILED) {
      started = &none_started;
      event = &none_event;
      return;
    }
    started = static_cast<std::atomic<std::int64_t>*>(p);
    event = started + 1;
  }
};

class Child final : public ChildLink {
 public:
  Child() : channel_(socket_fd), call_thread_(std::this_thread::get_id()) {}

  int run();

  FrameReader call(const std::string& frame) override {
    {
      std::lock_guard lock(send_mu_);
      channel_.send(frame);
    }
    if (channel_.receive(answer_) != FrameKind::service_reply) throw ProtocolError("expected a service reply");
    return Channel::reader(answer_);
  }
  void notice(const std::string& frame) override {
    std::lock_guard lock(send_mu_);
    channel_.send(frame);
  }
  std::int32_t event_index() const override { return event_index_; }
  bool on_call_thread() const override { return in_call_ && std::this_thread::get_id() == call_thread_; }
  std::int64_t clock_offset_ms() const override { return clock_offset_.load(); }

  // The exporter's sink: bytes gathered into output frames.
  static relance_status write_output(void* context, const void* data, size_t size) {
    auto& self = *static_cast<Child*>(context);
    self.output_.append(static_cast<const char*>(data), size);
    if (self.output_.size() >= output_frame_bytes) self.flush_output();
    return RELANCE_OK;
  }

 private:
  void flush_output() {
    if (output_.empty()) return;
    FrameWriter w;
    w.start(FrameKind::output).str(output_);
    output_.clear();
    notice(w.finish());
  }
  void reply(FrameWriter& w) {
    flush_output();
    notice(w.finish());
  }
  // Runs one plugin call, shown in the page.
  template <typename F>
  auto plugin_call(F&& f, std::int64_t event_id = 0) {
    page_.event->store(event_id);
    page_.started->store(steady_now_ns());
    in_call_ = true;
    auto r = f();
    in_call_ = false;
    page_.started->store(0);
    return r;
  }

  void setup(FrameReader& r, FrameWriter& w);
  void create(FrameReader& r, FrameWriter& w);
  void deliver(FrameReader& r, FrameWriter& w);

  Channel channel_;
  std::mutex send_mu_;
  std::string request_, answer_;
  std::thread::id call_thread_;
  bool in_call_ = false;
  std::int32_t event_index_ = -1;
  std::atomic<std::int64_t> clock_offset_{0};
  Page page_;
  PluginFile plugin_;
  std::unique_ptr<ChildHost> plugin_wide_, host_;
  // The instance, run through the same calls as in the daemon (in_process_instance.hpp).
  relance_instance* instance_ = nullptr;
  const relance_event_sink_v1* sink_ = nullptr;
  const relance_exporter_v1* exporter_ = nullptr;
  std::string options_, locale_, time_zone_;  // open's request, kept until finish
  relance_byte_sink byte_sink_{};
  std::string output_;  // the exporter's bytes not yet sent
  WireDataset dataset_;
  WireRow row_;
  std::vector<relance_event> events_;
};

void Child::setup(FrameReader& r, FrameWriter& w) {
  const std::string file(r.str());
  const std::string id(r.str());
  plugin_ = load_plugin_file(file);
  if (plugin_.loaded && plugin_.id != id) {
    plugin_.loaded = false;
    plugin_.error = "the file now holds plugin " + plugin_.id + ", not " + id;
  }
  if (plugin_.loaded) {
    plugin_wide_ = make_child_host(*this, false);
    const relance_status s =
        plugin_.entry.init ? plugin_call([&] { return plugin_.entry.init(&plugin_wide_->raw); }) : RELANCE_OK;
    if (s != RELANCE_OK) {
      const relance_str why = plugin_.entry.last_error(nullptr);
      plugin_.loaded = false;
      plugin_.error = "init failed (status " + std::to_string(s) + ")" +
                      (why.data && why.size ? ": " + std::string(why.data, std::min<std::size_t>(why.size, 1000)) : "");
    }
  }
  w.u8(plugin_.loaded ? 1 : 0).str(plugin_.error);
}

void Child::create(FrameReader& r, FrameWriter& w) {
  host_ = make_child_host(*this, true);
  r.i64();  // the instance's id: the daemon's, for its logs
  host_->org_id = r.i64();
  host_->name = r.str();
  host_->settings = r.str();
  const CreatedInstance made = plugin_call([&] { return create_instance(plugin_, &host_->raw); });
  w.i32(made.status).str(made.error);
  if (made.status != RELANCE_OK) return;
  instance_ = made.instance;
  plugin_call([&] {
    sink_ = static_cast<const relance_event_sink_v1*>(plugin_.entry.get_interface(instance_, RELANCE_EVENT_SINK_V1));
    exporter_ = static_cast<const relance_exporter_v1*>(plugin_.entry.get_interface(instance_, RELANCE_EXPORTER_V1));
    return 0;
  });
  if (sink_ && (sink_->struct_size < sizeof(relance_event_sink_v1) || !sink_->deliver)) sink_ = nullptr;
  if (exporter_ && exporter_->struct_size < sizeof(relance_exporter_v1)) exporter_ = nullptr;
  w.u8(sink_ ? 1 : 0).u8(exporter_ ? 1 : 0);
  if (!exporter_) return;
  const ExporterTable t = exporter_table(*exporter_);
  w.str(t.format_id).str(t.extension).str(t.mime_type).u32(static_cast<std::uint32_t>(t.options.size()));
  for (const ExportOption& o : t.options) {
    w.str(o.name).str(o.description).str(o.default_value).u32(static_cast<std::uint32_t>(o.choices.size()));
    for (const auto& c : o.choices) w.str(c);
  }
}

void Child::deliver(FrameReader& r, FrameWriter& w) {
  const std::uint32_t n = r.u32();
  events_.clear();
  for (std::uint32_t k = 0; k < n; ++k) events_.push_back(read_event(r));
  std::vector<relance_status> statuses;
  statuses.reserve(n);
  for (std::uint32_t k = 0; k < n && sink_; ++k) {
    event_index_ = static_cast<std::int32_t>(k);
    host_->suspending = false;
    const relance_status s = plugin_call([&] { return sink_->deliver(instance_, &events_[k]); }, events_[k].id);
    statuses.push_back(s);
    // A suspension (relance.host.suspend/1) stops the batch whatever the event's status.
    if ((s != RELANCE_OK && s != RELANCE_UNSUPPORTED) || host_->suspending) break;
  }
  event_index_ = -1;
  page_.event->store(0);
  w.u32(static_cast<std::uint32_t>(statuses.size()));
  for (relance_status s : statuses) w.i32(s);
}

int Child::run() {
  FrameWriter w;
  for (;;) {
    FrameKind kind;
    try {
      kind = channel_.receive(request_);
    } catch (const ChannelClosed&) {
      break;  // the daemon is done with this instance, or gone
    }
    FrameReader r = Channel::reader(request_);
    clock_offset_.store(r.i64());
    w.start(FrameKind::reply);
    switch (kind) {
      case FrameKind::setup: setup(r, w); break;
      case FrameKind::create: create(r, w); break;
      case FrameKind::deliver: deliver(r, w); break;
      case FrameKind::last_error: {
        const relance_str e = plugin_call([&] { return plugin_.entry.last_error(instance_); });
        w.str(e.data, std::min<std::size_t>(e.size, 100000));
        break;
      }
      case FrameKind::destroy:
        if (instance_) plugin_call([&] {
            plugin_.entry.destroy_instance(instance_);
            return 0;
          });
        instance_ = nullptr;
        sink_ = nullptr;
        exporter_ = nullptr;
        break;
      case FrameKind::export_open: {
        options_ = r.str();
        locale_ = r.str();
        time_zone_ = r.str();
        const auto datasets = static_cast<std::size_t>(r.i64());
        byte_sink_ = relance_byte_sink{this, &Child::write_output};
        const relance_export_request req{sizeof(relance_export_request), str_view(options_), str_view(locale_),
                                         str_view(time_zone_), &byte_sink_, datasets};
        w.i32(exporter_ ? plugin_call([&] { return exporter_->open(instance_, &req); }) : RELANCE_UNSUPPORTED);
        break;
      }
      case FrameKind::export_dataset:
        dataset_.read(r);
        w.i32(exporter_ ? plugin_call([&] { return exporter_->begin_dataset(instance_, &dataset_.dataset()); })
                        : RELANCE_UNSUPPORTED);
        break;
      case FrameKind::export_rows: {
        relance_status s = exporter_ ? RELANCE_OK : RELANCE_UNSUPPORTED;
        while (s == RELANCE_OK && !r.done()) {
          row_.read(r);
          s = plugin_call([&] { return exporter_->write_row(instance_, &row_.row()); });
        }
        w.i32(s);
        break;
      }
      case FrameKind::export_finish: {
        const int32_t complete = r.u8();
        w.i32(exporter_ ? plugin_call([&] { return exporter_->finish(instance_, complete); }) : RELANCE_UNSUPPORTED);
        break;
      }
      case FrameKind::self_test: {
        const std::string_view request = r.str();
        const auto* t = instance_ ? static_cast<const relance_self_test_v1*>(
                                        plugin_.entry.get_interface(instance_, RELANCE_SELF_TEST_V1))
                                  : nullptr;
        const bool offered = t && t->struct_size >= sizeof(relance_self_test_v1) && t->run;
        relance_str said{nullptr, 0};
        const relance_status s = offered ? plugin_call([&] { return t->run(instance_, str_view(request), &said); }) : RELANCE_UNSUPPORTED;
        w.u8(offered ? 1 : 0).i32(s).str(said.data, std::min<std::size_t>(said.size, 4000));
        break;
      }
      default: return 3;  // not a request: the daemon and this child disagree
    }
    try {
      reply(w);
    } catch (const ChannelClosed&) {
      break;
    }
  }
  if (instance_) plugin_.entry.destroy_instance(instance_);
  if (plugin_.loaded && plugin_.entry.deinit) plugin_.entry.deinit();
  return 0;
}

}  // namespace

int run_plugin_host_child() {
  install_fatal_handlers();
  ::signal(SIGPIPE, SIG_IGN);
  try {
    Child child;
    return child.run();
  } catch (const ChannelClosed&) {
    return 0;  // the daemon went away in the middle of a service call
  } catch (const std::exception&) {
    return 3;
  }
}

}  // namespace relance::plugin_host
