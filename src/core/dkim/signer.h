// DKIM signatures (RFC 6376), RSA-SHA256 or Ed25519-SHA256 (RFC 8463), with
// relaxed/relaxed canonicalization and From signed once more than it occurs,
// so a From added on the way breaks the signature instead of borrowing it.
#pragma once

#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace smtpx::dkim {

struct DkimSettings {
  std::string domain;                    // d=
  std::string selector;                  // s=
  std::string private_key;               // PEM text, or the path of a PEM file
  std::string passphrase;                // for an encrypted key
  std::string algorithm = "rsa-sha256";  // or "ed25519-sha256"
  std::vector<std::string> headers;      // the header fields to sign; empty: default_headers()
};

// From, Reply-To, Subject, Date, To, Cc, Message-ID, MIME-Version,
// Content-Type, In-Reply-To, References, List-Unsubscribe(-Post), Sender.
const std::vector<std::string>& default_headers();

// The SHA-256 of a body in relaxed canonical form, fed as it streams.
class BodyHash {
 public:
  BodyHash();
  ~BodyHash();
  BodyHash(const BodyHash&) = delete;
  BodyHash& operator=(const BodyHash&) = delete;
  void feed(std::string_view bytes);
  std::string finish();  // the raw digest

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class Signer {
 public:
  // Loads and checks the key, or takes it from the process's cache of keys
  // parsed before (the same text, or the same unchanged file, passphrase and
  // algorithm); throws InvalidInput naming `field` (".private_key", ".domain"...
  // appended): unreadable, encrypted without a passphrase, of another
  // algorithm, RSA under 1024 bits.
  // `separator` joins `field` and the key's name: "." for "transport.dkim.domain",
  // "_" for php.ini's "smtpx.dkim_domain".
  Signer(DkimSettings settings, const std::string& field, char separator = '.');
  ~Signer();
  Signer(Signer&&) noexcept;
  Signer& operator=(Signer&&) noexcept;

  // The DKIM-Signature field, folded and CRLF-ended, for a message whose
  // header block is `headers` (CRLF lines, without the empty line) and whose
  // body has the relaxed SHA-256 `body_hash`.
  std::string signature_field(std::string_view headers, const std::string& body_hash, std::time_t now) const;
  // The header block already carries a DKIM-Signature with this domain and selector.
  bool already_signed(std::string_view headers) const;
  // The TXT record to publish at "<selector>._domainkey.<domain>" (RFC 6376 3.6.1):
  // "v=DKIM1; k=rsa; p=<base64 of the public key>" (Ed25519: the raw 32 bytes, RFC 8463 4).
  std::string public_record() const;
  // The base64 p= value alone.
  std::string public_key() const;
  const DkimSettings& settings() const { return settings_; }

  struct Key;

 private:
  static std::shared_ptr<const Key> load_key(const DkimSettings& settings, const std::string& key_field,
                                             bool ed25519);

  DkimSettings settings_;
  std::shared_ptr<const Key> key_;
};

// The header fields of a header block, in order: (name, value as written, folds included).
std::vector<std::pair<std::string, std::string>> header_fields(std::string_view headers);

// The address of a message's From field (the first mailbox), or empty when it has none
// that parses. `mime`: the message, or its header block.
std::string from_address(std::string_view mime);

// Whether `private_key` holds a PEM key itself rather than the path of one.
bool is_pem_text(const std::string& private_key);

}  // namespace smtpx::dkim
