#include "auth/secret_box.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "auth/key_file.hpp"

namespace relance::auth {
namespace {

constexpr std::string_view prefix = "$rsb1$";
constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

bool base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::optional<SecretBox> SecretBox::load(const std::string& path) {
  auto bytes = read_key_file(path, crypto_secretbox_KEYBYTES);
  if (!bytes) return std::nullopt;
  SecretBox box;
  std::memcpy(box.key_.data(), bytes->data(), box.key_.size());
  sodium_memzero(bytes->data(), bytes->size());
  return box;
}

SecretBox SecretBox::load_or_create(const std::string& path) {
  if (auto box = load(path)) return std::move(*box);
  create_key_file(path, crypto_secretbox_KEYBYTES);
  return *load(path);
}

std::string SecretBox::seal(std::string_view plain) const {
  std::vector<unsigned char> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size());
  unsigned char* nonce = out.data();
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plain.data()),
                        plain.size(), nonce, key_.data());
  std::string b64(sodium_base64_ENCODED_LEN(out.size(), variant), '\0');
  sodium_bin2base64(b64.data(), b64.size(), out.data(), out.size(), variant);
  b64.resize(std::strlen(b64.c_str()));
  return std::string(prefix) + b64;
}

std::string SecretBox::open(std::string_view sealed) const {
  if (!is_sealed(sealed)) throw std::runtime_error("not a sealed secret");
  const std::string_view b64 = sealed.substr(prefix.size());
  std::vector<unsigned char> raw(b64.size());
  std::size_t len = 0;
  if (sodium_base642bin(raw.data(), raw.size(), b64.data(), b64.size(), nullptr, &len, nullptr, variant) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
    throw std::runtime_error("a sealed secret is damaged");
  std::string plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), raw.data() + crypto_secretbox_NONCEBYTES,
                                 len - crypto_secretbox_NONCEBYTES, raw.data(), key_.data()) != 0)
    throw std::runtime_error("a sealed secret does not open with secrets.key (another instance's key?)");
  return plain;
}

std::size_t SecretBox::sealed_length(std::string_view text) {
  if (!text.starts_with(prefix)) return 0;
  std::size_t n = prefix.size();
  while (n < text.size() && base64url_char(text[n])) ++n;
  return n > prefix.size() ? n : 0;
}

bool SecretBox::is_sealed(std::string_view text) { return sealed_length(text) == text.size() && !text.empty(); }

}  // namespace relance::auth
