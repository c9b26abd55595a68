#include "plugin_host/loader.hpp"

#include <dlfcn.h>
#include <elf.h>

#include <boost/dll/shared_library.hpp>

#include <array>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>

namespace relance::plugin_host {
namespace {

// The ELF header fields that decide whether this process can load a file.
struct ElfIdentity {
  unsigned char elf_class = 0;
  unsigned char data = 0;
  std::uint16_t type = 0;
  std::uint16_t machine = 0;
};

// Reads the identity of `path`; an empty optional when it is not an ELF file at all.
std::optional<ElfIdentity> elf_identity(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, sizeof(Elf64_Ehdr)> h{};
  in.read(reinterpret_cast<char*>(h.data()), static_cast<std::streamsize>(h.size()));
  if (in.gcount() < 20 || std::memcmp(h.data(), ELFMAG, SELFMAG) != 0) return std::nullopt;
  ElfIdentity id;
  id.elf_class = h[EI_CLASS];
  id.data = h[EI_DATA];
  // e_type and e_machine sit at the same offsets in 32- and 64-bit headers.
  const bool little = id.data == ELFDATA2LSB;
  auto u16 = [&](std::size_t at) {
    return static_cast<std::uint16_t>(little ? h[at] | (h[at + 1] << 8) : (h[at] << 8) | h[at + 1]);
  };
  id.type = u16(16);
  id.machine = u16(18);
  return id;
}

const char* machine_name(std::uint16_t m) {
  switch (m) {
    case EM_X86_64: return "x86-64";
    case EM_386: return "x86 (32-bit)";
    case EM_AARCH64: return "AArch64";
    case EM_ARM: return "ARM (32-bit)";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "POWER";
    case EM_S390: return "s390x";
    default: return "another architecture";
  }
}

// A truncated or cut library makes the dynamic loader map pages past the end of the file,
// and the process dies of SIGBUS when it touches them. So every part the loader will map
// or read must lie inside the file. "" when it does.
std::string refuse_truncated(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  const auto size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  Elf64_Ehdr eh{};
  if (!in.read(reinterpret_cast<char*>(&eh), sizeof eh)) return "truncated: shorter than an ELF header";
  const std::string cut = "truncated or damaged: the file has " + std::to_string(size) + " bytes but ";
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0) return "damaged: no valid program headers";
  const std::uint64_t ph_end = eh.e_phoff + std::uint64_t{eh.e_phnum} * eh.e_phentsize;
  if (eh.e_phoff > size || ph_end > size) return cut + "its program headers end at " + std::to_string(ph_end);
  if (eh.e_shoff != 0) {
    const std::uint64_t sh_end = eh.e_shoff + std::uint64_t{eh.e_shnum} * eh.e_shentsize;
    if (eh.e_shoff > size || sh_end > size) return cut + "its section headers end at " + std::to_string(sh_end);
  }
  in.seekg(static_cast<std::streamoff>(eh.e_phoff));
  for (unsigned i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph{};
    if (!in.read(reinterpret_cast<char*>(&ph), sizeof ph)) return "damaged: unreadable program header";
    if (ph.p_type != PT_LOAD && ph.p_type != PT_DYNAMIC) continue;
    if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
      return cut + "a segment ends at " + std::to_string(ph.p_offset + ph.p_filesz);
  }
  return {};
}

// This process's own identity: a plugin must match it.
const ElfIdentity& own_identity() {
  static const ElfIdentity self = elf_identity("/proc/self/exe").value_or(ElfIdentity{});
  return self;
}

// Why a file cannot be loaded here, judged from its header ("" when it may be).
std::string refuse_by_header(const std::string& path) {
  const auto id = elf_identity(path);
  if (!id) return "not an ELF shared library";
  const ElfIdentity& self = own_identity();
  if (id->type != ET_DYN) return "an ELF file but not a shared library";
  if (id->elf_class != self.elf_class || id->machine != self.machine || id->data != self.data)
    return std::string("built for ") + machine_name(id->machine) +
           (id->elf_class == ELFCLASS32 ? " (32-bit)" : "") + "; this daemon runs on " +
           machine_name(self.machine);
  if (self.elf_class == ELFCLASS64) return refuse_truncated(path);
  return {};
}

// Libraries stay loaded for the life of the process: a deliberately leaked list, reachable
// from a static, so that nothing ever runs dlclose.
void keep_forever(boost::dll::shared_library lib) {
  static std::mutex mu;
  static auto* kept = new std::vector<boost::dll::shared_library>();
  std::lock_guard lock(mu);
  kept->push_back(std::move(lib));
}

std::string c_text(const char* s, std::size_t max = 200) {
  if (!s) return {};
  return std::string(s, strnlen(s, max));
}

// A reverse-DNS id: lower-case letters, digits, '.', '-', '_', with at least one dot.
bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > 128 || id.find('.') == std::string::npos) return false;
  for (char ch : id)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_'))
      return false;
  return id.front() != '.' && id.back() != '.';
}

}  // namespace

PluginFile load_plugin_file(const std::string& path) {
  PluginFile p;
  p.file = path;
  auto refuse = [&](std::string why) {
    p.loaded = false;
    p.error = std::move(why);
    return p;
  };
  if (std::string why = refuse_by_header(path); !why.empty()) return refuse(why);

  boost::dll::shared_library lib;
  boost::system::error_code ec;
  lib.load(boost::dll::fs::path(path),
           boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    // Boost.DLL reports an error code only; the dynamic loader's own sentence says more
    // ("undefined symbol: ...", "file too short"), so ask it again.
    std::string detail = ec.message();
    if (void* again = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL); !again) {
      if (const char* why = dlerror()) detail = why;
    }
    return refuse("cannot be loaded: " + detail);
  }
  if (!lib.has(RELANCE_ENTRY_SYMBOL)) {
    for (int epoch = 2; epoch <= 9; ++epoch)
      if (lib.has("relance_plugin_entry_v" + std::to_string(epoch))) {
        keep_forever(std::move(lib));
        return refuse("built for SDK epoch " + std::to_string(epoch) +
                      "; this daemon loads epoch " + std::to_string(RELANCE_SDK_EPOCH) + " plugins");
      }
    keep_forever(std::move(lib));
    return refuse("not a Relance plugin: no relance_plugin_entry_v1 symbol");
  }
  const auto& raw = lib.get<const relance_plugin_entry>(RELANCE_ENTRY_SYMBOL);
  keep_forever(std::move(lib));

  // The fields every 1.0 entry has; a newer plugin's extra fields are not read.
  constexpr std::size_t minimum = offsetof(relance_plugin_entry, last_error) + sizeof(raw.last_error);
  if (raw.struct_size < offsetof(relance_plugin_entry, sdk_patch) + sizeof(raw.sdk_patch))
    return refuse("its entry is too small to be a Relance entry");
  p.sdk_version = std::to_string(raw.sdk_epoch) + "." + std::to_string(raw.sdk_minor) + "." +
                  std::to_string(raw.sdk_patch);
  if (raw.sdk_epoch != RELANCE_SDK_EPOCH)
    return refuse("built with SDK " + p.sdk_version + " (epoch " + std::to_string(raw.sdk_epoch) +
                  "); this daemon loads epoch " + std::to_string(RELANCE_SDK_EPOCH) + " plugins");
  if (raw.struct_size < minimum)
    return refuse("its entry is smaller than SDK 1.0's (" + std::to_string(raw.struct_size) + " bytes)");
  std::memcpy(&p.entry, &raw, std::min<std::size_t>(raw.struct_size, sizeof(p.entry)));
  p.entry.struct_size = sizeof(p.entry);

  p.id = c_text(p.entry.id, 129);
  p.name = c_text(p.entry.name);
  p.vendor = c_text(p.entry.vendor);
  p.version = c_text(p.entry.version, 64);
  if (!valid_id(p.id))
    return refuse("its id \"" + p.id + "\" is not a reverse-DNS name (lower case, with dots)");
  if (!p.entry.create_instance || !p.entry.destroy_instance || !p.entry.get_interface ||
      !p.entry.last_error)
    return refuse("its entry lacks create_instance, destroy_instance, get_interface or last_error");
  for (std::size_t i = 0; p.entry.interfaces && p.entry.interfaces[i] && i < 64; ++i)
    p.interfaces.push_back(c_text(p.entry.interfaces[i], 128));
  p.loaded = true;
  return p;
}

}  // namespace relance::plugin_host
