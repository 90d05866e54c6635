#include "signer.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <deque>
#include <fstream>
#include <iterator>
#include <mutex>

#include "../address.h"
#include "../digest.h"
#include "../error.h"
#include "../mime/encoders.h"
#include "../text/ascii.h"
#include "../text/escape.h"
#include "canonical.h"

namespace smtpx::dkim {

namespace {

struct FreeKey {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct FreeContext {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

std::string trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return std::string(text);
}

// The value of tag `name` in a DKIM-Signature's value ("d=example.com; s=x").
std::string tag_of(std::string_view value, std::string_view name) {
  size_t at = 0;
  while (at < value.size()) {
    const size_t end = std::min(value.find(';', at), value.size());
    const std::string_view pair = value.substr(at, end - at);
    const size_t equals = pair.find('=');
    if (equals != std::string_view::npos && trimmed(pair.substr(0, equals)) == name)
      return trimmed(pair.substr(equals + 1));
    at = end + 1;
  }
  return {};
}

std::string pem_of(const DkimSettings& settings, const std::string& field) {
  if (is_pem_text(settings.private_key)) return settings.private_key;
  std::ifstream file(settings.private_key, std::ios::binary);
  if (!file)
    throw InvalidInput(field,
                       "is neither a PEM key nor a readable file: " + text::printable(settings.private_key));
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

}  // namespace

bool is_pem_text(const std::string& private_key) {
  return private_key.find("-----BEGIN") != std::string::npos;
}

const std::vector<std::string>& default_headers() {
  static const std::vector<std::string> headers = {"from",
                                                   "reply-to",
                                                   "subject",
                                                   "date",
                                                   "to",
                                                   "cc",
                                                   "message-id",
                                                   "mime-version",
                                                   "content-type",
                                                   "in-reply-to",
                                                   "references",
                                                   "list-unsubscribe",
                                                   "list-unsubscribe-post",
                                                   "sender"};
  return headers;
}

struct BodyHash::State {
  std::unique_ptr<EVP_MD_CTX, FreeContext> context{EVP_MD_CTX_new()};
  RelaxedBody body;
  // The canonical form comes a byte or two at a time: hashed a piece at a time.
  std::string canonical;
};

BodyHash::BodyHash() : state_(std::make_unique<State>()) {
  if (!state_->context || EVP_DigestInit_ex(state_->context.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
}
BodyHash::~BodyHash() = default;

void BodyHash::feed(std::string_view bytes) {
  state_->canonical.clear();
  state_->body.feed(bytes, [this](std::string_view canonical) { state_->canonical.append(canonical); });
  EVP_DigestUpdate(state_->context.get(), state_->canonical.data(), state_->canonical.size());
}

std::string BodyHash::finish() {
  state_->canonical.clear();
  state_->body.finish([this](std::string_view canonical) { state_->canonical.append(canonical); });
  EVP_DigestUpdate(state_->context.get(), state_->canonical.data(), state_->canonical.size());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(state_->context.get(), digest, &length);
  return std::string(reinterpret_cast<char*>(digest), length);
}

std::vector<std::pair<std::string, std::string>> header_fields(std::string_view headers) {
  std::vector<std::pair<std::string, std::string>> fields;
  size_t at = 0;
  while (at < headers.size()) {
    size_t end = headers.find("\r\n", at);
    if (end == std::string_view::npos) end = headers.size();
    const std::string_view line = headers.substr(at, end - at);
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t') && !fields.empty()) {
      fields.back().second += "\r\n" + std::string(line);  // a folded continuation
    } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
      fields.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
    at = end + 2;
  }
  return fields;
}

std::string from_address(std::string_view mime) {
  const std::string_view headers = mime.substr(0, mime.find("\r\n\r\n"));
  for (const auto& [name, value] : header_fields(headers)) {
    if (!text::equals_ignoring_case(name, "from")) continue;
    std::string unfolded;
    for (char c : value)
      if (c != '\r' && c != '\n') unfolded.push_back(c);
    const std::string first = unfolded.substr(0, unfolded.find(','));
    try {
      return parse_mailbox(first, "from").address;
    } catch (const InvalidInput&) {
      return {};
    }
  }
  return {};
}

struct Signer::Key {
  std::unique_ptr<EVP_PKEY, FreeKey> key;
};

namespace {

// Parsed keys, per process: OpenSSL 3 takes about 0.5 ms to decode a PEM key,
// more than an Ed25519 signature, and smtpx_send() is called once per message.
// A key is found again by what it was read from (the PEM text's digest, or the
// file's path, inode, size and modification time, so a replaced file is read
// again), its passphrase's digest and its algorithm, whose checks it passed.
// Bounded: the oldest of more than 16 goes.
class KeyCache {
 public:
  static KeyCache& process() {
    static KeyCache cache;
    return cache;
  }
  std::shared_ptr<const Signer::Key> find(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [entry_name, key] : entries_)
      if (entry_name == name) return key;
    return nullptr;
  }
  void add(std::string name, std::shared_ptr<const Signer::Key> key) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() >= kMaxKeys) entries_.pop_front();
    entries_.emplace_back(std::move(name), std::move(key));
  }

 private:
  static constexpr size_t kMaxKeys = 16;
  std::mutex mutex_;
  std::deque<std::pair<std::string, std::shared_ptr<const Signer::Key>>> entries_;
};

// Empty when the key is a path that cannot be examined: it is then read (and
// refused) as before.
std::string cache_name(const DkimSettings& settings) {
  std::string name;
  if (is_pem_text(settings.private_key)) {
    name = "pem " + sha256(settings.private_key);
  } else {
    struct stat file {};
    if (stat(settings.private_key.c_str(), &file) != 0 || !S_ISREG(file.st_mode)) return {};
    name = "file " + settings.private_key + '\0' + std::to_string(file.st_dev) + ' ' +
           std::to_string(file.st_ino) + ' ' + std::to_string(file.st_size) + ' ' +
           std::to_string(file.st_mtim.tv_sec) + '.' + std::to_string(file.st_mtim.tv_nsec);
  }
  return name + '\0' + sha256(settings.passphrase) + '\0' + settings.algorithm;
}

}  // namespace

Signer::Signer(DkimSettings settings, const std::string& field, char separator)
    : settings_(std::move(settings)) {
  const std::string prefix = field + separator;
  if (settings_.domain.empty() || settings_.domain.find_first_of("; \t\r\n") != std::string::npos)
    throw InvalidInput(prefix + "domain", "must be the signing domain, e.g. example.com");
  if (settings_.selector.empty() || settings_.selector.find_first_of("; \t\r\n") != std::string::npos)
    throw InvalidInput(prefix + "selector", "must be the selector of the published key, e.g. mail2026");
  const bool ed25519 = settings_.algorithm == "ed25519-sha256";
  if (!ed25519 && settings_.algorithm != "rsa-sha256")
    throw InvalidInput(prefix + "algorithm", "must be rsa-sha256 or ed25519-sha256");
  for (std::string& name : settings_.headers) name = text::to_lower(name);
  if (settings_.headers.empty()) settings_.headers = default_headers();
  const std::string cached_as = cache_name(settings_);
  if (!cached_as.empty() && (key_ = KeyCache::process().find(cached_as))) return;
  key_ = load_key(settings_, prefix + "private_key", ed25519);
  if (!cached_as.empty()) KeyCache::process().add(cached_as, key_);
}

std::shared_ptr<const Signer::Key> Signer::load_key(const DkimSettings& settings,
                                                    const std::string& key_field, bool ed25519) {
  auto key = std::make_shared<Key>();
  const std::string pem = pem_of(settings, key_field);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) throw std::bad_alloc();
  key->key.reset(
      PEM_read_bio_PrivateKey(bio, nullptr, nullptr, const_cast<char*>(settings.passphrase.c_str())));
  BIO_free(bio);
  ERR_clear_error();
  if (!key->key) {
    if (pem.find("ENCRYPTED") != std::string::npos)
      throw InvalidInput(key_field, settings.passphrase.empty()
                                        ? "is encrypted: give its passphrase (dkim.passphrase)"
                                        : "does not open with the passphrase given");
    throw InvalidInput(key_field, "is not a PEM private key");
  }
  const int type = EVP_PKEY_get_base_id(key->key.get());
  if (ed25519 && type != EVP_PKEY_ED25519)
    throw InvalidInput(key_field, "is not an Ed25519 key, as algorithm ed25519-sha256 needs");
  if (!ed25519 && type != EVP_PKEY_RSA)
    throw InvalidInput(key_field, "is not an RSA key, as algorithm rsa-sha256 needs");
  // RFC 8301 3.2: RSA keys of less than 1024 bits are refused by verifiers.
  if (!ed25519 && EVP_PKEY_get_bits(key->key.get()) < 1024)
    throw InvalidInput(key_field, "is an RSA key of " + std::to_string(EVP_PKEY_get_bits(key->key.get())) +
                                      " bits; verifiers need at least 1024 (2048 recommended)");
  return key;
}

Signer::~Signer() = default;
Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(Signer&&) noexcept = default;

std::string Signer::public_key() const {
  EVP_PKEY* key = key_->key.get();
  std::string bytes;
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519) {
    size_t length = 32;
    bytes.resize(length);
    EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(bytes.data()), &length);
    bytes.resize(length);
  } else {
    const int length = i2d_PUBKEY(key, nullptr);
    if (length > 0) {
      bytes.resize(static_cast<size_t>(length));
      auto* out = reinterpret_cast<unsigned char*>(bytes.data());
      i2d_PUBKEY(key, &out);
    }
  }
  return mime::base64(bytes);
}

std::string Signer::public_record() const {
  const bool ed25519 = settings_.algorithm == "ed25519-sha256";
  return std::string("v=DKIM1; k=") + (ed25519 ? "ed25519" : "rsa") + "; p=" + public_key();
}

bool Signer::already_signed(std::string_view headers) const {
  for (const auto& [name, value] : header_fields(headers)) {
    if (text::to_lower(name) == "dkim-signature" && tag_of(value, "d") == settings_.domain &&
        tag_of(value, "s") == settings_.selector)
      return true;
  }
  return false;
}

std::string Signer::signature_field(std::string_view headers, const std::string& body_hash,
                                    std::time_t now) const {
  const auto fields = header_fields(headers);
  // RFC 6376 5.4.2: each name in h= takes the next instance from the bottom up.
  std::string names;
  std::string signed_data;
  for (const std::string& wanted : settings_.headers) {
    for (auto field = fields.rbegin(); field != fields.rend(); ++field) {
      if (text::to_lower(field->first) != wanted) continue;
      names += (names.empty() ? "" : ":") + wanted;
      signed_data += relaxed_header(field->first, field->second);
    }
  }
  // One more "from" than there are: a From added later does not verify (RFC 6376 8.15).
  names += ":from";

  const bool ed25519 = settings_.algorithm == "ed25519-sha256";
  const std::string value = " v=1; a=" + settings_.algorithm + "; c=relaxed/relaxed; d=" + settings_.domain +
                            "; s=" + settings_.selector +
                            "; t=" + std::to_string(static_cast<long long>(now)) + ";\r\n\th=" + names +
                            ";\r\n\tbh=" + mime::base64(body_hash) + ";\r\n\tb=";
  signed_data += relaxed_header("DKIM-Signature", value);
  signed_data.resize(signed_data.size() - 2);  // RFC 6376 3.7: the signature's own field without its CRLF

  std::unique_ptr<EVP_MD_CTX, FreeContext> context(EVP_MD_CTX_new());
  size_t length = 0;
  std::string signature;
  // RFC 8463 3: Ed25519 signs the SHA-256 of the data, as pure Ed25519.
  const std::string data = ed25519 ? sha256(signed_data) : signed_data;
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, ed25519 ? nullptr : EVP_sha256(), nullptr,
                         key_->key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("DKIM signing failed");
  }
  signature.resize(length);
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("DKIM signing failed");
  }
  signature.resize(length);
  // b= folded at 72 characters; verifiers drop its whitespace (RFC 6376 3.5).
  const std::string b = mime::base64(signature);
  std::string folded;
  for (size_t at = 0; at < b.size(); at += 72) folded += (at == 0 ? "" : "\r\n\t ") + b.substr(at, 72);
  return "DKIM-Signature:" + value + folded + "\r\n";
}

}  // namespace smtpx::dkim
