// The DKIM signer's key handling: parsed keys kept per process, but a file
// replaced at the same path read again, and each key's checks holding for
// every algorithm it is asked for; and which From a raw message's signer sees.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "core/dkim/signed_message.h"
#include "core/dkim/signer.h"
#include "core/error.h"

namespace smtpx::dkim {
namespace {

std::string ed25519_pem() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(length));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

DkimSettings ed25519_settings(std::string private_key) {
  DkimSettings settings;
  settings.domain = "example.com";
  settings.selector = "ed";
  settings.algorithm = "ed25519-sha256";
  settings.private_key = std::move(private_key);
  return settings;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

TEST(DkimSigner, AKeyFileReplacedAtTheSamePathIsReadAgain) {
  char path[] = "/tmp/smtpx-dkim-key-XXXXXX";
  close(mkstemp(path));
  write_file(path, ed25519_pem());
  const std::string first = Signer(ed25519_settings(path), "dkim").public_key();
  EXPECT_EQ(Signer(ed25519_settings(path), "dkim").public_key(), first);
  // Another key of the same length: the inode and size stay, the modification time moves.
  usleep(20000);
  write_file(path, ed25519_pem());
  EXPECT_NE(Signer(ed25519_settings(path), "dkim").public_key(), first);
  std::remove(path);
}

TEST(DkimSigner, AKeyKeptForOneAlgorithmIsCheckedForAnother) {
  const std::string pem = ed25519_pem();
  Signer accepted(ed25519_settings(pem), "dkim");
  DkimSettings as_rsa = ed25519_settings(pem);
  as_rsa.algorithm = "rsa-sha256";
  try {
    Signer refused(as_rsa, "transport.dkim");
    FAIL() << "an Ed25519 key signed as rsa-sha256";
  } catch (const InvalidInput& error) {
    EXPECT_EQ(error.field(), "transport.dkim.private_key");
  }
}

TEST(DkimSigner, FieldsNamedWithTheSeparatorGiven) {
  DkimSettings settings = ed25519_settings(ed25519_pem());
  settings.selector.clear();
  try {
    Signer refused(settings, "smtpx.dkim", '_');
    FAIL() << "an empty selector accepted";
  } catch (const InvalidInput& error) {
    EXPECT_EQ(error.field(), "smtpx.dkim_selector");
  }
}

TEST(DkimSigner, FromAddressOfARawMessage) {
  EXPECT_EQ(from_address("From: site@example.com\r\nTo: a@example.net\r\n\r\nbody"), "site@example.com");
  EXPECT_EQ(
      from_address("Subject: x\r\nfrom: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n <news@mail.example.com>\r\n\r\n"),
      "news@mail.example.com");
  EXPECT_EQ(from_address("From: a@example.com, b@example.org\r\n\r\n"), "a@example.com");
  EXPECT_EQ(from_address("To: a@example.net\r\n\r\nFrom: body@example.com\r\n"), "");
  EXPECT_EQ(from_address("From: not an address\r\n\r\n"), "");
}

// Found by tests/fuzz/dkim_canonical's header property: a raw message with bare LFs
// was signed as one header block with no body, while the server got it with CRLFs.
TEST(DkimSigner, BareLineFeedsAreSignedAsTheServerGetsThem) {
  std::vector<Signer> signers;
  signers.emplace_back(ed25519_settings(ed25519_pem()), "dkim");
  const std::string crlf = "From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n";
  const std::string signed_lf = with_signatures("From: a@example.com\nSubject: x\n\nbody\n", signers);
  const std::string signed_crlf = with_signatures(crlf, signers);
  ASSERT_GE(signed_lf.size(), crlf.size());
  EXPECT_EQ(signed_lf.substr(signed_lf.size() - crlf.size()), crlf);
  const auto body_hash = [](const std::string& text) { return text.substr(text.find("bh="), 48); };
  EXPECT_EQ(body_hash(signed_lf), body_hash(signed_crlf));
}

}  // namespace
}  // namespace smtpx::dkim
