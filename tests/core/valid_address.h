// For tests: whether `address` alone (no display name, no angle brackets) may
// travel in the envelope: parse_mailbox takes it and keeps it as it is.
#pragma once

#include <string_view>

#include "core/address.h"
#include "core/error.h"

namespace smtpx::testing {

inline bool is_valid_address(std::string_view address) {
  try {
    return parse_mailbox(address, "to[0]").address == address;
  } catch (const InvalidInput&) {
    return false;
  }
}

}  // namespace smtpx::testing
