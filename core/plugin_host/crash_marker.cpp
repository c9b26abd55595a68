#include "plugin_host/crash_marker.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>

namespace relance::plugin_host {

// The marker's layout in its file (native byte order: the file never leaves the machine).
struct MarkerSlot {
  std::uint32_t magic;
  std::int32_t call;
  std::int32_t signal;
  std::int32_t suspect_call;  // the call in flight at an earlier death without a signal
  std::int64_t instance_id;
  std::int64_t event_id;
  std::int64_t suspect_event;
};

namespace {

namespace fs = std::filesystem;
using Slot = MarkerSlot;

constexpr std::uint32_t marker_magic = 0x524c4d31;  // "RLM1"
constexpr std::size_t marker_size = 4096;           // one page
constexpr int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
constexpr std::size_t fatal_count = sizeof(fatal_signals) / sizeof(fatal_signals[0]);

// The marker of the plugin call this thread is in (nullptr: none). Read by the signal
// handler: a thread_local of the executable, constant-initialised, is a plain memory read.
thread_local Slot* current_slot = nullptr;
struct sigaction previous_actions[fatal_count];
std::once_flag handler_installed;

template <typename T>
void put(T& field, T value) {
  std::atomic_ref<T>(field).store(value, std::memory_order_release);
}

// Async-signal-safe: stores an integer, restores the previous action, raises again. The
// signal is blocked while this runs, so the raised one is delivered when it returns, to the
// previous handler (the default one ends the process with that signal, core and all).
void on_fatal_signal(int sig) {
  if (Slot* s = current_slot) put(s->signal, static_cast<std::int32_t>(sig));
  for (std::size_t i = 0; i < fatal_count; ++i)
    if (fatal_signals[i] == sig) sigaction(sig, &previous_actions[i], nullptr);
  raise(sig);
}

void install_handler() {
  for (std::size_t i = 0; i < fatal_count; ++i) {
    struct sigaction a {};
    a.sa_handler = on_fatal_signal;
    sigemptyset(&a.sa_mask);
    a.sa_flags = SA_ONSTACK;
    sigaction(fatal_signals[i], &a, &previous_actions[i]);
  }
}

}  // namespace

const char* call_name(PluginCallKind call) {
  switch (call) {
    case PluginCallKind::create_instance: return "create_instance";
    case PluginCallKind::get_interface: return "get_interface";
    case PluginCallKind::deliver: return "deliver";
    case PluginCallKind::destroy_instance: return "destroy_instance";
    case PluginCallKind::none: break;
  }
  return "a call";
}

std::string signal_name(int signal) {
  switch (signal) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    case 0: return "an unknown signal";
    default: return "signal " + std::to_string(signal);
  }
}

std::string crash_reason(const CrashNote& n) {
  std::string why = std::string("crashed in ") + call_name(n.call);
  if (n.event_id) why += " of event " + std::to_string(n.event_id);
  why += n.signal ? " with signal " + std::to_string(n.signal) + " (" + signal_name(n.signal) + ")"
                  : std::string(" with an unknown signal");
  const std::string id = std::to_string(n.instance_id);
  why += ": the daemon stopped and was started again; the instance is quarantined";
  if (n.event_id) why += " and the event is a dead letter (reason crash)";
  why += ". Resume it with `relance plugin instance resume " + id + "` (POST /api/v1/plugin-instances/" + id +
         "/resume); it goes on after the event";
  return why;
}

std::optional<CrashNote> crash_of(const std::string& reason) {
  static const std::regex shape(R"(^crashed in ([a-z_]+)(?: of event (\d+))? with (?:signal (\d+)|an unknown signal))");
  std::smatch m;
  if (!std::regex_search(reason, m, shape)) return std::nullopt;
  CrashNote n;
  for (auto k : {PluginCallKind::create_instance, PluginCallKind::get_interface, PluginCallKind::deliver,
                 PluginCallKind::destroy_instance})
    if (m[1] == call_name(k)) n.call = k;
  if (m[2].matched) n.event_id = std::stoll(m[2]);
  if (m[3].matched) n.signal = std::stoi(m[3]);
  return n;
}

CrashMarker::~CrashMarker() {
  if (!slot_) return;
  if (current_slot == slot_) current_slot = nullptr;
  munmap(slot_, marker_size);
}

void CrashMarker::enter(PluginCallKind call, std::int64_t event_id) {
  if (!slot_) return;
  put(slot_->event_id, event_id);
  put(slot_->signal, std::int32_t{0});
  put(slot_->call, static_cast<std::int32_t>(call));  // last: the marker is whole once set
  current_slot = slot_;
  std::atomic_signal_fence(std::memory_order_seq_cst);
}

void CrashMarker::leave() {
  if (!slot_) return;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  current_slot = nullptr;
  put(slot_->call, static_cast<std::int32_t>(PluginCallKind::none));
}

CrashMarkers::CrashMarkers(std::string dir) : dir_(std::move(dir)) {}

std::string CrashMarkers::file_of(std::int64_t instance_id) const {
  return (fs::path(dir_) / ("instance-" + std::to_string(instance_id) + ".marker")).string();
}

std::vector<CrashNote> CrashMarkers::left_behind() const {
  std::vector<CrashNote> out;
  std::error_code ec;
  if (dir_.empty() || !fs::is_directory(dir_, ec)) return out;
  for (const auto& f : fs::directory_iterator(dir_, ec)) {
    if (f.path().extension() != ".marker") continue;
    Slot s{};
    std::ifstream in(f.path(), std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(&s), sizeof s) || s.magic != marker_magic) continue;
    if (s.call == static_cast<std::int32_t>(PluginCallKind::none)) continue;
    out.push_back(CrashNote{s.instance_id, s.event_id, static_cast<PluginCallKind>(s.call), s.signal,
                            s.suspect_call == s.call && s.suspect_event == s.event_id});
  }
  std::sort(out.begin(), out.end(), [](const CrashNote& a, const CrashNote& b) { return a.instance_id < b.instance_id; });
  return out;
}

void CrashMarkers::clear(std::int64_t instance_id) const {
  if (dir_.empty()) return;
  std::error_code ec;
  fs::remove(file_of(instance_id), ec);
}

void CrashMarkers::suspect(const CrashNote& note) const {
  if (dir_.empty()) return;
  const std::string path = file_of(note.instance_id);
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  Slot s{};
  if (::pread(fd, &s, sizeof s, 0) == static_cast<ssize_t>(sizeof s)) {
    s.suspect_call = static_cast<std::int32_t>(note.call);
    s.suspect_event = note.event_id;
    s.call = static_cast<std::int32_t>(PluginCallKind::none);
    if (::pwrite(fd, &s, sizeof s, 0) != static_cast<ssize_t>(sizeof s))
      spdlog::warn("plugin instance #{}: cannot write {}: {}", note.instance_id, path, std::strerror(errno));
  }
  ::close(fd);
}

std::unique_ptr<CrashMarker> CrashMarkers::open(std::int64_t instance_id) const {
  auto marker = std::make_unique<CrashMarker>();
  if (dir_.empty()) return marker;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  const std::string path = file_of(instance_id);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  void* map = MAP_FAILED;
  if (fd >= 0 && ::ftruncate(fd, marker_size) == 0)
    map = ::mmap(nullptr, marker_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int err = errno;
  if (fd >= 0) ::close(fd);  // the mapping stays
  if (map == MAP_FAILED) {
    spdlog::warn("plugin instance #{}: no crash marker ({}: {}); a crash in it would not be told apart",
                 instance_id, path, std::strerror(err));
    return marker;
  }
  std::call_once(handler_installed, install_handler);
  auto* slot = static_cast<Slot*>(map);
  // The suspicion (suspect_*) is kept: it is about the next death.
  put(slot->call, static_cast<std::int32_t>(PluginCallKind::none));
  put(slot->event_id, std::int64_t{0});
  put(slot->signal, std::int32_t{0});
  put(slot->instance_id, instance_id);
  put(slot->magic, marker_magic);
  marker->slot_ = slot;
  return marker;
}

}  // namespace relance::plugin_host
