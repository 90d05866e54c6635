// Message::recipients(): the envelope's recipient list.
#include "core/message.h"

#include <gtest/gtest.h>

namespace smtpx {
namespace {

Mailbox box(std::string address, std::string name = {}) {
  return Mailbox{std::move(name), std::move(address)};
}

std::vector<std::string> addresses(const std::vector<Mailbox>& mailboxes) {
  std::vector<std::string> out;
  for (const Mailbox& mailbox : mailboxes) out.push_back(mailbox.address);
  return out;
}

TEST(MessageRecipients, ToThenCcThenBcc) {
  Message message;
  message.bcc = {box("c@example.com")};
  message.cc = {box("b@example.com")};
  message.to = {box("a@example.com"), box("a2@example.com")};
  EXPECT_EQ(addresses(message.recipients()),
            (std::vector<std::string>{"a@example.com", "a2@example.com", "b@example.com", "c@example.com"}));
}

TEST(MessageRecipients, EachAddressOnce) {
  Message message;
  message.to = {box("a@example.com"), box("a@example.com")};
  message.cc = {box("a@example.com")};
  message.bcc = {box("b@example.com"), box("a@example.com")};
  EXPECT_EQ(addresses(message.recipients()), (std::vector<std::string>{"a@example.com", "b@example.com"}));
}

TEST(MessageRecipients, DomainCaseDoesNotMakeAnotherRecipient) {
  Message message;
  message.to = {box("a@Example.COM")};
  message.bcc = {box("a@example.com")};
  EXPECT_EQ(addresses(message.recipients()), std::vector<std::string>{"a@Example.COM"});
}

TEST(MessageRecipients, LocalPartCaseMakesAnotherRecipient) {
  Message message;
  message.to = {box("Alice@example.com"), box("alice@example.com")};
  EXPECT_EQ(addresses(message.recipients()),
            (std::vector<std::string>{"Alice@example.com", "alice@example.com"}));
}

TEST(MessageRecipients, FirstMentionKeepsItsName) {
  Message message;
  message.to = {box("a@example.com", "Alice")};
  message.cc = {box("a@example.com", "Someone else")};
  const std::vector<Mailbox> recipients = message.recipients();
  ASSERT_EQ(recipients.size(), 1u);
  EXPECT_EQ(recipients[0].display_name, "Alice");
}

TEST(MessageRecipients, ReplyToAndFromAreNotRecipients) {
  Message message;
  message.from = box("me@example.com");
  message.reply_to = {box("replies@example.com")};
  message.to = {box("a@example.com")};
  EXPECT_EQ(addresses(message.recipients()), std::vector<std::string>{"a@example.com"});
}

TEST(MessageRecipients, NoneWhenEmpty) {
  EXPECT_TRUE(Message{}.recipients().empty());
}

TEST(MessageEnvelopeSender, FromUnlessSenderIsSet) {
  Message message;
  message.from = box("me@example.com");
  EXPECT_EQ(message.envelope_sender().address, "me@example.com");
  message.sender = box("bounces@example.com");
  EXPECT_EQ(message.envelope_sender().address, "bounces@example.com");
}

}  // namespace
}  // namespace smtpx
