// Mailboxes: parsing, validation, the envelope form and IDN domains in ASCII.
#include "core/address.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "valid_address.h"

namespace smtpx {
namespace {

// The message of the InvalidInput that parsing `text` as field "to[0]" throws.
std::string refusal(std::string_view text) {
  try {
    parse_mailbox(text, "to[0]");
  } catch (const InvalidInput& error) {
    EXPECT_EQ(error.field(), "to[0]");
    return error.what();
  }
  ADD_FAILURE() << "accepted: " << text;
  return {};
}

using testing::is_valid_address;

// --- parse_mailbox: the forms callers write

TEST(ParseMailbox, BareAddress) {
  const Mailbox mailbox = parse_mailbox("user@example.com", "from");
  EXPECT_EQ(mailbox.address, "user@example.com");
  EXPECT_EQ(mailbox.display_name, "");
}

TEST(ParseMailbox, AddressInAngleBrackets) {
  const Mailbox mailbox = parse_mailbox("<user@example.com>", "from");
  EXPECT_EQ(mailbox.address, "user@example.com");
  EXPECT_EQ(mailbox.display_name, "");
}

TEST(ParseMailbox, NameAndAddress) {
  const Mailbox mailbox = parse_mailbox("Alice Liddell <alice@example.com>", "from");
  EXPECT_EQ(mailbox.display_name, "Alice Liddell");
  EXPECT_EQ(mailbox.address, "alice@example.com");
}

TEST(ParseMailbox, QuotedNameWithComma) {
  const Mailbox mailbox = parse_mailbox("\"Liddell, Alice\" <alice@example.com>", "from");
  EXPECT_EQ(mailbox.display_name, "Liddell, Alice");
  EXPECT_EQ(mailbox.address, "alice@example.com");
}

TEST(ParseMailbox, QuotedNameLosesItsEscapes) {
  EXPECT_EQ(parse_mailbox(R"("The \"Queen\" \\ of Hearts" <queen@example.com>)", "from").display_name,
            R"(The "Queen" \ of Hearts)");
}

TEST(ParseMailbox, QuotedNameMayHoldAngleBracketsAndAt) {
  const Mailbox mailbox = parse_mailbox("\"Bob <bob@old.example>\" <bob@example.com>", "from");
  EXPECT_EQ(mailbox.display_name, "Bob <bob@old.example>");
  EXPECT_EQ(mailbox.address, "bob@example.com");
}

TEST(ParseMailbox, UnquotedNameWithCommaIsOneName) {
  EXPECT_EQ(parse_mailbox("Liddell, Alice <alice@example.com>", "from").display_name, "Liddell, Alice");
}

TEST(ParseMailbox, EmptyQuotedNameIsNoName) {
  EXPECT_EQ(parse_mailbox("\"\" <alice@example.com>", "from").display_name, "");
}

TEST(ParseMailbox, SurroundingSpaceIsIgnored) {
  const Mailbox mailbox = parse_mailbox("  \tAlice   < alice@example.com >  ", "from");
  EXPECT_EQ(mailbox.display_name, "Alice");
  EXPECT_EQ(mailbox.address, "alice@example.com");
}

TEST(ParseMailbox, Utf8NameIsKept) {
  const Mailbox mailbox = parse_mailbox(u8"Jürgen Müller <juergen@example.de>", "from");
  EXPECT_EQ(mailbox.display_name, u8"Jürgen Müller");
  EXPECT_EQ(mailbox.address, "juergen@example.de");
}

TEST(ParseMailbox, Utf8AddressIsKeptExactly) {
  EXPECT_EQ(parse_mailbox(u8"Ünal <ünal@bücher.example>", "from").address, u8"ünal@bücher.example");
}

TEST(ParseMailbox, QuotedLocalPartWithSpace) {
  EXPECT_EQ(parse_mailbox("\"john doe\"@example.com", "from").address, "\"john doe\"@example.com");
  EXPECT_EQ(parse_mailbox("John <\"john doe\"@example.com>", "from").address, "\"john doe\"@example.com");
}

TEST(ParseMailbox, AddressCaseIsKept) {
  EXPECT_EQ(parse_mailbox("User@Example.COM", "from").address, "User@Example.COM");
}

TEST(ParseMailbox, AddressLiteralDomains) {
  EXPECT_EQ(parse_mailbox("postmaster@[192.0.2.1]", "to").address, "postmaster@[192.0.2.1]");
  EXPECT_EQ(parse_mailbox("postmaster@[IPv6:2001:db8::1]", "to").address, "postmaster@[IPv6:2001:db8::1]");
}

TEST(ParseMailbox, SingleLabelDomain) {
  EXPECT_EQ(parse_mailbox("root@localhost", "to").address, "root@localhost");
}

// --- parse_mailbox: refusals, each saying what is wrong

TEST(ParseMailbox, LineFeedAnywhereIsRefused) {
  EXPECT_EQ(refusal("user@example.com\nBcc: victim@example.com"),
            "to[0]: contains a line break (CR or LF); a mailbox is one line of text");
  EXPECT_EQ(refusal("Alice\n <alice@example.com>"),
            "to[0]: contains a line break (CR or LF); a mailbox is one line of text");
}

TEST(ParseMailbox, CarriageReturnAnywhereIsRefused) {
  EXPECT_EQ(refusal("\"Ali\rce\" <alice@example.com>"),
            "to[0]: contains a line break (CR or LF); a mailbox is one line of text");
}

TEST(ParseMailbox, NulIsRefused) {
  EXPECT_EQ(refusal(std::string_view("alice@example.com\0x", 19)), "to[0]: contains a NUL byte");
}

TEST(ParseMailbox, EmptyIsRefused) {
  EXPECT_EQ(refusal(""), "to[0]: is empty; give an address such as user@example.com");
  EXPECT_EQ(refusal("   "), "to[0]: is empty; give an address such as user@example.com");
}

TEST(ParseMailbox, MissingAtIsRefused) {
  EXPECT_EQ(refusal("alice.example.com"),
            "to[0]: \"alice.example.com\" has no @; an address looks like user@example.com");
}

TEST(ParseMailbox, EmptyLocalPartIsRefused) {
  EXPECT_EQ(refusal("@example.com"), "to[0]: \"@example.com\" has nothing before the @");
}

TEST(ParseMailbox, EmptyDomainIsRefused) {
  EXPECT_EQ(refusal("alice@"), "to[0]: \"alice@\" has no domain after the @");
}

TEST(ParseMailbox, EmptyAngleBracketsAreRefused) {
  EXPECT_EQ(refusal("Alice <>"), "to[0]: \"Alice <>\" has no address between < and >");
}

TEST(ParseMailbox, SpaceInTheAddressIsRefused) {
  EXPECT_EQ(
      refusal("alice liddell@example.com"),
      "to[0]: \"alice liddell@example.com\" contains a space; an address has none (to add a name, write "
      "\"Name <user@example.com>\")");
  EXPECT_EQ(refusal("alice@exam ple.com"),
            "to[0]: \"alice@exam ple.com\" contains a space; an address has none (to add a name, write "
            "\"Name <user@example.com>\")");
}

TEST(ParseMailbox, NonBreakingSpaceInTheAddressIsRefused) {
  EXPECT_EQ(refusal(u8"alice@example.com\u00a0"),
            u8"to[0]: \"alice@example.com\u00a0\" contains an invisible character (a non-breaking space or a "
            u8"control), often pasted in by accident: type the address again");
}

TEST(ParseMailbox, TwoAddressesWithCommaAreRefused) {
  EXPECT_EQ(refusal("alice@example.com, bob@example.com"),
            "to[0]: holds more than one address; give each address as its own list element");
}

TEST(ParseMailbox, TwoAddressesWithSpaceAreRefused) {
  EXPECT_EQ(refusal("alice@example.com bob@example.com"),
            "to[0]: holds more than one address; give each address as its own list element");
}

TEST(ParseMailbox, TwoNamedAddressesAreRefused) {
  EXPECT_EQ(refusal("Alice <alice@example.com>, Bob <bob@example.com>"),
            "to[0]: holds more than one address; give each address as its own list element");
  EXPECT_EQ(refusal("Alice <alice@example.com>, bob@example.com"),
            "to[0]: holds more than one address; give each address as its own list element");
}

TEST(ParseMailbox, UnbalancedQuoteIsRefused) {
  EXPECT_EQ(refusal("\"Alice <alice@example.com>"),
            "to[0]: \"\"Alice <alice@example.com>\" has an unbalanced double quote");
  EXPECT_EQ(refusal("\"alice@example.com"), "to[0]: \"\"alice@example.com\" has an unbalanced double quote");
}

TEST(ParseMailbox, QuoteInsideALocalPartIsRefused) {
  EXPECT_EQ(refusal("al\"ice\"@example.com"),
            "to[0]: \"al\"ice\"@example.com\" has an unbalanced double quote");
}

TEST(ParseMailbox, UnbalancedAngleBracketsAreRefused) {
  const std::string expected_end = " has unbalanced angle brackets; write \"Name <user@example.com>\"";
  EXPECT_EQ(refusal("Alice <alice@example.com"), "to[0]: \"Alice <alice@example.com\"" + expected_end);
  EXPECT_EQ(refusal("Alice alice@example.com>"), "to[0]: \"Alice alice@example.com>\"" + expected_end);
  EXPECT_EQ(refusal(">alice@example.com<"), "to[0]: \">alice@example.com<\"" + expected_end);
}

TEST(ParseMailbox, TextAfterTheClosingBracketIsRefused) {
  EXPECT_EQ(refusal("Alice <alice@example.com> (work)"),
            "to[0]: \"Alice <alice@example.com> (work)\" has text after the closing >; write \"Name "
            "<user@example.com>\"");
}

TEST(ParseMailbox, ControlCharacterInTheNameIsRefused) {
  EXPECT_EQ(refusal("Ali\x01"
                    "ce <alice@example.com>"),
            "to[0]: the display name \"Ali\\x01ce\" contains a control character");
}

TEST(ParseMailbox, InvalidUtf8IsRefused) {
  EXPECT_EQ(refusal("J\xfcrgen <j@example.de>"),
            "to[0]: is not valid UTF-8; convert the text to UTF-8 first");
}

TEST(ParseMailbox, AddressOf254OctetsIsAccepted) {
  const std::string address = std::string(64, 'a') + "@" + std::string(63, 'b') + "." + std::string(63, 'c') +
                              "." + std::string(61, 'd');
  ASSERT_EQ(address.size(), 254u);
  EXPECT_EQ(parse_mailbox(address, "to").address, address);
}

TEST(ParseMailbox, AddressOver254OctetsIsRefused) {
  const std::string address = std::string(64, 'a') + "@" + std::string(63, 'b') + "." + std::string(63, 'c') +
                              "." + std::string(62, 'd');
  EXPECT_EQ(refusal(address), "to[0]: \"" + address.substr(0, 100) +
                                  "...\" is 255 octets long; at most 254 are allowed (RFC 5321 4.5.3.1.3)");
}

TEST(ParseMailbox, LocalPartOf64OctetsIsAccepted) {
  EXPECT_TRUE(is_valid_address(std::string(64, 'a') + "@example.com"));
}

TEST(ParseMailbox, LocalPartOver64OctetsIsRefused) {
  const std::string address = std::string(65, 'a') + "@example.com";
  EXPECT_EQ(refusal(address),
            "to[0]: \"" + address.substr(0, 100) +
                "\" has a local part of 65 octets; at most 64 are allowed (RFC 5321 4.5.3.1.1)");
}

TEST(ParseMailbox, DomainLabelStartingWithHyphenIsRefused) {
  EXPECT_EQ(
      refusal("alice@-example.com"),
      "to[0]: \"alice@-example.com\" has the domain label \"-example\", which starts or ends with a hyphen");
}

TEST(ParseMailbox, DomainLabelEndingWithHyphenIsRefused) {
  EXPECT_EQ(
      refusal("alice@example-.com"),
      "to[0]: \"alice@example-.com\" has the domain label \"example-\", which starts or ends with a hyphen");
}

TEST(ParseMailbox, UnderscoreInDomainIsRefused) {
  EXPECT_EQ(
      refusal("alice@mail_server.example.com"),
      "to[0]: \"alice@mail_server.example.com\" has '_' in the domain label \"mail_server\"; a label may "
      "hold only letters, digits and hyphens");
}

TEST(ParseMailbox, EmptyDomainLabelIsRefused) {
  const std::string expected_end =
      " has an empty label in its domain (a dot at the start or end, or two dots in a row)";
  EXPECT_EQ(refusal("alice@example..com"), "to[0]: \"alice@example..com\"" + expected_end);
  EXPECT_EQ(refusal("alice@.example.com"), "to[0]: \"alice@.example.com\"" + expected_end);
  EXPECT_EQ(refusal("alice@example.com."), "to[0]: \"alice@example.com.\"" + expected_end);
}

TEST(ParseMailbox, DomainLabelOver63OctetsIsRefused) {
  const std::string label(64, 'b');
  EXPECT_EQ(refusal("a@" + label + ".com"),
            "to[0]: \"a@" + label + ".com\" has the domain label \"" + label +
                "\" of 64 octets in ASCII form; at most 63 are allowed (RFC 1035 "
                "2.3.4)");
}

TEST(ParseMailbox, BadAddressLiteralIsRefused) {
  const std::string expected_end =
      ", which is neither an IPv4 address like [192.0.2.1] nor an IPv6 address like [IPv6:2001:db8::1]";
  EXPECT_EQ(refusal("a@[1.2.3]"), "to[0]: \"a@[1.2.3]\" has the address literal \"[1.2.3]\"" + expected_end);
  EXPECT_EQ(refusal("a@[300.1.1.1]"),
            "to[0]: \"a@[300.1.1.1]\" has the address literal \"[300.1.1.1]\"" + expected_end);
  EXPECT_EQ(refusal("a@[2001:db8::1]"),
            "to[0]: \"a@[2001:db8::1]\" has the address literal \"[2001:db8::1]\"" + expected_end);
}

TEST(ParseMailbox, AddressLiteralWithoutClosingBracketIsRefused) {
  EXPECT_EQ(refusal("a@[1.2.3.4"), "to[0]: \"a@[1.2.3.4\" has an address literal without its closing ]");
}

TEST(ParseMailbox, SpecialCharacterInLocalPartIsRefused) {
  EXPECT_EQ(
      refusal("ali(ce@example.com"),
      "to[0]: \"ali(ce@example.com\" has '(' in its local part, which only a quoted local part may hold "
      "(\"...\"@example.com)");
}

TEST(ParseMailbox, QuotedLocalPartCannotCarryParametersOrControlBytes) {
  EXPECT_EQ(refusal("\"\t> SIZE=1\"@x.example"),
            "to[0]: \"\"\\x09> SIZE=1\"@x.example\" has a control character in its quoted local part");
  EXPECT_EQ(refusal("\"a> SIZE=1\"@x.example"),
            "to[0]: \"\"a> SIZE=1\"@x.example\" has '>' in its quoted local part");
  EXPECT_EQ(refusal("\"a\\\x7f\"@x.example"),
            "to[0]: \"\"a\\\\x7f\"@x.example\" contains a control character");
}

TEST(ParseMailbox, QuotedLocalPartCannotCarryAnEscapedAngleBracket) {
  EXPECT_EQ(refusal("\"a\\> SIZE=1\"@x.example"),
            "to[0]: \"\"a\\> SIZE=1\"@x.example\" has '>' in its quoted local part");
  EXPECT_EQ(refusal("\"\\<a\"@x.example"), "to[0]: \"\"\\<a\"@x.example\" has '<' in its quoted local part");
  EXPECT_TRUE(is_valid_address("\"a\\\\b\"@x.example"));  // an escaped backslash is still fine
}

TEST(ParseMailbox, QuotedLocalPartIsAtMost64Octets) {
  const std::string local = "\"" + std::string(63, 'a') + "\"";
  EXPECT_EQ(refusal(local + "@x.example"),
            "to[0]: \"" + local +
                "@x.example\" has a local part of 65 octets; at most 64 are allowed (RFC 5321 4.5.3.1.1)");
  EXPECT_TRUE(is_valid_address("\"" + std::string(62, 'a') + "\"@x.example"));
}

TEST(ParseMailbox, SecondAtIsRefused) {
  EXPECT_EQ(refusal("alice@home@example.com"), "to[0]: \"alice@home@example.com\" has more than one @");
}

TEST(ParseMailbox, DotsAtTheEdgeOfTheLocalPartAreRefused) {
  const std::string expected_end =
      " has a dot at the start or end of its local part, or two dots in a row; quote the local part "
      "(\"a..b\"@example.com) if it really is so";
  EXPECT_EQ(refusal(".alice@example.com"), "to[0]: \".alice@example.com\"" + expected_end);
  EXPECT_EQ(refusal("alice.@example.com"), "to[0]: \"alice.@example.com\"" + expected_end);
  EXPECT_EQ(refusal("ali..ce@example.com"), "to[0]: \"ali..ce@example.com\"" + expected_end);
}

// --- is_valid_address

TEST(IsValidAddress, AtextSymbolsAreValid) {
  EXPECT_TRUE(is_valid_address("a.b+tag!#$%&'*/=?^_`{|}~-z@example.com"));
}

TEST(IsValidAddress, QuotedLocalPartWithEscapes) {
  EXPECT_TRUE(is_valid_address(R"("a\"b\\c d"@example.com)"));
  EXPECT_TRUE(is_valid_address(R"("a@b"@example.com)"));
  EXPECT_FALSE(is_valid_address(R"("abc\"@example.com)"));
}

TEST(IsValidAddress, IdnDomainIsValid) {
  EXPECT_TRUE(is_valid_address(u8"user@bücher.example"));
  EXPECT_TRUE(is_valid_address(u8"用户@例子.广告"));
}

TEST(ParseMailbox, IdnLabelIsMeasuredInItsAsciiForm) {
  // 21 ideographs: 63 octets of UTF-8, but 67 as "xn--" + Punycode.
  const std::string label = u8"一卍墚巧挴梁淎猛硨綵茂衏趜鋩頶鶃ꋐꠝ굪늷렄";
  ASSERT_EQ(label.size(), 63u);
  EXPECT_EQ(refusal("user@" + label + ".example"),
            "to[0]: \"user@" + label + ".example\" has the domain label \"" + label +
                "\" of 67 octets in ASCII form; at most 63 are allowed (RFC 1035 2.3.4)");
}

TEST(IsValidAddress, HyphensInsideALabelAreValid) {
  EXPECT_TRUE(is_valid_address("a@x--y.example-host.com"));
}

TEST(IsValidAddress, AddressLiteralTagIsCaseInsensitive) {
  EXPECT_TRUE(is_valid_address("a@[ipv6:::1]"));
  EXPECT_TRUE(is_valid_address("a@[IPv6:::ffff:192.0.2.1]"));
}

TEST(IsValidAddress, AngleBracketsAreNotPartOfAnAddress) {
  EXPECT_FALSE(is_valid_address("<a@example.com>"));
}

TEST(IsValidAddress, TabIsNotValid) {
  EXPECT_FALSE(is_valid_address("a\t@example.com"));
}

TEST(IsValidAddress, ControlCharacterIsNotValid) {
  EXPECT_FALSE(is_valid_address("a\x7f@example.com"));
}

TEST(IsValidAddress, OverlongUtf8IsNotValid) {
  EXPECT_FALSE(is_valid_address("\xc0\xaf@example.com"));
}

// --- Mailbox::needs_smtputf8

TEST(NeedsSmtputf8, AsciiAddressDoesNot) {
  EXPECT_FALSE(parse_mailbox(u8"Jürgen <juergen@example.de>", "from").needs_smtputf8());
}

TEST(NeedsSmtputf8, Utf8DomainDoes) {
  EXPECT_TRUE(parse_mailbox(u8"user@bücher.example", "from").needs_smtputf8());
}

TEST(NeedsSmtputf8, Utf8LocalPartDoes) {
  EXPECT_TRUE(parse_mailbox(u8"ünal@example.com", "from").needs_smtputf8());
}

// --- address_for_server

TEST(EnvelopeAddress, AsciiAddressIsUnchanged) {
  EXPECT_EQ(address_for_server(parse_mailbox("User@Example.com", "to"), false, "to"), "User@Example.com");
}

TEST(EnvelopeAddress, Utf8AddressIsUnchangedWhenTheServerTakesSmtputf8) {
  EXPECT_EQ(address_for_server(parse_mailbox(u8"ünal@bücher.example", "to"), true, "to"),
            u8"ünal@bücher.example");
}

TEST(EnvelopeAddress, Utf8DomainBecomesPunycodeWithoutSmtputf8) {
  EXPECT_EQ(address_for_server(parse_mailbox(u8"User@Bücher.example", "to"), false, "to"),
            "User@xn--bcher-kva.example");
}

TEST(EnvelopeAddress, Utf8LocalPartWithoutSmtputf8IsRefused) {
  try {
    address_for_server(parse_mailbox(u8"ünal@example.com", "to[1]"), false, "to[1]");
    FAIL() << "accepted";
  } catch (const InvalidInput& error) {
    EXPECT_EQ(error.field(), "to[1]");
    EXPECT_EQ(
        std::string(error.what()),
        u8"to[1]: \"ünal@example.com\" has a non-ASCII local part and the server does not offer SMTPUTF8 "
        u8"(RFC 6531): use an ASCII address, or a server that supports SMTPUTF8");
  }
}

TEST(EnvelopeAddress, AddressOver254OctetsInAsciiFormIsRefusedWithoutSmtputf8) {
  // 105 octets as given; each "ü" label is "xn--tda" in ASCII, so 260 without SMTPUTF8.
  std::string domain;
  for (int i = 0; i < 31; ++i) domain += u8"ü.";
  const Mailbox mailbox = parse_mailbox("user@" + domain + "example", "to[0]");
  EXPECT_EQ(address_for_server(mailbox, true, "to[0]"), mailbox.address);
  try {
    address_for_server(mailbox, false, "to[0]");
    FAIL() << "a path over 256 octets went to MAIL";
  } catch (const InvalidInput& error) {
    EXPECT_EQ(error.field(), "to[0]");
    EXPECT_NE(std::string(error.what()).find("is 260 octets long with its domain in ASCII form"),
              std::string::npos)
        << error.what();
  }
}

// --- domain_to_ascii

TEST(DomainToAscii, AsciiIsLowerCased) {
  EXPECT_EQ(domain_to_ascii("Mail.Example.COM", "d"), "mail.example.com");
}

TEST(DomainToAscii, Buecher) {
  EXPECT_EQ(domain_to_ascii(u8"bücher.example", "d"), "xn--bcher-kva.example");
}

TEST(DomainToAscii, Muenchen) {
  EXPECT_EQ(domain_to_ascii(u8"münchen.de", "d"), "xn--mnchen-3ya.de");
}

TEST(DomainToAscii, AsciiLettersAreLowerCasedBeforeEncoding) {
  EXPECT_EQ(domain_to_ascii(u8"MÜNCHEN.DE", "d"), domain_to_ascii(u8"mÜnchen.de", "d"));
  EXPECT_EQ(domain_to_ascii(u8"Bücher.Example", "d"), "xn--bcher-kva.example");
}

TEST(DomainToAscii, OnlyNonAsciiLabelsGetThePrefix) {
  EXPECT_EQ(domain_to_ascii(u8"mail.bücher.münchen.de", "d"), "mail.xn--bcher-kva.xn--mnchen-3ya.de");
}

TEST(DomainToAscii, AllNonAsciiLabel) {
  EXPECT_EQ(domain_to_ascii(u8"例子.广告", "d"), "xn--fsqu00a.xn--4rr70v");
}

TEST(DomainToAscii, AddressLiteralIsUnchanged) {
  EXPECT_EQ(domain_to_ascii("[IPv6:2001:DB8::1]", "d"), "[IPv6:2001:DB8::1]");
}

// RFC 3492 7.1 sample strings, each one label. The samples with capital
// letters (D, L) come out lower-cased, as domain names are.
TEST(DomainToAscii, Rfc3492SampleA_Arabic) {
  EXPECT_EQ(domain_to_ascii(u8"\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639"
                            u8"\u0631\u0628\u064A\u061F",
                            "d"),
            "xn--egbpdaj6bu4bxfgehfvwxn");
}

TEST(DomainToAscii, Rfc3492SampleB_SimplifiedChinese) {
  EXPECT_EQ(domain_to_ascii(u8"\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587", "d"),
            "xn--ihqwcrb4cv8a8dqg056pqjye");
}

TEST(DomainToAscii, Rfc3492SampleC_TraditionalChinese) {
  EXPECT_EQ(domain_to_ascii(u8"\u4ED6\u5011\u7232\u4EC0\u9EBD\u4E0D\u8AAA\u4E2D\u6587", "d"),
            "xn--ihqwctvzc91f659drss3x8bo0yb");
}

TEST(DomainToAscii, Rfc3492SampleD_Czech) {
  EXPECT_EQ(domain_to_ascii(u8"Pro\u010Dprost\u011Bnemluv\u00ED\u010Desky", "d"),
            "xn--proprostnemluvesky-uyb24dma41a");
}

TEST(DomainToAscii, Rfc3492SampleG_Japanese) {
  EXPECT_EQ(domain_to_ascii(u8"\u306A\u305C\u307F\u3093\u306A\u65E5\u672C\u8A9E\u3092\u8A71\u3057\u3066\u304F"
                            u8"\u308C\u306A\u3044\u306E\u304B",
                            "d"),
            "xn--n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa");
}

TEST(DomainToAscii, Rfc3492SampleL_MixedAsciiAndKanji) {
  EXPECT_EQ(domain_to_ascii(u8"3\u5E74B\u7D44\u91D1\u516B\u5148\u751F", "d"), "xn--3b-ww4c5e180e575a65lsy2b");
}

TEST(DomainToAscii, CodePointBeyondTheBasicPlane) {
  EXPECT_EQ(domain_to_ascii(u8"\U0001F600.example", "d"), "xn--e28h.example");
}

TEST(DomainToAscii, InvalidUtf8IsRefused) {
  for (std::string_view bad : {"b\xfc"
                               "cher.example",
                               "\xc3(.example", "\xe2\x82.example", "\xed\xa0\x80.example",
                               "\xf4\x90\x80\x80.example", "\xc0\xaf.example"}) {
    try {
      domain_to_ascii(bad, "transport.helo");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const InvalidInput& error) {
      EXPECT_EQ(error.field(), "transport.helo");
      EXPECT_EQ(std::string(error.what()),
                "transport.helo: the domain is not valid UTF-8; convert the text to UTF-8 first");
    }
  }
}

}  // namespace
}  // namespace smtpx
