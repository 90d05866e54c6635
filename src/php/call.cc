// What an exception out of the core means to PHP (call.h).
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "call.h"

namespace smtpx::php {

namespace {

Refusal classify(std::exception_ptr error, Blame blame) {
  try {
    std::rethrow_exception(error);
  } catch (const BlamedInput& blamed) {
    return classify(blamed.error, blamed.blame);
  } catch (const BadArgument& refused) {
    return Refusal{Refusal::Kind::argument_value, blame.argnum, refused.what(), {}};
  } catch (const InvalidInput& refused) {
    const int argnum = blame.by_field ? blame.by_field(refused.field()) : blame.argnum;
    const auto kind = refused.kind() == InvalidInput::Kind::type ? Refusal::Kind::argument_type
                                                                 : Refusal::Kind::argument_value;
    return Refusal{kind, argnum, refused.what(), {}};
  } catch (const ZendBailout&) {
    return Refusal{Refusal::Kind::bailout, 0, {}, {}};
  } catch (SmtpError& failed) {
    return Refusal{Refusal::Kind::smtp, 0, {}, std::move(failed.failure())};
  } catch (const std::exception& unexpected) {
    return Refusal{Refusal::Kind::internal, 0, unexpected.what(), {}};
  } catch (...) {
    return Refusal{Refusal::Kind::internal, 0, "an unknown error in the smtpx core", {}};
  }
}

}  // namespace

Refusal refusal_of(std::exception_ptr error, Blame blame) noexcept {
  try {
    return classify(std::move(error), blame);
  } catch (...) {
    return Refusal{};  // bad_alloc while copying the message: internal, without one
  }
}

}  // namespace smtpx::php
