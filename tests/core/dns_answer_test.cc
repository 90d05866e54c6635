// Reading DNS answers (src/core/dns/answer.h) from messages built byte by byte:
// what each record type says, compression pointers followed, and malformed
// records skipped rather than read past.
#include <arpa/nameser.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/address.h"
#include "core/dns/answer.h"
#include "core/dns/resolver.h"

namespace smtpx::dns {
namespace {

using Bytes = std::vector<unsigned char>;

// A response with the question `name` (at offset 12, for pointers back to it)
// and the given answer records, each owned by the question's name.
Bytes response(const std::string& name, int type, const std::vector<Bytes>& rdatas) {
  Bytes message = {0x12, 0x34, 0x84, 0x00, 0, 1, 0, static_cast<unsigned char>(rdatas.size()), 0, 0, 0, 0};
  size_t start = 0;
  while (start <= name.size()) {
    const size_t dot = std::min(name.find('.', start), name.size());
    message.push_back(static_cast<unsigned char>(dot - start));
    message.insert(message.end(), name.begin() + start, name.begin() + dot);
    start = dot + 1;
  }
  message.push_back(0);
  message.insert(message.end(), {0, static_cast<unsigned char>(type), 0, 1});
  for (const Bytes& rdata : rdatas) {
    message.insert(message.end(), {0xc0, 12, 0, static_cast<unsigned char>(type), 0, 1, 0, 0, 0, 60});
    message.push_back(static_cast<unsigned char>(rdata.size() >> 8));
    message.push_back(static_cast<unsigned char>(rdata.size()));
    message.insert(message.end(), rdata.begin(), rdata.end());
  }
  return message;
}

TEST(DnsAnswer, TxtStringsAreJoined) {
  const Bytes message =
      response("example.com", ns_t_txt, {{3, 'v', '=', 's', 2, 'p', 'f'}, {1, 'x', 9, 'y'}});
  const auto records = answer_records(message.data(), message.size(), ns_t_txt);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(txt_text(records[0].rdata), "v=spf");
  EXPECT_EQ(txt_text(records[1].rdata), "x");  // a string running past the RDATA ends the text
}

TEST(DnsAnswer, MxAndPtrNamesFollowCompression) {
  // "mx" then a pointer to the question's "example.com" (offset 12).
  const Bytes message = response("example.com", ns_t_mx, {{0, 10, 2, 'm', 'x', 0xc0, 12}});
  const auto records = answer_records(message.data(), message.size(), ns_t_mx);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].name, "mx.example.com");
  EXPECT_EQ(records[0].rdata[1], 10);
  const Bytes ptr = response("10.2.0.192.in-addr.arpa", ns_t_ptr, {{4, 'm', 'a', 'i', 'l', 0}});
  EXPECT_EQ(answer_records(ptr.data(), ptr.size(), ns_t_ptr).at(0).name, "mail");
}

TEST(DnsAnswer, MalformedRecordsAreSkipped) {
  // A name that runs past its RDATA, an MX too short for its preference, a pointer to itself.
  Bytes message = response("example.com", ns_t_mx, {{0, 10, 5, 'm', 'x'}, {0, 10}, {0, 10, 0xc0, 0}});
  const size_t pointer_at = message.size() - 2;
  message[pointer_at] = static_cast<unsigned char>(0xc0 | (pointer_at >> 8));
  message[pointer_at + 1] = static_cast<unsigned char>(pointer_at);
  EXPECT_TRUE(answer_records(message.data(), message.size(), ns_t_mx).empty());
  const Bytes cut(message.begin(), message.begin() + 20);
  EXPECT_TRUE(answer_records(cut.data(), cut.size(), ns_t_mx).empty());
}

TEST(DnsAnswer, AddressesByLength) {
  EXPECT_EQ(address_text({192, 0, 2, 10}, ns_t_a), "192.0.2.10");
  EXPECT_EQ(address_text({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, ns_t_aaaa),
            "2001:db8::1");
  EXPECT_FALSE(address_text({192, 0, 2}, ns_t_a));
}

TEST(DnsAnswer, ReverseNames) {
  EXPECT_EQ(reverse_name("192.0.2.10"), "10.2.0.192.in-addr.arpa");
  EXPECT_EQ(reverse_name("2001:db8::1"),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  EXPECT_EQ(reverse_name("mail.example.com"), "");
}

TEST(DnsAnswer, WithinDomain) {
  EXPECT_TRUE(is_within_domain("example.com", "example.com"));
  EXPECT_TRUE(is_within_domain("News.Example.com", "example.COM"));
  EXPECT_FALSE(is_within_domain("badexample.com", "example.com"));
  EXPECT_FALSE(is_within_domain("com", "example.com"));
  EXPECT_FALSE(is_within_domain("example.com", ""));
}

}  // namespace
}  // namespace smtpx::dns
