#include "auth.h"

#include "../mime/encoders.h"

namespace smtpx::smtp {

std::string choose_mechanism(const Capabilities& capabilities, const Credentials& credentials) {
  // With OAuth, never a password mechanism first (symfony#53647: a LOGIN
  // attempt puts Outlook out of step with the XOAUTH2 that follows).
  if (!credentials.oauth_token.empty()) {
    if (capabilities.offers_auth("XOAUTH2")) return "XOAUTH2";
    return capabilities.offers_auth("OAUTHBEARER") ? "OAUTHBEARER" : "";
  }
  // PLAIN takes one round trip with its initial response (RFC 4954 4); LOGIN takes three.
  if (capabilities.offers_auth("PLAIN")) return "PLAIN";
  if (capabilities.offers_auth("LOGIN")) return "LOGIN";
  return {};
}

std::string plain_initial_response(const Credentials& credentials) {
  // RFC 4616 2: authzid NUL authcid NUL passwd, with an empty authzid.
  std::string message;
  message.push_back('\0');
  message += credentials.username;
  message.push_back('\0');
  message += credentials.password;
  return mime::base64(message);
}

std::string xoauth2_initial_response(const Credentials& credentials) {
  // Google's and Microsoft's XOAUTH2: "user=" U ^A "auth=Bearer " T ^A ^A.
  return mime::base64("user=" + credentials.username + "\x01" + "auth=Bearer " + credentials.oauth_token +
                      "\x01\x01");
}

std::string oauthbearer_initial_response(const Credentials& credentials, const std::string& host,
                                         uint16_t port) {
  // RFC 7628 3.1: the GS2 header "n,a=USER," then key=value pairs, each ended by ^A, and a final ^A.
  return mime::base64("n,a=" + credentials.username + ",\x01host=" + host +
                      "\x01port=" + std::to_string(port) +
                      "\x01"
                      "auth=Bearer " +
                      credentials.oauth_token + "\x01\x01");
}

namespace {

std::string offered(const Capabilities& capabilities) {
  std::string list;
  for (const std::string& mechanism : capabilities.auth) list += (list.empty() ? "" : " ") + mechanism;
  return list;
}

// Sends a secret line, recording only what may be shown.
Reply secret_command(Session& session, const std::string& line, const std::string& shown,
                     net::Deadline deadline) {
  session.transcript().client_secret(shown);
  session.write(line, Phase::auth, deadline);
  return session.read_reply(Phase::auth, deadline);
}

void expect_success(Session& session, const Reply& reply, const std::string& mechanism) {
  if (reply.code == 235) return;
  session.fail(ErrorKind::auth, Phase::auth, reply, "AUTH " + mechanism + " was refused");
}

// RFC 4954 4: only a 334 asks for the next response. Anything else ends the
// exchange before `next` is sent: a refusal, or a server out of step (a 235
// before the password), into which no credential is sent.
void expect_challenge(Session& session, const Reply& reply, const std::string& next) {
  if (reply.code == 334) return;
  if (reply.positive()) {
    session.fail(ErrorKind::protocol, Phase::auth, reply,
                 "AUTH LOGIN was answered before " + next + " was sent, out of step");
  }
  expect_success(session, reply, "LOGIN");
}

// One XOAUTH2 or OAUTHBEARER exchange. On a refused token the server first
// sends a 334 with a JSON error; the client's answer ends the exchange: an
// empty line for XOAUTH2, ^A for OAUTHBEARER (RFC 7628 3.2.3).
Reply oauth_exchange(Session& session, const std::string& mechanism, const Credentials& credentials,
                     net::Deadline deadline) {
  const SessionSettings& settings = session.settings();
  const std::string initial = mechanism == "XOAUTH2"
                                  ? xoauth2_initial_response(credentials)
                                  : oauthbearer_initial_response(credentials, settings.host, settings.port);
  Reply reply = secret_command(session, "AUTH " + mechanism + " " + initial + "\r\n",
                               "AUTH " + mechanism + " <redacted>", deadline);
  if (reply.code == 334)
    reply = session.command(mechanism == "XOAUTH2" ? "\r\n" : mime::base64("\x01") + "\r\n", Phase::auth,
                            deadline);
  return reply;
}

}  // namespace

void authenticate(Session& session, const Credentials& credentials, net::Deadline deadline) {
  const Capabilities& capabilities = session.capabilities();
  const std::string mechanism = choose_mechanism(capabilities, credentials);
  if (mechanism.empty()) {
    const std::string wanted = credentials.oauth_token.empty() ? "PLAIN or LOGIN" : "XOAUTH2 or OAUTHBEARER";
    session.fail(ErrorKind::auth, Phase::auth,
                 "the server offers AUTH " + offered(capabilities) + " but these credentials need " + wanted +
                     (credentials.oauth_token.empty() ? ": use an OAuth2 access token (oauth_token) if the "
                                                        "provider requires it."
                                                      : ": use a user name and password instead."));
  }

  if (mechanism == "PLAIN") {
    const Reply reply = secret_command(session, "AUTH PLAIN " + plain_initial_response(credentials) + "\r\n",
                                       "AUTH PLAIN <redacted>", deadline);
    expect_success(session, reply, mechanism);
    return;
  }

  if (mechanism == "XOAUTH2" || mechanism == "OAUTHBEARER") {
    Credentials current = credentials;
    Reply reply = oauth_exchange(session, mechanism, current, deadline);
    // A refused token may have been revoked before its time: with a refresh
    // token behind it, a new one gets one more try on this connection (after a
    // 535 the server waits for AUTH again, RFC 4954 4).
    if (reply.code != 235 && !reply.transient() && credentials.renew_oauth_token) {
      current.oauth_token = credentials.renew_oauth_token();
      reply = oauth_exchange(session, mechanism, current, deadline);
    }
    expect_success(session, reply, mechanism);
    return;
  }

  // LOGIN: the server asks for the user name, then the password, each base64.
  Reply reply = session.command("AUTH LOGIN\r\n", Phase::auth, deadline);
  expect_challenge(session, reply, "the user name");
  reply =
      secret_command(session, mime::base64(credentials.username) + "\r\n", "<user name redacted>", deadline);
  expect_challenge(session, reply, "the password");
  reply =
      secret_command(session, mime::base64(credentials.password) + "\r\n", "<password redacted>", deadline);
  expect_success(session, reply, mechanism);
}

}  // namespace smtpx::smtp
